"""What every rewards endpoint shares: a stale version's 409.

Every refusal comes in the API's one error shape (teams/rest/errors.py). A stale version (a DomainError on the
field "version") is a 409 that also carries `current_version`, the version saved now, so a client can reload and
decide, as the pages keep what was typed against the new version (teams.rest.schema.STALE documents it).
"""

from rest_framework.request import Request
from rest_framework.response import Response

from teams.errors import DomainError
from teams.rest.errors import domain_error_response


class StaleVersionResponses:
    """Answer a stale version with 409, the error naming "version", and `current_version` beside it."""

    request: Request

    def current_version(self) -> int | None:
        """Return the version of the object the request acted on as saved now (None: there is none yet)."""
        return None

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, DomainError) and exc.is_conflict:
            return domain_error_response(exc, current_version=self.current_version())
        return super().handle_exception(exc)  # type: ignore[misc]
