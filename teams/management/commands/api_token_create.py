"""`manage.py api_token_create <username> <name> [--days N]`: make a personal API token and print it, once."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from teams.errors import DomainError
from teams.tokens import services


class Command(BaseCommand):
    help = "Create a personal API token for a user and print it (it is stored hashed: shown only this once)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("name", help="What the token is for, e.g. 'BI dashboard'.")
        parser.add_argument("--days", type=int, default=None, help="Expire after this many days (default: never).")

    def handle(self, *args, username: str, name: str, days: int | None, **options) -> None:
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None
        if not user.is_active:
            raise CommandError(f"{username!r} may not sign in (inactive): a token would not work.")
        expires_at = timezone.now() + timedelta(days=days) if days else None
        try:
            created = services.token_create(user=user, name=name, expires_at=expires_at)
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(created.key)
