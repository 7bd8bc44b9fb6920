"""Recompute the monthly rollups from the shell, with a progress bar: every month, chosen months, or a team's."""

import time
from argparse import ArgumentTypeError
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from kpis.models import WeeklyFigures
from kpis.results import services as rollups
from targets.calculations import month_of_week
from targets.models import PlanMonth, RepMonthTarget, TeamMonthTarget
from teams.models import Team

BAR_WIDTH = 30


def month_argument(text: str) -> date:
    """Return the first day of a month written YYYY-MM."""
    try:
        year, month = text.split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        raise ArgumentTypeError(f"“{text}” is not a month like 2017-10") from None


def bar(done: int, total: int) -> str:
    filled = BAR_WIDTH * done // total
    return f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done:>{len(str(total))}}/{total}"


class Command(BaseCommand):
    help = (
        "Recompute the monthly rollups (rep, team and company results, ranks and bottom-elimination placings) "
        "from the weekly figures and targets: every month with figures or targets by default. Rollups are "
        "computed a whole month at a time, so --team does not recompute one team alone: it recomputes, for "
        "every team, the months in which that team has figures or targets."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--month", action="append", type=month_argument, default=[], metavar="YYYY-MM",
                            help="Recompute this month; repeat the option for several months.")
        parser.add_argument("--team", metavar="CODE",
                            help="Recompute the months in which the team with this code has figures or targets "
                                 "(whole months, every team's rows in them); with --month, only those of them.")

    def handle(self, *args, month: list[date], team: str | None, **options) -> None:
        months = set(month) or _every_month()
        if team is not None:
            months &= _months_of_team(team)
        months = sorted(months)
        if not months:
            self.stdout.write("Nothing to recompute.")
            return
        started = time.monotonic()
        for done, chosen in enumerate(months, start=1):
            began = time.monotonic()
            rollups.recompute_all([chosen])
            self.stdout.write(f"{bar(done, len(months))}  {chosen:%Y-%m}  {time.monotonic() - began:.2f} s")
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Recomputed {len(months)} months in {elapsed:.1f} s."))


def _every_month() -> set[date]:
    """Return the months recompute_all takes by default: plan months and months with figures."""
    weeks = WeeklyFigures.objects.values_list("week", flat=True).distinct()
    return set(PlanMonth.objects.values_list("month", flat=True)) | {month_of_week(w) for w in weeks}


def _months_of_team(code: str) -> set[date]:
    team = Team.objects.filter(code=code).first()
    if team is None:
        raise CommandError(f"There is no team with the code “{code}”.")
    weeks = WeeklyFigures.objects.filter(team=team).values_list("week", flat=True).distinct()
    targets = {*TeamMonthTarget.objects.filter(team=team).values_list("plan_month__month", flat=True),
               *RepMonthTarget.objects.filter(team=team).values_list("plan_month__month", flat=True)}
    return targets | {month_of_week(w) for w in weeks}
