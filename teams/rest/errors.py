"""One JSON error shape for every endpoint: `{"errors": [{"field": …, "code": …, "message": …}]}`.

`field` names the input at fault, nested ones as a path (`rows[3].values.new_customers`), or is null for the
request as a whole. Messages come in the request's language (LocaleMiddleware; DRF's own are translated too).
A stale version is a 409 in the same shape; an endpoint may add keys beside `errors` (the figures' conflicts).
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from teams.errors import DomainError
from teams.errors import error_item as error


def _join(path: str, key: object) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"  # a list's item (a ListField reports its children by index too)
    return f"{path}.{key}" if path else str(key)


def flatten(detail: object, path: str = "") -> list[dict]:
    """Return DRF's nested error detail as a flat list of errors, each naming its field's path."""
    if isinstance(detail, dict):
        found = []
        for key, value in detail.items():
            inner = path if key == api_settings.NON_FIELD_ERRORS_KEY else _join(path, key)
            found += flatten(value, inner)
        return found
    if isinstance(detail, list):
        found = []
        for i, item in enumerate(detail):
            found += flatten(item, _join(path, i)) if isinstance(item, (dict, list)) else flatten(item, path)
        return found
    # a Django validator's error may carry no code (django-filter passes it on as None): always a code
    return [error(path or None, getattr(detail, "code", None) or "invalid", detail)]


def error_response(errors: list[dict], status_code: int, **beside: object) -> Response:
    """Return the error shape, with the endpoint's own keys beside the errors (documented on the endpoint)."""
    set_rollback()
    return Response({"errors": errors, **beside}, status=status_code)


def domain_error_response(exc: DomainError, **beside: object) -> Response:
    """Return a service's refusal: 409 for a stale version, else 400, with the field it names."""
    field = None if exc.field in (None, api_settings.NON_FIELD_ERRORS_KEY) else exc.field
    status_code = status.HTTP_409_CONFLICT if exc.is_conflict else status.HTTP_400_BAD_REQUEST
    return error_response([error(field, exc.code, exc.message)], status_code, **beside)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every refusal in the one shape; anything else stays a 500."""
    if isinstance(exc, DomainError):
        return domain_error_response(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()  # never the loader's message: it could name what is hidden
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)  # the status, Retry-After and WWW-Authenticate headers
    if response is not None:
        response.data = {"errors": flatten(exc.detail)}
    return response
