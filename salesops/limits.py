"""Requests that cannot hurt: a body over the limit, JSON nested too deep or a value out of bounds gets a 4xx with a
message (JSON from the API, a page from the HTML views), never a 500 or a thread pinned to one request.

The middleware refuses a body by its declared length before anything reads it; the API's JSON parser reads at most
the limit (a chunked body declares no length) and turns a RecursionError into a 400. An `inputs.InputError` that a
view lets through (a date out of the served years in a URL) becomes a 400 with its message.
"""

import json
import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DataError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from teams.errors import error_item
from teams.inputs import InputError

logger = logging.getLogger(__name__)


def body_limit(request: HttpRequest) -> int:
    """Return the largest body the request may carry: an upload's file limit with room for the form, else Django's."""
    if request.content_type == "multipart/form-data":
        return settings.FIGURES_IMPORT_MAX_BYTES * 4
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def refused(request: HttpRequest, message: str, status: int = 400, *, early: bool = False) -> HttpResponse:
    """Return the refusal as JSON for the API and as a page with the message for everyone else. `early`: before
    sessions and log-in ran, so the page stands alone instead of extending base.html (which reads the user)."""
    if request.path.startswith("/api/"):
        code = "too_large" if status == 413 else "invalid"
        return JsonResponse({"errors": [error_item(None, code, message)]}, status=status)
    if early:  # no request context: its processors read the user and the principal
        return HttpResponse(render_to_string("400_early.html", {"message": message}), status=status)
    return render(request, "400.html", {"message": message}, status=status)


def _too_big(request: HttpRequest, early: bool = False) -> HttpResponse:
    limit = body_limit(request)
    return refused(request, _("The request is larger than %(limit)s; nothing was read.")
                   % {"limit": filesizeformat(limit)}, status=413, early=early)


class RequestLimitsMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return refused(request, _("The request's length is not a number."), early=True)
        if length > body_limit(request):
            return _too_big(request, early=True)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, InputError):
            return refused(request, exception.message)
        if isinstance(exception, RequestDataTooBig):
            return _too_big(request)
        if isinstance(exception, DataError):
            # A number or date past its column reached a query (an id in a URL, say): the input's fault, not ours.
            # Whatever transaction it ran in was rolled back by its atomic block; no row was written.
            logger.info("Out-of-range value in a request", exc_info=True)
            return refused(request, _("A number or date in the request is out of range; nothing was saved."))
        return None


class BoundedJSONParser(JSONParser):
    """JSON read up to the body limit, with nesting too deep for the decoder refused as a 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise ParseError(_("The request is larger than %(limit)s; nothing was read.")
                             % {"limit": filesizeformat(limit)})
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return json.loads(raw.decode(encoding))
        except RecursionError:
            raise ParseError(_("The JSON is nested too deeply.")) from None
        except (ValueError, UnicodeDecodeError) as error:
            raise ParseError(_("The JSON could not be read: %(error)s") % {"error": str(error)[:200]}) from None
