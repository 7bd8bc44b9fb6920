"""Every write to API tokens: the token page, the admin, the management command and the API's authentication.

A token is `sop_` and 32 random bytes (URL-safe base64). Only its SHA-256 is stored; the prefix shown on the
page is its first characters. Checking a presented token compares hashes with hmac.compare_digest.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from teams import audit
from teams.errors import DomainError
from teams.models import ApiToken, User

MARK = "sop_"  # tells a SalesOps token apart in a script's configuration or a leaked log
PREFIX_LENGTH = 12  # the mark and 8 random characters: enough to tell a user's tokens apart, useless to guess with
TOUCH_EVERY = timedelta(minutes=1)  # last use is written at most this often, not on every request

TOKEN_CREATED, TOKEN_USED, TOKEN_REVOKED = audit.TOKEN_CREATED, audit.TOKEN_USED, audit.TOKEN_REVOKED


@dataclass(frozen=True)
class CreatedToken:
    """The saved token and the key itself, which exists only here: show it once, then forget it."""

    token: ApiToken
    key: str


def hashed(key: str) -> str:
    """Return the SHA-256 (hex) under which a key is stored."""
    return hashlib.sha256(key.encode()).hexdigest()


def _recorded(kind: str, *, token: ApiToken, request: HttpRequest | None = None, user: User | None = None) -> None:
    """Record a token's creation, use (at most once a minute, as its last use is written) or revocation in the
    audit of access: who, when, from where, and which token (never its key)."""
    audit.access_event(kind, request=request, user=user or token.user,
                       detail=f"{token.name} ({token.prefix}…), of {token.user.get_username()}")


def token_create(*, user: User, name: str, expires_at: datetime | None = None,
                 request: HttpRequest | None = None) -> CreatedToken:
    """Return a new token of `user` named `name`, with its key (shown once)."""
    name = name.strip()
    if not name:
        raise DomainError(_("Give the token a name, so you know later which script uses it."), field="name")
    if expires_at is not None and expires_at <= timezone.now():
        raise DomainError(_("The expiry date has passed already."), field="expires_at")
    key = MARK + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name[:100], prefix=key[:PREFIX_LENGTH],
                                        secret_hash=hashed(key), expires_at=expires_at)
        _recorded(TOKEN_CREATED, token=token, request=request, user=user)
    return CreatedToken(token, key)


def token_revoke(*, token: ApiToken, by: User, request: HttpRequest | None = None) -> bool:
    """Revoke the token from now on; return False when it was revoked already (nothing changes)."""
    with transaction.atomic():
        # conditional: two revocations at once record one event, and the first revoker is kept
        done = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now(),
                                                                                  revoked_by=by)
        if done:
            token.refresh_from_db(fields=["revoked_at", "revoked_by"])
            _recorded(TOKEN_REVOKED, token=token, request=request, user=by)
    return bool(done)


def token_for_key(key: str, *, now: datetime) -> ApiToken | None:
    """Return the live token the key belongs to (with its user), or None: unknown, revoked, expired, or its user
    inactive (a leaver's log-in is deactivated, and their tokens stop with it)."""
    if not key.startswith(MARK) or len(key) > 100:
        return None
    digest = hashed(key)
    candidates = ApiToken.objects.select_related("user").filter(prefix=key[:PREFIX_LENGTH])
    for token in candidates:
        if hmac.compare_digest(token.secret_hash, digest):
            live = token.revoked_at is None and (token.expires_at is None or token.expires_at > now)
            return token if live and token.user.is_active else None
    return None


def token_used(*, token: ApiToken, ip: str | None, now: datetime, request: HttpRequest | None = None) -> None:
    """Note the token's use (when, from where) unless it was noted within the last minute."""
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return  # no query at all: most requests of a busy script end here
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOUCH_EVERY)
    # conditional: parallel requests of one script write once
    if ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now, last_used_ip=ip):
        token.last_used_at, token.last_used_ip = now, ip
        _recorded(TOKEN_USED, token=token, request=request)
