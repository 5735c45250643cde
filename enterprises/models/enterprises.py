"""Enterprises of a partner, their Enterprise Improvement Team, projects and suggestions."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from catalogue.models import Module
from score_portal.dates import PAST, PlausibleDatesMixin
from score_portal.models import LocalNameMixin, Partner

from ..choices import PROVINCE_CHOICES, SECTOR_CHOICES, size_band
from ..validators import validate_uscc, validate_worker_count, validate_year_founded

# The code in English, the currency's name in Chinese (a select reading "CNY" on a Chinese page).
CURRENCY_CHOICES = [
    ("CNY", pgettext_lazy("currency choice", "CNY")),
    ("USD", pgettext_lazy("currency choice", "USD")),
    ("EUR", pgettext_lazy("currency choice", "EUR")),
]


# A credit code is unique across the programme. Its message says no more than that: not the
# constraint, not who holds it (a partner may not learn another partner's enterprises).
CREDIT_CODE_TAKEN = _(
    "This credit code is already registered in the programme; ask the programme office."
)


class Enterprise(LocalNameMixin, models.Model):
    class Status(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        ACTIVE = "active", pgettext_lazy("enterprise status", "Active")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Ownership(models.TextChoices):
        PRIVATE = "private", _("Private")
        STATE = "state", _("State-owned")
        COLLECTIVE = "collective", _("Collective")
        FOREIGN = "foreign", _("Foreign-invested")
        JOINT_VENTURE = "joint_venture", _("Joint venture")
        OTHER = "other", _("Other")

    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("partner")
    )
    name = models.CharField(_("name"), max_length=200)
    name_zh = models.CharField(_("name in Chinese"), max_length=200, blank=True)
    credit_code = models.CharField(
        _("Unified Social Credit Code"),
        max_length=18,
        blank=True,
        validators=[validate_uscc],
        help_text=_("18 characters; optional outside China."),
    )
    sector = models.CharField(_("sector (ISIC)"), max_length=4, choices=SECTOR_CHOICES, blank=True)
    province = models.CharField(_("province"), max_length=40, choices=PROVINCE_CHOICES, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    employees_total = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    employees_women = models.PositiveIntegerField(_("of whom women"), null=True, blank=True)
    year_founded = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    ownership = models.CharField(
        _("ownership"), max_length=20, choices=Ownership.choices, blank=True
    )
    group = models.ForeignKey(
        "enterprises.EnterpriseGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enterprises",
        verbose_name=_("enterprise group"),
        help_text=_("For clusters, e.g. a provincial investment group's subsidiaries."),
    )
    lead_buyer = models.CharField(_("lead buyer"), max_length=200, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROSPECT
    )
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    PARTNER_PATH = "partner"
    TRAINER_PATH = "enrolments__assignments__trainer__user"  # the enrolments they consult
    ENTERPRISE_PATH = "id"  # its contacts see it (score_portal.access.enterprise_q)

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="enterprise_credit_code_unique",
            ),
            models.CheckConstraint(
                condition=Q(employees_women__isnull=True)
                | Q(employees_total__isnull=True)
                | Q(employees_women__lte=F("employees_total")),
                name="enterprise_women_within_total",
            ),
        ]
        indexes = [
            models.Index(fields=["partner", "status"]),
            models.Index(fields=["partner", "name"]),
            models.Index(fields=["province"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def size_band(self) -> str | None:
        return size_band(self.employees_total)

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        self.credit_code = (self.credit_code or "").strip().upper()
        if (
            self.credit_code
            and Enterprise.objects.filter(credit_code=self.credit_code).exclude(pk=self.pk).exists()
        ):
            errors["credit_code"] = CREDIT_CODE_TAKEN
        if self.group_id and self.partner_id and self.group.partner_id != self.partner_id:
            errors["group"] = _("The group belongs to another partner.")
        errors.update(self.value_errors())
        if errors:
            raise ValidationError(errors)

    def value_errors(self) -> dict[str, str]:
        """The rules on the values alone (no query): plausible founding year and worker
        counts, women within the total. Shared by the form, the services and the import's
        bulk path."""
        from django.core.exceptions import ValidationError

        errors: dict[str, str] = {}
        for field, check in (
            ("year_founded", validate_year_founded),
            ("employees_total", validate_worker_count),
            ("employees_women", validate_worker_count),
        ):
            try:
                check(getattr(self, field))
            except ValidationError as exc:
                errors[field] = exc.messages[0]
        if (
            self.employees_women is not None
            and self.employees_total is not None
            and self.employees_women > self.employees_total
        ):
            errors["employees_women"] = str(
                _("Women employees cannot exceed the total number of employees.")
            )
        return errors


class EnterpriseChild:
    """EIT members, projects and suggestions follow their enterprise's scope."""

    TRAINER_PATH = "enterprise__enrolments__assignments__trainer__user"


class Source(models.TextChoices):
    """Who entered a project or a month of suggestions: the partner's people, or the
    enterprise itself (its contact), whose figures wait for verification."""

    STAFF = "staff", _("Recorded by the programme")
    ENTERPRISE = "enterprise", _("Submitted by the enterprise")


class EITMember(PlausibleDatesMixin, EnterpriseChild, models.Model):
    """A member of the Enterprise Improvement Team (企业改善团队)."""

    class Role(models.TextChoices):
        LEADER = "leader", _("Team leader")
        DEPUTY = "deputy", _("Deputy leader")
        SECRETARY = "secretary", _("Secretary")
        LIAISON = "liaison", _("Liaison member")
        MEMBER = "member", _("Member")

    class Level(models.TextChoices):
        MANAGER = "manager", _("Manager")
        WORKER = "worker", _("Worker")

    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.CASCADE,
        related_name="eit_members",
        verbose_name=_("enterprise"),
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    role = models.CharField(_("EIT role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    level = models.CharField(_("manager or worker"), max_length=10, choices=Level.choices)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    department = models.CharField(_("department"), max_length=100, blank=True)
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_to = models.DateField(_("active to"), null=True, blank=True)
    history = HistoricalRecords()

    PARTNER_PATH = "enterprise__partner"

    class Meta:
        ordering = ["active_to", "role", "name"]
        verbose_name = _("EIT member")
        verbose_name_plural = _("EIT members")
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_to__gte=F("active_from")),
                name="eit_member_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    @property
    def is_active(self) -> bool:
        from django.utils import timezone

        return self.active_to is None or self.active_to >= timezone.localdate()


class ImprovementProject(PlausibleDatesMixin, EnterpriseChild, models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        ABANDONED = "abandoned", _("Abandoned")

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="projects", verbose_name=_("enterprise")
    )
    title = models.CharField(_("title"), max_length=200)
    module = models.ForeignKey(
        Module,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("module"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    estimated_saving = models.DecimalField(
        _("estimated saving"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    realised_saving = models.DecimalField(
        _("realised saving"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=CURRENCY_CHOICES, default="CNY"
    )
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.STAFF
    )
    history = HistoricalRecords()

    PARTNER_PATH = "enterprise__partner"
    ENTERPRISE_PATH = "enterprise"

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("improvement project")
        verbose_name_plural = _("improvement projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="project_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SuggestionCount(PlausibleDatesMixin, EnterpriseChild, models.Model):
    """Worker suggestions (员工合理化建议) made and implemented in one month."""

    DATE_RULES = {"month": PAST}

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.CASCADE,
        related_name="suggestion_counts",
        verbose_name=_("enterprise"),
    )
    month = models.DateField(_("month"), help_text=_("Any day of the month; stored as the 1st."))
    made = models.PositiveIntegerField(_("suggestions made"))
    implemented = models.PositiveIntegerField(_("suggestions implemented"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.STAFF
    )
    history = HistoricalRecords()

    PARTNER_PATH = "enterprise__partner"
    ENTERPRISE_PATH = "enterprise"

    class Meta:
        ordering = ["-month"]
        verbose_name = _("worker suggestions")
        verbose_name_plural = _("worker suggestions")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "month"], name="suggestions_one_row_per_month"
            ),
            models.CheckConstraint(
                condition=Q(implemented__lte=F("made")), name="suggestions_implemented_within_made"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.month:%Y-%m}: {self.implemented}/{self.made}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.month:
            self.month = self.month.replace(day=1)
        if self.made is not None and self.implemented is not None and self.implemented > self.made:
            raise ValidationError(
                {"implemented": _("Implemented suggestions cannot exceed the suggestions made.")}
            )
