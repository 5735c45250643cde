from rest_framework import serializers

from enterprises.models import Enrolment
from score_portal.access import Perm, scope
from workshops.models import Attendance, Participant, Workshop
from workshops.selectors.workshops import workshop_list
from workshops.services.participants import PARTICIPANT_FIELDS

from .base import InputSerializer


class WorkshopSerializer(serializers.ModelSerializer):
    class Meta:
        model = Workshop
        fields = [
            "id",
            "partner",
            "module",
            "title",
            "start_date",
            "end_date",
            "venue",
            "city",
            "capacity",
            "status",
            "notes",
            "cancellation_reason",
            "completed_at",
            "created_at",
        ]


class ParticipantSerializer(serializers.ModelSerializer):
    class Meta:
        model = Participant
        fields = ["id", "workshop", "enrolment", *PARTICIPANT_FIELDS]


class ParticipantCreateSerializer(InputSerializer):
    scopes = {
        "workshop": workshop_list,
        "enrolment": lambda user: scope(user, Enrolment.objects.all(), Perm.VIEW),
    }

    class Meta:
        model = Participant
        fields = ["workshop", "enrolment", *PARTICIPANT_FIELDS]


class ParticipantInputSerializer(InputSerializer):
    class Meta:
        model = Participant
        fields = list(PARTICIPANT_FIELDS)


class AttendanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attendance
        fields = ["id", "participant", "day", "present", "recorded_by", "recorded_at"]


class AttendanceCellSerializer(serializers.Serializer):
    participant = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    day = serializers.DateField()


class AttendanceGridSerializer(serializers.Serializer):
    """The whole grid of one workshop: the (participant, day) cells present; every other cell
    of its participants and days is absent."""

    workshop = serializers.IntegerField(read_only=True)
    present = AttendanceCellSerializer(many=True)
