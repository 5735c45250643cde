from rest_framework import serializers

from catalogue.models import KPIDefinition, Module
from enterprises.models import Enrolment, Enterprise, KPIReading
from enterprises.selectors.enterprises import enterprise_list
from enterprises.selectors.groups import enterprise_group_list
from enterprises.services.enrolments import ENROLMENT_PAYMENT_FIELDS
from enterprises.services.enterprises import ENTERPRISE_FIELDS
from enterprises.services.kpi import READING_FIELDS
from score_portal.access import Perm, partners_for

from .base import InputSerializer


class ModuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Module
        fields = ["id", "code", "name_en", "name_zh", "is_entry", "is_active", "order"]


class EnterpriseSerializer(serializers.ModelSerializer):
    email = serializers.CharField(read_only=True, help_text="An e-mail address, or empty.")

    class Meta:
        model = Enterprise
        fields = ["id", "partner", *ENTERPRISE_FIELDS, "version", "created_at", "updated_at"]


class EnterpriseInputSerializer(InputSerializer):
    """``group``: an enterprise group of the enterprise's own partner, or null."""

    scopes = {"group": lambda user: enterprise_group_list(user, Perm.CHANGE)}

    class Meta:
        model = Enterprise
        fields = list(ENTERPRISE_FIELDS)


class EnterpriseCreateSerializer(EnterpriseInputSerializer):
    """``partner``: one of the partners whose enterprises you may change."""

    scopes = {
        "partner": lambda user: partners_for(user, Perm.CHANGE),
        "group": lambda user: enterprise_group_list(user, Perm.CHANGE),
    }

    class Meta(EnterpriseInputSerializer.Meta):
        fields = ["partner", *ENTERPRISE_FIELDS]


class EnrolmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enrolment
        fields = [
            "id",
            "enterprise",
            "module",
            "status",
            "applied_on",
            "enrolled_on",
            "completed_on",
            "withdrawn_on",
            "withdrawal_reason",
            *ENROLMENT_PAYMENT_FIELDS,
            "entry_override_reason",
            "created_at",
            "updated_at",
        ]


class EnrolmentCreateSerializer(InputSerializer):
    scopes = {"enterprise": enterprise_list}
    override_reason = serializers.CharField(required=False, allow_blank=True, max_length=500)

    class Meta:
        model = Enrolment
        fields = [
            "enterprise",
            "module",
            "applied_on",
            "enrolled_on",
            "status",
            "override_reason",
            *ENROLMENT_PAYMENT_FIELDS,
        ]


class EnrolmentUpdateSerializer(InputSerializer):
    class Meta:
        model = Enrolment
        fields = ["applied_on", "enrolled_on", "completed_on", *ENROLMENT_PAYMENT_FIELDS]


class EnrolmentTransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Enrolment.Status.choices)
    on_date = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class KPIDefinitionSerializer(serializers.ModelSerializer):
    class Meta:
        model = KPIDefinition
        fields = [
            "id",
            "code",
            "name_en",
            "name_zh",
            "unit",
            "direction",
            "normalisation",
            "module",
            "plausible_min",
            "plausible_max",
            "headline",
            "is_active",
            "order",
        ]


class KPIReadingSerializer(serializers.ModelSerializer):
    has_evidence = serializers.SerializerMethodField()

    class Meta:
        model = KPIReading
        fields = [
            "id",
            "enterprise",
            *READING_FIELDS,
            "has_evidence",
            "recorded_by",
            "recorded_at",
            "verified_by",
            "verified_at",
        ]

    def get_has_evidence(self, obj) -> bool:
        return bool(obj.evidence)


class KPIReadingInputSerializer(InputSerializer):
    class Meta:
        model = KPIReading
        fields = list(READING_FIELDS)


class KPIReadingCreateSerializer(InputSerializer):
    scopes = {"enterprise": enterprise_list}

    class Meta:
        model = KPIReading
        fields = ["enterprise", *READING_FIELDS]
