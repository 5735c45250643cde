"""Errors as the API answers them: a service's ValidationError is a 400 with its messages (in
the request's language); a stale or unconditional write is refused with 412 / 428."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "Someone else changed this record since you read it: read it again (new ETag) "
        "and apply your change to the current values."
    )
    default_code = "stale"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _("Send the record's ETag in an If-Match header (read the record first).")
    default_code = "if_match_required"


class NotReady(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The report is not ready yet: poll the run until its status is done.")
    default_code = "not_ready"


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    return drf_exception_handler(exc, context)
