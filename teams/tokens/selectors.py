"""Reads of API tokens, scoped through teams.access."""

from django.db.models import QuerySet

from teams import access
from teams.models import ApiToken


def tokens_for(p: access.Principal) -> QuerySet[ApiToken]:
    """Return the principal's own tokens, newest first, revoked ones included (their page says so)."""
    return access.scope_tokens(p, ApiToken.objects.all()).order_by("-created_at", "-pk")
