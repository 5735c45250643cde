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

    class Review(models.TextChoices):
        """Where a reading stands in the data review loop: recorded (or corrected) and
        waiting for review → verified, or → returned for revision → answered by its author
        and waiting again. Derived from ``verified_at`` and ``returned_at`` (never stored
        twice, so it cannot drift); ``review_q`` filters by it."""

        WAITING = "waiting", _("Waiting for review")
        RETURNED = "returned", _("Returned for revision")
        VERIFIED = "verified", _("Verified")

    class Source(models.TextChoices):
        VISIT = "visit", _("Consulting visit")
        REPORT = "report", _("Enterprise report")
        IMPORT = "import", _("Import")
        # entered by the enterprise's contact in their portal: unverified until staff verify
        ENTERPRISE = "enterprise", _("Submitted by the enterprise")

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
    # Who last changed what the reading says (value, period, kind, KPI): with ``recorded_by``
    # the people who may not verify it (enterprises.services.review).
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last corrected by"),
    )
    # Returned for revision: waiting for its author's answer (the comments hold the thread).
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("returned by"),
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["evidence"])

    PARTNER_PATH = "enterprise__partner"
    TRAINER_PATH = "enterprise__enrolments__assignments__trainer__user"
    ENTERPRISE_PATH = "enterprise"

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
            # A reading is verified or returned for revision, never both.
            models.CheckConstraint(
                condition=Q(verified_at__isnull=True) | Q(returned_at__isnull=True),
                name="kpi_reading_verified_or_returned",
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "kpi", "period_end"]),
            # "Unverified readings" of a partner: an index-only count over its enterprises.
            models.Index(
                fields=["enterprise"],
                condition=Q(verified_at__isnull=True),
                name="kpi_reading_unverified",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.kpi.code} · {self.period_end}: {self.value}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # What the materialised pairs (KPILatest) depend on, as loaded: a save that changes
        # none of it (a verification) leaves them alone; one that moves the reading to
        # another enterprise refreshes both.
        instance._loaded_pair_key = instance.pair_key()
        return instance

    PAIR_FIELDS = ("enterprise_id", "kpi_id", "kind", "period_end", "value")

    def pair_key(self) -> tuple | None:
        if any(name not in self.__dict__ for name in self.PAIR_FIELDS):
            return None  # loaded with .only()/.defer(): unknown
        return tuple(self.__dict__[name] for name in self.PAIR_FIELDS)

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def is_returned(self) -> bool:
        return self.returned_at is not None and self.verified_at is None

    @property
    def review_status(self) -> str:
        if self.verified_at is not None:
            return self.Review.VERIFIED
        if self.returned_at is not None:
            return self.Review.RETURNED
        return self.Review.WAITING

    def get_review_status_display(self) -> str:
        return str(self.Review(self.review_status).label)

    @classmethod
    def review_q(cls, status: str) -> Q:
        """The condition of one review status (``Review``), for filters and counts."""
        return {
            cls.Review.WAITING: Q(verified_at__isnull=True, returned_at__isnull=True),
            cls.Review.RETURNED: Q(verified_at__isnull=True, returned_at__isnull=False),
            cls.Review.VERIFIED: Q(verified_at__isnull=False),
        }[status]  # type: ignore[index]

    def entered_by_ids(self) -> set[int]:
        """The people who entered what the reading says: its author and whoever last
        corrected it. None of them may verify it."""
        return {pk for pk in (self.recorded_by_id, self.edited_by_id) if pk is not None}


class KPILatest(models.Model):
    """Materialised, one row per enterprise and KPI with readings: its baseline and its latest
    follow-up (latest ``period_end``, then latest id), with their values. Derived data, never
    edited: every save or delete of a KPIReading refreshes its enterprise's rows
    (``enterprises.services.kpi.kpi_latest_refresh``, connected in ``apps.py``), and
    ``manage.py kpi_latest_rebuild`` rebuilds them all. The programme figures ("share of
    enterprises improving", data coverage) read it with plain grouped queries."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="kpi_latest",
        verbose_name=_("enterprise"),
    )
    kpi = models.ForeignKey(
        KPIDefinition, on_delete=models.CASCADE, related_name="+", verbose_name=_("KPI")
    )
    baseline = models.OneToOneField(
        KPIReading,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="latest_pair",
        verbose_name=_("baseline"),
    )
    latest = models.OneToOneField(
        KPIReading,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("latest follow-up"),
    )
    baseline_value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    latest_value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    follow_ups = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("latest KPI follow-up")
        verbose_name_plural = _("latest KPI follow-ups")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "kpi"], name="kpi_latest_one_per_kpi")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} · {self.kpi_id}: {self.baseline_value} → {self.latest_value}"

    def result(self) -> tuple[Decimal | None, bool | None]:
        """(change in percent, improved?) of the latest follow-up against the baseline."""
        return percent_change(self.baseline_value, self.latest_value, self.kpi.direction)


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
