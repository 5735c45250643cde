"""Workshops, participants and attendance: reads through the workshops selectors, writes
through the workshops services."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action

from score_portal.access import Perm, scope
from workshops.models import Attendance, Participant, Workshop
from workshops.selectors.workshops import workshop_list
from workshops.services import participants as participant_services

from ..filters import SyncFilterSet, ref
from ..serializers import workshops as s
from .base import ETAG_HEADER, ReadViewSet


class WorkshopFilter(SyncFilterSet):
    partner = ref("partner_id", "Partner id")
    module = ref("module_id", "Module id")

    class Meta:
        model = Workshop
        fields = ["partner", "module", "status"]


class WorkshopViewSet(ReadViewSet):
    """Workshops you may see (trainers: those they teach), with the attendance grid."""

    serializer_class = s.WorkshopSerializer
    filterset_class = WorkshopFilter

    def scoped(self):
        return workshop_list(self.request.user)

    def grid(self, workshop) -> dict:
        cells = (
            Attendance.objects.filter(participant__workshop=workshop, present=True)
            .order_by("participant_id", "day")
            .values("participant", "day")
        )
        return s.AttendanceGridSerializer({"workshop": workshop.pk, "present": list(cells)}).data

    @extend_schema(methods=["GET"], responses=s.AttendanceGridSerializer)
    @extend_schema(
        methods=["PUT"],
        request=s.AttendanceGridSerializer,
        responses=s.AttendanceGridSerializer,
        parameters=[ETAG_HEADER],
    )
    @action(detail=True, methods=["get", "put"], serializer_class=s.AttendanceGridSerializer)
    def attendance(self, request, pk=None):
        """The attendance grid: GET it (with its ETag), PUT the whole grid back."""
        if request.method == "GET":
            return self.respond_data(self.grid(self.get_object()))
        data = self._input(s.AttendanceGridSerializer, request.data)
        present = {(cell["participant"], cell["day"]) for cell in data["present"]}
        return self.write(
            request,
            Perm.RECORD,
            lambda obj: participant_services.attendance_record(
                acting_user=request.user, workshop=obj, present=present
            ),
            current=self.grid,
        )


class ParticipantFilter(SyncFilterSet):
    workshop = ref("workshop_id", "Workshop id")
    enrolment = ref("enrolment_id", "Enrolment id")

    class Meta:
        model = Participant
        fields = ["workshop", "enrolment", "sex", "level"]


class ParticipantViewSet(ReadViewSet):
    """Workshop participants (the enterprises' delegations); partner staff add and correct
    them."""

    serializer_class = read_serializer_class = s.ParticipantSerializer
    filterset_class = ParticipantFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def scoped(self):
        return scope(self.request.user, Participant.objects.all())

    @extend_schema(request=s.ParticipantCreateSerializer, responses={201: s.ParticipantSerializer})
    def create(self, request):
        data = self._input(s.ParticipantCreateSerializer, request.data)
        participant = participant_services.participant_save(acting_user=request.user, **data)
        return self.respond(self.scoped().get(pk=participant.pk), status.HTTP_201_CREATED)

    @extend_schema(
        request=s.ParticipantInputSerializer,
        responses=s.ParticipantSerializer,
        parameters=[ETAG_HEADER],
    )
    def partial_update(self, request, pk=None):
        data = self._input(s.ParticipantInputSerializer, request.data, partial=True)
        return self.write(
            request,
            Perm.CHANGE,
            lambda obj: participant_services.participant_save(
                acting_user=request.user, workshop=obj.workshop, participant=obj, **data
            ),
        )

    @extend_schema(parameters=[ETAG_HEADER], responses={204: None})
    def destroy(self, request, pk=None):
        return self.write(
            request,
            Perm.CHANGE,
            lambda obj: participant_services.participant_delete(
                acting_user=request.user, participant=obj
            ),
        )


class AttendanceFilter(SyncFilterSet):
    workshop = ref("participant__workshop_id", "Workshop id")
    participant = ref("participant_id", "Participant id")

    class Meta:
        model = Attendance
        fields = ["workshop", "participant", "day", "present"]


class AttendanceViewSet(ReadViewSet):
    """Attendance cells (write the grid at /workshops/{id}/attendance/)."""

    serializer_class = s.AttendanceSerializer
    filterset_class = AttendanceFilter

    def scoped(self):
        return scope(self.request.user, Attendance.objects.all())
