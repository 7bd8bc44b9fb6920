"""Load the 2017 demo: the organisation, the plan with its calendar and split, the weekly figures so far with the
managers' bulletins, their rollups, and what the other apps add (appraisals, promotions, rewards, the board)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from appraisals import demo as appraisals_demo
from kpis import demo as kpis_demo
from kpis import demo_2016
from kpis.results import services as rollups
from promotions import demo as promotions_demo
from rewards import demo as rewards_demo
from salesops import demo_dates
from targets import demo as targets_demo
from teams import demo as teams_demo


class Command(BaseCommand):
    help = ("Load the 2017 demo organisation, plan and weekly figures, and the closed 2016 plan year before it; "
            "running it again changes nothing.")

    def handle(self, *args, **options) -> None:
        started = timezone.now()
        # One transaction: every save's queued recompute waits for its end, so the rollups are computed once here
        # (with eager Celery each step's commit would recompute every month again).
        with transaction.atomic():
            self._load()
            # The saves queued their recompute; run what is still stale here, so the demo ends with current rollups
            # whether or not a worker is listening (a queued run that comes later finds nothing left to do).
            done = rollups.recompute_pending()
            # Appraisals collect their figures from current rollups, so they come last.
            self.stdout.write("Running the 2017 appraisal cycles: the first half finished, the third quarter open…")
            appraisals = appraisals_demo.load_appraisals()
            self.stdout.write(f"  {appraisals} appraisals." if appraisals else "  Already there.")
            self.stdout.write("Setting the promotion paths, the 2017 training and the open promotion cases…")
            promoted = promotions_demo.load_promotions()
            self.stdout.write(f"  {promoted} cases." if promoted else "  Already there.")
            self.stdout.write("Publishing the notices and rankings, the rewards and penalties; reading the board…")
            made = rewards_demo.load_rewards()
            self.stdout.write(f"  {made} rewards and penalties." if made else "  Already there.")
            # The services stamped what they wrote with the real clock: date it back to the demo's 2016–2017.
            demo_dates.date_demo(since=started)
        self.stdout.write(f"Computing the rollups… {len(done)} months." if done else "Rollups already current.")
        self.stdout.write(self.style.SUCCESS(f"Demo ready. Log-ins (password: {settings.DEMO_PASSWORD}):"))
        for username, what in teams_demo.demo_logins():
            self.stdout.write(f"  {username:<16} {what}")

    def _load(self) -> None:
        self.stdout.write("Loading the demo organisation…")
        teams_demo.load_organisation()
        self.stdout.write("Loading the 2017 plan, its calendar and its split to teams, reps and weeks…")
        targets_demo.load_plan()
        self.stdout.write("Loading the 2016 plan year before it, to compare with (同比)…")
        targets_demo.load_plan_2016()
        self.stdout.write("Entering the weekly KPI figures from February to October 2017…")
        # The bulletins of September are written while it is open, as the managers wrote them each Friday: a close
        # freezes them.
        written = kpis_demo.load_figures(before_close=self._bulletins)
        self.stdout.write(f"  {written} rep-weeks entered." if written else "  Already there.")
        self.stdout.write("Writing the closed 2016 plan year's weekly figures…")
        written = demo_2016.load_figures()
        self.stdout.write(f"  {written} rep-weeks written." if written else "  Already there.")

    def _bulletins(self) -> None:
        self.stdout.write("  Writing the managers' weekly bulletins of September and October, their months still open…")
        written = rewards_demo.load_bulletins()
        self.stdout.write(f"  {written} weekly bulletins." if written else "  Bulletins already there.")
