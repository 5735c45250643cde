from drf_spectacular.utils import extend_schema_view

from score_portal.selectors import partner_list

from ..filters import SyncFilterSet
from ..serializers.platform import PartnerSerializer
from .base import ReadViewSet


class PartnerFilter(SyncFilterSet):
    class Meta:
        model = PartnerSerializer.Meta.model
        fields = ["code", "kind", "is_active"]


@extend_schema_view()
class PartnerViewSet(ReadViewSet):
    """Implementing partners you may see."""

    serializer_class = PartnerSerializer
    filterset_class = PartnerFilter

    def scoped(self):
        return partner_list(self.request.user)
