"""The shell every API view shares: scoped reads through the apps' selectors, ETags on
detail reads, If-Match on writes, and the request's token reset after each request."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from score_portal.access import Perm, can

from ..context import current_token
from ..etags import check_if_match, etag_of
from ..pagination import IdCursorPagination
from ..permissions import HoldsPerm

ETAG_HEADER = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the record as read (a detail GET answers it).",
)


class TokenContextMixin:
    """The request's token is known to the history rows of its writes (``api.history``)
    while the request runs, and forgotten when it ends: whatever happens, the next request
    served by this thread starts without one."""

    def dispatch(self, request, *args, **kwargs):
        reset = current_token.set(None)
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            current_token.reset(reset)


class ReadViewSet(TokenContextMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """List (cursor-paginated, filtered) and detail (with an ETag) of what the user may see.
    Subclasses define ``scoped()`` (the selector for ``self.request.user``)."""

    required_perm = Perm.VIEW
    permission_classes = [HoldsPerm]
    pagination_class = IdCursorPagination
    cursor_ordering = "id"
    lookup_value_regex = "[^/]+"  # a bad id answers the API's 404, not the portal's page

    def scoped(self):
        raise NotImplementedError

    def get_queryset(self):
        return self.scoped()

    def representation(self, obj) -> dict:
        serializer_class = getattr(self, "read_serializer_class", None) or self.serializer_class
        return serializer_class(obj, context=self.get_serializer_context()).data

    def retrieve(self, request, *args, **kwargs):
        data = self.representation(self.get_object())
        return Response(data, headers={"ETag": etag_of(data)})

    def respond(self, obj, code=status.HTTP_200_OK):
        data = self.representation(obj)
        return Response(data, status=code, headers={"ETag": etag_of(data)})

    def _input(self, serializer_class, data, partial=False) -> dict:
        """The request's body checked for types and shapes (400 with the messages); on a
        record's URL the record is looked up first (outside the user's scope: 404)."""
        if self.lookup_field in self.kwargs or "pk" in self.kwargs:
            self.get_object()
        serializer = serializer_class(
            data=data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def write(self, request, perm, change, current=None):
        """Lock the record, refuse without ``perm`` (403, before anything else), check
        If-Match against its current ETag (412 stale, 428 missing), then ``change(obj)``
        (the service call, which checks everything again) and answer the record as now."""
        current = current or self.representation
        with transaction.atomic():
            obj = self.get_object()  # 404 outside the user's scope
            if not can(request.user, perm, obj):
                raise PermissionDenied
            list(type(obj)._base_manager.select_for_update().filter(pk=obj.pk).values("pk"))
            obj = self.get_object()  # as committed before our lock
            check_if_match(request, etag_of(current(obj)))
            result = change(obj)
        if result is None:  # deleted
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self.respond_data(current(self.get_object()))

    def respond_data(self, data):
        return Response(data, headers={"ETag": etag_of(data)})
