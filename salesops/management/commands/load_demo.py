"""Load the 2017 demo: the organisation, the plan with its calendar and split, the weekly figures so far, and their
rollups."""

from django.conf import settings
from django.core.management.base import BaseCommand

from kpis import demo as kpis_demo
from kpis.results import services as rollups
from targets import demo as targets_demo
from teams import demo as teams_demo


class Command(BaseCommand):
    help = "Load the 2017 demo organisation, plan and weekly figures; running it again changes nothing."

    def handle(self, *args, **options) -> None:
        self.stdout.write("Loading the demo organisation…")
        teams_demo.load_organisation()
        self.stdout.write("Loading the 2017 plan, its calendar and its split to teams, reps and weeks…")
        targets_demo.load_plan()
        self.stdout.write("Entering the weekly KPI figures from February to October 2017…")
        written = kpis_demo.load_figures()
        self.stdout.write(f"  {written} rep-weeks entered." if written else "  Already there.")
        # The saves queued their recompute; run what is still stale here, so the demo ends with current rollups
        # whether or not a worker is listening (a queued run that comes later finds nothing left to do).
        done = rollups.recompute_pending()
        self.stdout.write(f"Computing the rollups… {len(done)} months." if done else "Rollups already current.")
        self.stdout.write(self.style.SUCCESS(f"Demo ready. Log-ins (password: {settings.DEMO_PASSWORD}):"))
        for username, what in teams_demo.demo_logins():
            self.stdout.write(f"  {username:<16} {what}")
