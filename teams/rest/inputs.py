"""The API's one way to read a request's input: a serializer validates it, or DRF's 400 names each bad field
(teams/rest/errors.py turns it into the one error shape)."""

from rest_framework.serializers import Serializer


def parsed(serializer_class: type[Serializer], data: object) -> dict:
    """Return the validated input of `serializer_class`, or raise its ValidationError."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
