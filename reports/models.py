"""Report runs (one row per requested report, the truth about its progress and its files) and
targets per partner, indicator and period, which pages set against actual figures."""

import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalogue.models import Module
from score_portal.dates import PlausibleDatesMixin
from score_portal.jobs import WAITING_AFTER, Job
from score_portal.models import Partner

# A run still running after stuck_after() lost its worker (killed beyond the hard time limit);
# one still queued after jobs.WAITING_AFTER probably lost its message (broker down).


def stuck_after() -> timedelta:
    """settings.REPORT_STUCK_AFTER_SECONDS (default 10 minutes) as a timedelta."""
    return timedelta(seconds=getattr(settings, "REPORT_STUCK_AFTER_SECONDS", 600))


def report_upload_to(run: "ReportRun", filename: str) -> str:
    # Under MEDIA_ROOT/reports/: outside the web root, only served by the download view.
    return f"reports/{run.created_at:%Y/%m}/{run.pk}/{filename}"


class ReportRun(PlausibleDatesMixin, Job):
    """A report requested by a user (or by the monthly schedule), built by a worker."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise progress report")
        PARTNER = "partner", _("Partner progress report")
        GROUP = "group", _("Enterprise group report")
        PROGRAMME = "programme", _("Programme report")
        WORKSHOP = "workshop", _("Workshop report")

    class Language(models.TextChoices):
        EN = "en", _("English")
        ZH_HANS = "zh-hans", _("Simplified Chinese")

    class Status(models.TextChoices):
        PENDING = "pending", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    ACTIVE_STATUSES = [Status.PENDING, Status.RUNNING]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_runs",
        verbose_name=_("partner"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_runs",
        verbose_name=_("enterprise"),
    )
    workshop = models.ForeignKey(
        "workshops.Workshop",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_runs",
        verbose_name=_("workshop"),
    )
    group = models.ForeignKey(
        "enterprises.EnterpriseGroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_runs",
        verbose_name=_("enterprise group"),
    )
    period_from = models.DateField(_("from"), null=True, blank=True)
    period_to = models.DateField(_("to"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.EN
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    file = models.FileField(_("PDF file"), upload_to=report_upload_to, blank=True, max_length=300)
    xlsx_file = models.FileField(
        _("spreadsheet"), upload_to=report_upload_to, blank=True, max_length=300
    )
    params_key = models.CharField(max_length=200, editable=False)
    email_managers = models.BooleanField(
        _("e-mail to partner managers"),
        default=False,
        help_text=_("Set on scheduled reports: the managers receive the PDF once built."),
    )
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_runs",
        verbose_name=_("requested by"),
    )

    PARTNER_PATH = "partner"
    TRAINER_PATH = "*"  # in scope (403, not 404): Perm.REPORTS refuses them in the views
    ENTERPRISE_PATH = "enterprise"  # a contact's enterprise reports (kind "enterprise")
    GROUP_PATH = "group"  # a group contact's group reports (kind "group")
    TASK = "reports.tasks.build_report"
    FINISHED = (Status.DONE,)

    @classmethod
    def stale_after(cls) -> timedelta:
        return stuck_after()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        constraints = [
            # Identical requests join the run already queued or running.
            models.UniqueConstraint(
                fields=["params_key"],
                condition=Q(status__in=["pending", "running"]),
                name="report_run_one_active_per_params",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="report_run_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="programme", partner__isnull=True)
                    | (~Q(kind="programme") & Q(partner__isnull=False))
                ),
                name="report_run_partner_matches_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind="enterprise") | Q(enterprise__isnull=False),
                name="report_run_enterprise_report_has_enterprise",
            ),
            models.CheckConstraint(
                condition=~Q(kind="workshop") | Q(workshop__isnull=False),
                name="report_run_workshop_report_has_workshop",
            ),
            models.CheckConstraint(
                condition=~Q(kind="group") | Q(group__isnull=False),
                name="report_run_group_report_has_group",
            ),
            models.CheckConstraint(
                condition=(
                    Q(period_from__isnull=True)
                    | Q(period_to__isnull=True)
                    | Q(period_to__gte=models.F("period_from"))
                ),
                name="report_run_period_in_order",
            ),
        ]
        indexes = [
            models.Index(fields=["partner", "-created_at"]),
            models.Index(fields=["requested_by", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def may_restart(self) -> bool:
        """Whether "try again" makes sense: finished, or queued/running for too long."""
        from django.utils import timezone

        now = timezone.now()
        if self.status == self.Status.RUNNING:
            return bool(self.started_at and now - self.started_at > stuck_after())
        if self.status == self.Status.PENDING:
            return bool(self.created_at and now - self.created_at > WAITING_AFTER)
        return True

    @staticmethod
    def make_params_key(
        *,
        kind,
        partner_id,
        enterprise_id,
        period_from,
        period_to,
        language,
        workshop_id=None,
        group_id=None,
    ) -> str:
        parts = [
            kind,
            partner_id or "-",
            enterprise_id or workshop_id or group_id or "-",
            period_from.isoformat() if period_from else "-",
            period_to.isoformat() if period_to else "-",
            language,
        ]
        return ":".join(str(part) for part in parts)

    def file_name(self, extension: str) -> str:
        scope = (
            (self.enterprise_id and f"enterprise-{self.enterprise_id}")
            or (self.workshop_id and f"workshop-{self.workshop_id}")
            or (self.group_id and f"group-{self.group_id}")
            or (self.partner.code if self.partner is not None else "programme")
        )
        period = ""
        if self.period_from or self.period_to:
            period = f"_{self.period_from or ''}_{self.period_to or ''}"
        return f"score-{self.kind}-report_{scope}{period}_{self.language}.{extension}"


def validate_target_indicator(code: str) -> None:
    """A target names an indicator of the register that takes one number (not money)."""
    from .indicators.definitions import MONEY, REGISTER

    indicator = REGISTER.get(code)
    if indicator is None:
        raise ValidationError(
            _("%(code)s is not an indicator of the register."), params={"code": code}
        )
    if indicator.unit == MONEY:
        raise ValidationError(
            _("%(name)s is an amount per currency: set no target for it."),
            params={"name": indicator.name},
        )


class Target(models.Model):
    """A partner's target for one indicator of the register and one period (a year, or a
    quarter of it), optionally per module and per sex where the indicator has them.

    ``kind`` says what the number counts: what happens in the period (incremental) or
    everything up to the period's last day (cumulative, since the programme began).
    Indicators that are a standing on a date are always cumulative. Shares are stored as
    percentages (40 means 40%). Changes are kept in its history, with their author."""

    class Kind(models.TextChoices):
        INCREMENTAL = "incremental", _("Incremental (in the period)")
        CUMULATIVE = "cumulative", _("Cumulative (up to the period's end)")

    class Quarter(models.IntegerChoices):
        YEAR = 0, _("Whole year")
        Q1 = 1, _("Q1")
        Q2 = 2, _("Q2")
        Q3 = 3, _("Q3")
        Q4 = 4, _("Q4")

    class Sex(models.TextChoices):
        ALL = "", _("All")
        WOMEN = "women", _("Women")
        MEN = "men", _("Men")

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="targets", verbose_name=_("partner")
    )
    indicator = models.CharField(
        _("indicator"), max_length=60, validators=[validate_target_indicator]
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), choices=Quarter.choices, default=Quarter.YEAR
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=Kind.choices, default=Kind.INCREMENTAL
    )
    module = models.ForeignKey(
        Module,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("module"),
    )
    sex = models.CharField(_("sex"), max_length=5, choices=Sex.choices, default="", blank=True)
    value = models.DecimalField(
        _("target"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    PARTNER_PATH = "partner"

    class Meta:
        ordering = ["partner__code", "-year", "indicator", "quarter", "module__order", "sex"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "indicator", "year", "quarter", "module", "sex"],
                condition=Q(module__isnull=False),
                name="target_once_per_module",
            ),
            models.UniqueConstraint(
                fields=["partner", "indicator", "year", "quarter", "sex"],
                condition=Q(module__isnull=True),
                name="target_once_per_indicator",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_not_negative"),
            models.CheckConstraint(
                condition=Q(quarter__gte=0, quarter__lte=4), name="target_quarter_0_to_4"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["incremental", "cumulative"]), name="target_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(sex__in=["", "women", "men"]), name="target_sex_known"
            ),
        ]

    def __str__(self) -> str:
        parts = [self.partner.code, self.period_label, str(self.indicator)]
        if self.module_id:
            parts.append(self.module.code)  # type: ignore[union-attr]
        if self.sex:
            parts.append(self.get_sex_display())
        return f"{' '.join(parts)}: {self.value}"

    @property
    def definition(self):
        from .indicators.definitions import REGISTER

        return REGISTER.get(self.indicator)

    @property
    def name(self):
        definition = self.definition
        return definition.name if definition is not None else self.indicator

    @property
    def is_share(self) -> bool:
        definition = self.definition
        return definition is not None and definition.is_share

    @property
    def period_label(self) -> str:
        if not self.quarter:
            return str(self.year)
        return _("%(year)s Q%(quarter)s") % {"year": self.year, "quarter": self.quarter}

    def clean(self):
        super().clean()
        from .indicators.definitions import BY_SEX, IN_PERIOD

        definition = self.definition
        if definition is None:
            return  # the field's validator says why
        errors = {}
        if self.module_id and "module" not in definition.by:
            errors["module"] = _("%(name)s has no figure per module.") % {"name": definition.name}
        if self.sex and definition.code not in BY_SEX:
            errors["sex"] = _("%(name)s has no figure per sex.") % {"name": definition.name}
        if definition.period_rule != IN_PERIOD and self.kind != self.Kind.CUMULATIVE:
            errors["kind"] = _("%(name)s is a standing on a date: its targets are cumulative.") % {
                "name": definition.name
            }
        if definition.is_share and self.value is not None and self.value > 100:
            errors["value"] = _("A share is at most 100%.")
        if errors:
            raise ValidationError(errors)


class ReportSubscription(models.Model):
    """A report delivered on a schedule: kind × scope × period × language × frequency.

    ``subscriber`` empty is a partner's default subscription (its monthly partner report):
    it goes to whoever manages the partner on the day of the delivery. Every delivery checks
    again that each recipient may read the report; a person who lost the role gets nothing
    and the delivery says so."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly (on Mondays, for the week before)")
        MONTHLY = "monthly", _("Monthly (on the 1st, for the month before)")
        QUARTERLY = "quarterly", _("Quarterly (after each quarter)")

    class Period(models.TextChoices):
        LAST = "last", _("The week, month or quarter just ended")
        YEAR_TO_DATE = "ytd", _("From 1 January to the end of that week, month or quarter")
        ALL = "all", _("Everything up to the end of that week, month or quarter")

    KINDS = (
        ReportRun.Kind.PARTNER,
        ReportRun.Kind.ENTERPRISE,
        ReportRun.Kind.GROUP,
        ReportRun.Kind.PROGRAMME,
    )

    subscriber = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_subscriptions",
        verbose_name=_("subscriber"),
        help_text=_("Empty: the partner's managers on the day of each delivery."),
    )
    kind = models.CharField(
        _("report"),
        max_length=20,
        choices=[(kind.value, kind.label) for kind in KINDS],
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_subscriptions",
        verbose_name=_("implementing partner"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_subscriptions",
        verbose_name=_("enterprise"),
    )
    group = models.ForeignKey(
        "enterprises.EnterpriseGroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_subscriptions",
        verbose_name=_("enterprise group"),
    )
    period = models.CharField(
        _("period covered"), max_length=10, choices=Period.choices, default=Period.LAST
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=ReportRun.Language.choices,
        default=ReportRun.Language.ZH_HANS,
    )
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    PARTNER_PATH = "partner"

    class Meta:
        ordering = ["partner__code", "kind", "pk"]
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="programme",
                        partner__isnull=True,
                        enterprise__isnull=True,
                        group__isnull=True,
                    )
                    | Q(
                        kind="partner",
                        partner__isnull=False,
                        enterprise__isnull=True,
                        group__isnull=True,
                    )
                    | Q(
                        kind="enterprise",
                        partner__isnull=False,
                        enterprise__isnull=False,
                        group__isnull=True,
                    )
                    | Q(
                        kind="group",
                        partner__isnull=False,
                        enterprise__isnull=True,
                        group__isnull=False,
                    )
                ),
                name="subscription_scope_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(subscriber__isnull=False) | Q(kind="partner"),
                name="subscription_default_is_a_partner_report",
            ),
            models.UniqueConstraint(
                fields=["partner"],
                condition=Q(subscriber__isnull=True),
                name="subscription_one_default_per_partner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.scope_name} · {self.get_frequency_display()}"

    @property
    def is_default(self) -> bool:
        return self.subscriber_id is None

    @property
    def scope_name(self) -> str:
        if self.enterprise is not None:
            return self.enterprise.display_name
        if self.group is not None:
            return self.group.display_name
        if self.partner is not None:
            return self.partner.name
        return str(_("All partners"))


class SubscriptionDelivery(models.Model):
    """One delivery of a subscription for one period: the report it built, who was mailed,
    or why nobody was. Scheduled deliveries are unique per subscription and period, so a
    second evaluation of the same day (beat run twice) sends nothing twice."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for the report")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped")
        FAILED = "failed", _("Failed")

    class Skip(models.TextChoices):
        OUT_OF_SCOPE = "out_of_scope", _("Skipped: out of scope")
        PAUSED = "paused", _("Skipped: the subscription is paused")
        NO_RECIPIENT = "no_recipient", _("Skipped: nobody may receive it")

    subscription = models.ForeignKey(
        ReportSubscription,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("subscription"),
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    manual = models.BooleanField(_("run now"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    skip_reason = models.CharField(
        _("reason"), max_length=20, choices=Skip.choices, blank=True, default=""
    )
    error = models.TextField(_("error"), blank=True, default="")
    run = models.ForeignKey(
        ReportRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("report"),
    )
    recipients = models.TextField(_("recipients"), blank=True, default="")
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    PARTNER_PATH = "subscription__partner"

    class Meta:
        ordering = ["-period_end", "-created_at"]
        verbose_name = _("subscription delivery")
        verbose_name_plural = _("subscription deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "period_start", "period_end"],
                condition=Q(manual=False),
                name="delivery_once_per_period",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="delivery_period_in_order",
            ),
        ]
        indexes = [models.Index(fields=["status", "run"], name="delivery_status_run")]

    def __str__(self) -> str:
        return f"{self.subscription_id} {self.period_start}–{self.period_end} {self.status}"

    @property
    def outcome(self) -> str:
        if self.status == self.Status.SKIPPED and self.skip_reason:
            return str(self.get_skip_reason_display())
        return str(self.get_status_display())
