"""What every rewards endpoint shares: reading a validated input, and the services' refusals as JSON.

A DomainError is a 400 naming its field; a stale version (the field "version") is a 409 that also carries the
version saved now, so a client can reload and decide, as the pages keep what was typed against the new version.
"""

from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from teams.errors import DomainError


def parse(serializer_class: type[Serializer], data: object) -> dict:
    """Return the validated input, or raise DRF's 400 naming each bad field."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class DomainErrorResponses:
    """Answer a service's DomainError with 400 and the field named, or 409 with `current_version` when stale."""

    request: Request

    def current_version(self) -> int | None:
        """Return the version of the object the request acted on as saved now (None: there is none yet)."""
        return None

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, DomainError):
            if exc.field == "version":
                return Response({**exc.as_dict(), "current_version": self.current_version()},
                                status=status.HTTP_409_CONFLICT)
            return Response(exc.as_dict(), status=status.HTTP_400_BAD_REQUEST)
        return super().handle_exception(exc)  # type: ignore[misc]
