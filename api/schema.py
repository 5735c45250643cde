"""The OpenAPI description of the errors every operation may answer, so the schema matches
what the API really sends (schemathesis checks it)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

Error = inline_serializer(
    name="Error", fields={"detail": serializers.CharField(help_text="What went wrong.")}
)
FieldErrors = inline_serializer(
    name="FieldErrors",
    fields={
        "non_field_errors": serializers.ListField(child=serializers.CharField(), required=False)
    },
)

ERRORS = {
    401: OpenApiResponse(Error, description="No token, or an invalid, expired or revoked one."),
    403: OpenApiResponse(Error, description="In scope, without the permission for this."),
    429: OpenApiResponse(Error, description="Too many requests for this token."),
}
NOT_FOUND = {404: OpenApiResponse(Error, description="Not found, or outside your scope.")}
BAD_INPUT = {400: OpenApiResponse(FieldErrors, description="Invalid input: messages by field.")}
PRECONDITIONS = {
    412: OpenApiResponse(Error, description="Stale write: the If-Match ETag is not current."),
    428: OpenApiResponse(Error, description="If-Match missing: read the record first."),
}


class ApiAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        extra = dict(ERRORS)
        path_has_id = "{" in self.path
        method = self.method.upper()
        extra.update(NOT_FOUND)  # lists too: an invalid cursor
        extra.update(BAD_INPUT)  # bad input, filters and cursors
        if method in {"PUT", "PATCH", "DELETE"} or (method == "POST" and path_has_id):
            extra.update(PRECONDITIONS)
        for code, response in extra.items():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(response, str(code))
        return responses


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token from /api/tokens/: `Authorization: Bearer score_…`.",
        }
