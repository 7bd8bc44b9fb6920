"""Load the 2017 demo: the organisation (and, as later apps land, the plan and the figures)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from teams import demo as teams_demo


class Command(BaseCommand):
    help = "Load the 2017 demo organisation; running it again changes nothing."

    def handle(self, *args, **options) -> None:
        self.stdout.write("Loading the demo organisation…")
        teams_demo.load_organisation()
        self.stdout.write(self.style.SUCCESS(f"Demo ready. Log-ins (password: {settings.DEMO_PASSWORD}):"))
        for username, what in teams_demo.demo_logins():
            self.stdout.write(f"  {username:<16} {what}")
