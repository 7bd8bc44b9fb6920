"""The audit of access: every log-in, failed log-in, lock-out, log-out, export of personal data, admin change,
access ended and API token event is one AccessEvent row, written here and nowhere else."""

from axes.helpers import get_client_ip_address
from django.http import HttpRequest

from .models import AccessEvent, AccessEventKind, User

LOGIN = AccessEventKind.LOGIN
LOGIN_FAILED = AccessEventKind.LOGIN_FAILED
LOCKED_OUT = AccessEventKind.LOCKED_OUT
LOGOUT = AccessEventKind.LOGOUT
EXPORT = AccessEventKind.EXPORT
ADMIN_CHANGE = AccessEventKind.ADMIN_CHANGE
ACCESS_ENDED = AccessEventKind.ACCESS_ENDED
TOKEN_CREATED = AccessEventKind.TOKEN_CREATED
TOKEN_USED = AccessEventKind.TOKEN_USED
TOKEN_REVOKED = AccessEventKind.TOKEN_REVOKED

_FIELD_LENGTHS = {f.name: f.max_length for f in AccessEvent._meta.fields if f.max_length}


def access_event(kind: str, *, request: HttpRequest | None = None, user: User | None = None, username: str = "",
                 detail: str = "") -> None:
    """Record one access event: the user (else the request's signed-in user), the name tried, the address and
    browser of the request, and what happened. Long values are cut to their column."""
    if kind not in AccessEventKind.values:
        raise ValueError(f"unknown access event kind: {kind}")
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    username = username or (user.get_username() if user is not None else "")
    AccessEvent.objects.create(
        kind=kind, user=user, username=username[:_FIELD_LENGTHS["username"]],
        ip_address=client_address(request) if request is not None else None,
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[
            :_FIELD_LENGTHS["user_agent"]],
        detail=detail[:_FIELD_LENGTHS["detail"]],
    )


def client_address(request: HttpRequest) -> str | None:
    """Return the request's client address as django-axes reads it (authentication.client_ip, so a lock-out and
    its audit row name one address), or None when there is none."""
    return getattr(request, "axes_ip_address", None) or get_client_ip_address(request) or None
