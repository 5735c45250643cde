"""Enterprises, enrolments, KPI definitions and readings: reads through the enterprises
selectors, writes through the enterprises services."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action

from catalogue.selectors import kpi_definition_list
from enterprises.models import Enrolment, Enterprise, KPIReading
from enterprises.selectors.enterprises import enterprise_list
from enterprises.services import enrolments as enrolment_services
from enterprises.services import enterprises as enterprise_services
from enterprises.services import kpi as kpi_services
from score_portal.access import Perm, scope

from ..filters import SyncFilterSet, ref
from ..serializers import enterprises as s
from .base import ETAG_HEADER, ReadViewSet


class EnterpriseFilter(SyncFilterSet):
    partner = ref("partner_id", "Partner id")

    class Meta:
        model = Enterprise
        fields = ["partner", "status", "province", "sector", "credit_code"]


class EnterpriseViewSet(ReadViewSet):
    """Enterprises you may see; partner staff create and change them."""

    serializer_class = read_serializer_class = s.EnterpriseSerializer
    filterset_class = EnterpriseFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scoped(self):
        return enterprise_list(self.request.user)

    @extend_schema(request=s.EnterpriseCreateSerializer, responses={201: s.EnterpriseSerializer})
    def create(self, request):
        data = self._input(s.EnterpriseCreateSerializer, request.data)
        enterprise = enterprise_services.enterprise_create(acting_user=request.user, **data)
        return self.respond(self.scoped().get(pk=enterprise.pk), status.HTTP_201_CREATED)

    @extend_schema(
        request=s.EnterpriseInputSerializer,
        responses=s.EnterpriseSerializer,
        parameters=[ETAG_HEADER],
    )
    def partial_update(self, request, pk=None):
        data = self._input(s.EnterpriseInputSerializer, request.data, partial=True)
        return self.write(
            request,
            Perm.CHANGE,
            lambda obj: enterprise_services.enterprise_update(
                acting_user=request.user, enterprise=obj, version=obj.version, **data
            ),
        )


class EnrolmentFilter(SyncFilterSet):
    enterprise = ref("enterprise_id", "Enterprise id")
    module = ref("module_id", "Module id")
    partner = ref("enterprise__partner_id", "Partner id")

    class Meta:
        model = Enrolment
        fields = ["enterprise", "module", "partner", "status"]


class EnrolmentViewSet(ReadViewSet):
    """Enrolments of enterprises in modules; partner staff create, correct and move them."""

    serializer_class = read_serializer_class = s.EnrolmentSerializer
    filterset_class = EnrolmentFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scoped(self):
        return scope(self.request.user, Enrolment.objects.all())

    @extend_schema(request=s.EnrolmentCreateSerializer, responses={201: s.EnrolmentSerializer})
    def create(self, request):
        data = self._input(s.EnrolmentCreateSerializer, request.data)
        enrolment = enrolment_services.enrolment_create(acting_user=request.user, **data)
        return self.respond(self.scoped().get(pk=enrolment.pk), status.HTTP_201_CREATED)

    @extend_schema(
        request=s.EnrolmentUpdateSerializer,
        responses=s.EnrolmentSerializer,
        parameters=[ETAG_HEADER],
    )
    def partial_update(self, request, pk=None):
        data = self._input(s.EnrolmentUpdateSerializer, request.data, partial=True)
        return self.write(
            request,
            Perm.CHANGE,
            lambda obj: enrolment_services.enrolment_update(
                acting_user=request.user, enrolment=obj, **data
            ),
        )

    @extend_schema(
        request=s.EnrolmentTransitionSerializer,
        responses=s.EnrolmentSerializer,
        parameters=[ETAG_HEADER],
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the enrolment along its status flow (withdrawal needs a reason)."""
        data = self._input(s.EnrolmentTransitionSerializer, request.data)
        return self.write(
            request,
            Perm.CHANGE,
            lambda obj: enrolment_services.enrolment_transition(
                acting_user=request.user, enrolment=obj, **data
            ),
        )


class KPIDefinitionViewSet(ReadViewSet):
    """The KPI catalogue (reference data every role reads)."""

    serializer_class = s.KPIDefinitionSerializer
    filterset_fields = ["code", "module", "is_active", "headline"]

    def scoped(self):
        return kpi_definition_list(self.request.user)


class KPIReadingFilter(SyncFilterSet):
    enterprise = ref("enterprise_id", "Enterprise id")
    kpi = ref("kpi_id", "KPI definition id")
    partner = ref("enterprise__partner_id", "Partner id")

    class Meta:
        model = KPIReading
        fields = ["enterprise", "kpi", "partner", "kind", "source"]


class KPIReadingViewSet(ReadViewSet):
    """Baseline and follow-up KPI readings; staff and assigned trainers record them (evidence
    files are uploaded on the page)."""

    serializer_class = read_serializer_class = s.KPIReadingSerializer
    filterset_class = KPIReadingFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scoped(self):
        return scope(self.request.user, KPIReading.objects.all())

    @extend_schema(request=s.KPIReadingCreateSerializer, responses={201: s.KPIReadingSerializer})
    def create(self, request):
        data = self._input(s.KPIReadingCreateSerializer, request.data)
        reading = kpi_services.kpi_reading_record(acting_user=request.user, **data)
        return self.respond(self.scoped().get(pk=reading.pk), status.HTTP_201_CREATED)

    @extend_schema(
        request=s.KPIReadingInputSerializer,
        responses=s.KPIReadingSerializer,
        parameters=[ETAG_HEADER],
    )
    def partial_update(self, request, pk=None):
        data = self._input(s.KPIReadingInputSerializer, request.data, partial=True)
        return self.write(
            request,
            Perm.RECORD,
            lambda obj: kpi_services.kpi_reading_update(
                acting_user=request.user, reading=obj, **data
            ),
        )
