"""Trainers, certifications, consulting visits and their actions: reads through the trainers
selectors and the access module, visits recorded through the trainers services."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from score_portal.access import Perm, scope
from trainers.models import Certification, ConsultingVisit, Trainer, VisitAction
from trainers.selectors import trainer_list
from trainers.services import visits as visit_services

from ..filters import SyncFilterSet, ref
from ..serializers import trainers as s
from .base import ETAG_HEADER, ReadViewSet


class TrainerFilter(SyncFilterSet):
    partner = ref("partners", "Partner id")

    class Meta:
        model = Trainer
        fields = ["partner", "is_active", "sex"]


class TrainerViewSet(ReadViewSet):
    """Trainers of the partners you may see."""

    serializer_class = s.TrainerSerializer
    filterset_class = TrainerFilter

    def scoped(self):
        return trainer_list(self.request.user)


class CertificationFilter(SyncFilterSet):
    trainer = ref("trainer_id", "Trainer id")
    module = ref("module_id", "Module id")

    class Meta:
        model = Certification
        fields = ["trainer", "module", "grade"]


class CertificationViewSet(ReadViewSet):
    """Trainers' certification per module."""

    serializer_class = s.CertificationSerializer
    filterset_class = CertificationFilter

    def scoped(self):
        # a trainer serving two of your partners is reached twice through its partners
        return scope(self.request.user, Certification.objects.all()).distinct()


class VisitFilter(SyncFilterSet):
    enrolment = ref("enrolment_id", "Enrolment id")
    trainer = ref("trainer_id", "Trainer id")
    enterprise = ref("enrolment__enterprise_id", "Enterprise id")

    class Meta:
        model = ConsultingVisit
        fields = ["enrolment", "trainer", "enterprise", "status", "mode"]


class VisitViewSet(ReadViewSet):
    """Consulting visits (trainers: the visits of the enrolments they consult, and their
    own); staff and the assigned trainer record them."""

    serializer_class = read_serializer_class = s.VisitSerializer
    filterset_class = VisitFilter

    def scoped(self):
        return scope(self.request.user, ConsultingVisit.objects.select_related("enrolment"))

    @extend_schema(
        request=s.VisitRecordSerializer, responses=s.VisitSerializer, parameters=[ETAG_HEADER]
    )
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        """Record a planned visit (or correct a recorded one) with the actions agreed."""
        data = self._input(s.VisitRecordSerializer, request.data)
        actions = data.pop("actions", [])
        return self.write(
            request,
            Perm.RECORD,
            lambda obj: visit_services.visit_record(
                acting_user=request.user, visit=obj, actions=actions, **data
            ),
        )


class VisitActionFilter(SyncFilterSet):
    visit = ref("visit_id", "Visit id")

    class Meta:
        model = VisitAction
        fields = ["visit", "status"]


class VisitActionViewSet(ReadViewSet):
    """Actions agreed at visits."""

    serializer_class = s.VisitActionSerializer
    filterset_class = VisitActionFilter

    def scoped(self):
        return scope(self.request.user, VisitAction.objects.all())
