"""Optimistic concurrency over HTTP: a GET of one object (or of a team's week) answers an ETag, and a write takes
the version it started from, as the body's `version` or as `If-Match: <that ETag>`. A stale one is the services'
409, naming what changed; nothing is locked while someone reads.

An object's ETag is its version (`"7"`). A week's is each rep's version, readable (`"week:12=1,13=2"`), so the
version of every row can be taken from it and the service names the reps whose figures changed.
"""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

HEADER = "If-Match"
WEEK = "week:"


def _if_match(request: Request) -> str | None:
    raw = request.headers.get(HEADER, "").strip()
    if raw in ("", "*"):
        return None  # "*" asks for no version check: the body's version still decides
    if raw.startswith("W/"):
        raw = raw[2:]  # a weak tag names the same version
    if len(raw) < 2 or raw[0] != '"' or raw[-1] != '"':
        raise ValidationError({HEADER: [_("Send If-Match as the ETag you read, in double quotes.")]})
    return raw[1:-1]


def _refused() -> ValidationError:
    return ValidationError({HEADER: [_("This ETag is not one this endpoint gave out.")]})


def version_etag(version: int) -> str:
    return f'"{version}"'


def week_etag(versions: Mapping[int, int]) -> str:
    """Return the ETag of a week's figures, given each rep's version."""
    return '"' + WEEK + ",".join(f"{e}={v}" for e, v in sorted(versions.items())) + '"'


def with_version(request: Request, data: object) -> object:
    """Return the body with `version` taken from If-Match when the body has none."""
    tag = _if_match(request)
    if tag is None or not isinstance(data, Mapping) or "version" in data:
        return data
    if not tag.isdigit() or len(tag) > 10:
        raise _refused()
    return {**data, "version": int(tag)}


def week_versions(request: Request) -> dict[int, int] | None:
    """Return each rep's version as If-Match gave it for a week (None: no If-Match)."""
    tag = _if_match(request)
    if tag is None:
        return None
    if not tag.startswith(WEEK):
        raise _refused()
    try:
        pairs = [part.split("=") for part in tag[len(WEEK):].split(",") if part]
        return {int(e): int(v) for e, v in pairs}
    except ValueError:
        raise _refused() from None


def tagged(response: Response, etag: str) -> Response:
    response["ETag"] = etag
    return response
