"""Each enterprise's KPI readings (baseline and follow-ups); the KPI catalogue is in
``catalogue``."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalogue.models import KPIDefinition
from score_portal.dates import PAST, PlausibleDatesMixin

EVIDENCE_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "xlsx", "xls", "csv", "docx"]


def evidence_path(instance, filename: str) -> str:
    # Never the user's file name on disk: a random name under the enterprise's folder.
    import uuid

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/{instance.enterprise_id}/{uuid.uuid4().hex}.{extension}"


class KPIReading(PlausibleDatesMixin, models.Model):
    DATE_RULES = {"period_start": PAST}

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Baseline")
        FOLLOW_UP = "follow_up", _("Follow-up")

    class Source(models.TextChoices):
        VISIT = "visit", _("Consulting visit")
        REPORT = "report", _("Enterprise report")
        IMPORT = "import", _("Import")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="kpi_readings",
        verbose_name=_("enterprise"),
    )
    kpi = models.ForeignKey(
        KPIDefinition, on_delete=models.PROTECT, related_name="readings", verbose_name=_("KPI")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FOLLOW_UP)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.VISIT
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    evidence = models.FileField(
        _("evidence file"),
        upload_to=evidence_path,
        blank=True,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS)],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["evidence"])

    PARTNER_PATH = "enterprise__partner"
    TRAINER_PATH = "enterprise__enrolments__assignments__trainer__user"

    class Meta:
        ordering = ["kpi__order", "period_end"]
        verbose_name = _("KPI reading")
        verbose_name_plural = _("KPI readings")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="kpi_reading_period_in_order"
            ),
            models.UniqueConstraint(
                fields=["enterprise", "kpi"], condition=Q(kind="baseline"), name="kpi_one_baseline"
            ),
        ]
        indexes = [models.Index(fields=["enterprise", "kpi", "period_end"])]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.kpi.code} · {self.period_end}: {self.value}"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


def percent_change(
    baseline: Decimal | None, value: Decimal | None, direction: str
) -> tuple[Decimal | None, bool | None]:
    """The one home of "change against baseline": the percentage change of ``value`` over
    ``baseline`` and whether it is an improvement given the KPI's direction. Returns
    (None, None) when it cannot be computed (no baseline, or a baseline of zero)."""
    if baseline is None or value is None or baseline == 0:
        return None, None
    change = (Decimal(value) - Decimal(baseline)) / abs(Decimal(baseline)) * 100
    if change == 0:
        return change, False
    improved = change > 0 if direction == KPIDefinition.Direction.UP else change < 0
    return change, improved
