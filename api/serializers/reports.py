from django.urls import reverse
from rest_framework import serializers

from reports.models import ReportRun, Target


class TargetSerializer(serializers.ModelSerializer):
    """A target: an indicator code of the register, a period (year; quarter 0 is the whole
    year), its kind, and optionally a module and a sex. Shares are percentages."""

    class Meta:
        model = Target
        fields = [
            "id",
            "partner",
            "indicator",
            "year",
            "quarter",
            "kind",
            "module",
            "sex",
            "value",
            "updated_at",
        ]


class ReportRunSerializer(serializers.ModelSerializer):
    pdf_url = serializers.SerializerMethodField(help_text="Download when status is done.")
    xlsx_url = serializers.SerializerMethodField(help_text="Download when status is done.")

    class Meta:
        model = ReportRun
        fields = [
            "id",
            "kind",
            "partner",
            "enterprise",
            "workshop",
            "group",
            "period_from",
            "period_to",
            "language",
            "status",
            "progress",
            "error",
            "created_at",
            "started_at",
            "finished_at",
            "pdf_url",
            "xlsx_url",
        ]
        read_only_fields = fields

    def get_pdf_url(self, obj) -> str | None:
        if obj.status != ReportRun.Status.DONE or not obj.file:
            return None
        return reverse("api:report-run-download", kwargs={"pk": obj.pk})

    def get_xlsx_url(self, obj) -> str | None:
        if obj.status != ReportRun.Status.DONE or not obj.xlsx_file:
            return None
        return reverse("api:report-run-download-xlsx", kwargs={"pk": obj.pk})


class ReportRequestSerializer(serializers.Serializer):
    """What to report on: ``partner`` for a partner report, ``enterprise``, ``workshop`` or
    ``group`` (an enterprise group) for theirs, nothing for the programme report."""

    kind = serializers.ChoiceField(choices=ReportRun.Kind.choices)
    partner = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    enterprise = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    workshop = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    group = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    period_from = serializers.DateField(required=False, allow_null=True)
    period_to = serializers.DateField(required=False, allow_null=True)
    language = serializers.ChoiceField(
        choices=ReportRun.Language.choices, default=ReportRun.Language.EN
    )
