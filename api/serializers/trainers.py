from rest_framework import serializers

from trainers.models import Certification, ConsultingVisit, Trainer, VisitAction
from trainers.services.visits import VISIT_FIELDS


class TrainerSerializer(serializers.ModelSerializer):
    email = serializers.CharField(read_only=True, help_text="An e-mail address, or empty.")

    class Meta:
        model = Trainer
        fields = [
            "id",
            "name",
            "name_zh",
            "sex",
            "phone",
            "email",
            "city",
            "region",
            "organisation",
            "is_active",
            "partners",
            "created_at",
        ]


class CertificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Certification
        fields = [
            "id",
            "trainer",
            "module",
            "grade",
            "tot_date",
            "decision_date",
            "valid_until",
            "notes",
        ]


class VisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConsultingVisit
        fields = [
            "id",
            "enrolment",
            "trainer",
            "number",
            "status",
            "planned_date",
            "visit_date",
            "duration_hours",
            "mode",
            "co_visitor",
            "topics",
            "findings",
            "next_visit_date",
            "cancellation_reason",
            "recorded_by",
            "recorded_at",
        ]


class ActionInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = VisitAction
        fields = ["description", "owner", "due_date"]


class VisitRecordSerializer(serializers.ModelSerializer):
    """Record a planned visit, or correct a recorded one, with the actions agreed."""

    actions = ActionInputSerializer(many=True, required=False)

    class Meta:
        model = ConsultingVisit
        fields = [*VISIT_FIELDS, "actions"]


class VisitActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = VisitAction
        fields = ["id", "visit", "description", "owner", "due_date", "status", "reviewed_on"]
