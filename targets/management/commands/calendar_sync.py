"""Load the statutory holidays and make-up days of every year the pinned `chinesecalendar` knows."""

from django.core.management.base import BaseCommand, CommandError

from targets import calendar_cn
from targets.working_calendar import services
from teams.errors import DomainError


class Command(BaseCommand):
    help = ("Load the statutory holidays and make-up days (调休) of every year chinesecalendar knows into the "
            "working calendar; the company's own days stay. Run it after upgrading the package.")

    def handle(self, *args, **options) -> None:
        try:
            done = services.calendar_sync_statutory()
        except DomainError as error:
            raise CommandError(error.message) from error
        years = calendar_cn.known_years()
        self.stdout.write(f"Working calendar from {calendar_cn.source_label()}: {years[0]}–{years[-1]}; "
                          f"{done.added} days added, {done.changed} changed, {done.removed} removed, "
                          f"{done.company_kept} company days kept.")
