"""What the OpenAPI schema (drf-spectacular) needs beyond the views' own declarations: the error shape as a
component listed on every operation, the token scheme, and a request body for the act endpoints.

Every operation lists the refusals any endpoint can give (401, 403, 404, 429, and 400 for its input); writes also
list 409 (a stale version). All of them carry the one error shape of teams/rest/errors.py.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer
from rest_framework import serializers

WRITES = ("POST", "PUT", "PATCH", "DELETE")


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True, help_text="The input at fault, as a path (rows[1].values.x), "
                                                            "or null for the request as a whole.")
    code = serializers.CharField(help_text="Machine-readable: invalid, required, not_found, conflict, throttled, …")
    message = serializers.CharField(help_text="For a person, in the request's language (Accept-Language).")


class ErrorsSerializer(serializers.Serializer):
    errors = ErrorItemSerializer(many=True)


class StaleErrorsSerializer(ErrorsSerializer):
    """A 409 of an endpoint that also answers the version saved now, so the client can reload and decide."""

    current_version = serializers.IntegerField(allow_null=True, help_text="The version saved now (null: there is "
                                                                          "none any more, or none yet).")


REFUSALS = {
    "400": "The input is refused; each error names its field.",
    "401": "No credentials, or a token that is unknown, revoked or expired.",
    "403": "Your role may not do this (or a session write without its CSRF token).",
    "404": "Not there, or outside your scope: the API does not say which.",
    "409": "Someone else changed it since you read it (a stale version); reload and try again.",
    "429": "Too many requests: wait the Retry-After header's seconds.",
}


STALE = OpenApiResponse(StaleErrorsSerializer, description=REFUSALS["409"] + " `current_version` is the version "
                                                                          "saved now.")


def if_match(what: str) -> OpenApiParameter:
    """Return the If-Match header parameter of a versioned write: the ETag its GET answered, instead of `version`."""
    return OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False,
                            description=f'The {what}\'s ETag (`"7"`) instead of the body\'s `version`.')


class SalesOpsSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["400", "401", "403", "404", "429"] + (["409"] if self.method in WRITES else [])
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorsSerializer, description=REFUSALS[code]), code, direction=direction)
        return dict(sorted(responses.items()))


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "teams.rest.authentication.ApiTokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "sop_…",
                "description": "A personal API token (My profile → API tokens, or `manage.py api_token_create`): "
                               "`Authorization: Bearer sop_…`. It acts with its user's role and scope."}


def act_request(component: str, head: type[serializers.Serializer],
                inputs: dict[str, type[serializers.Serializer]]) -> PolymorphicProxySerializer:
    """Return the act endpoint's request body for the schema: by `action`, its version and that action's fields."""
    bodies = {action: type(f"{component}{action.title().replace('_', '')}", (head, fields), {"__module__": __name__})
              for action, fields in sorted(inputs.items())}
    return PolymorphicProxySerializer(component_name=component, serializers=bodies, resource_type_field_name="action")
