"""Training modules (reference data) and, later, enrolments and workshops."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from score_portal.dates import PAST, PlausibleDatesMixin
from score_portal.models import BilingualNameMixin


def validate_offsets(value: str) -> None:
    from django.core.exceptions import ValidationError

    try:
        offsets = [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise ValidationError(
            _("Use whole numbers separated by commas, e.g. 14,35,60,90.")) from None
    if any(day < 0 or day > 730 for day in offsets) or offsets != sorted(offsets):
        raise ValidationError(_("Days must be between 0 and 730 and in increasing order."))


class Module(BilingualNameMixin, models.Model):
    """A SCORE training module. Reference data, not an enum: the set differs by country."""

    code = models.CharField(_("code"), max_length=20, unique=True,
                            help_text=_("Short code, for example M1."))
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    classroom_days = models.PositiveSmallIntegerField(
        _("classroom days"), default=2, validators=[MinValueValidator(1), MaxValueValidator(10)])
    planned_visits = models.PositiveSmallIntegerField(
        _("planned consulting visits"), default=4,
        validators=[MinValueValidator(0), MaxValueValidator(12)])
    is_entry = models.BooleanField(
        _("entry module"), default=False,
        help_text=_("Enterprises start with this module unless a programme manager overrides."))
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    visit_offsets = models.CharField(
        _("visit plan (days after the workshop)"), max_length=100, default="14,35,60,90",
        validators=[validate_offsets],
        help_text=_("Comma-separated days after the workshop's last day, one per planned "
                    "visit, for example 14,35,60,90. Missing ones continue every 30 days."))
    cert_min_workshops = models.PositiveSmallIntegerField(
        _("workshops needed for certification"), default=1,
        help_text=_("Supervised workshops a candidate must have delivered."))
    cert_min_enterprises = models.PositiveSmallIntegerField(
        _("enterprises visited for certification"), default=2,
        help_text=_("Distinct enterprises a candidate must have visited in this module."))

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [
            models.UniqueConstraint(Lower("code"), name="module_code_unique_ci"),
            models.UniqueConstraint(fields=["is_entry"], condition=models.Q(is_entry=True),
                                    name="module_single_entry"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self):
        # Said in words before the constraint would say "Constraint “module_code_unique_ci”
        # is violated." (a database name is no message).
        from django.core.exceptions import ValidationError

        if self.code and Module.objects.filter(code__iexact=self.code).exclude(
                pk=self.pk).exists():
            raise ValidationError({"code": _("A module with this code already exists.")})

    def visit_plan(self) -> list[int]:
        """Day offsets of the planned visits after a workshop, one per planned visit."""
        offsets = [int(part) for part in self.visit_offsets.split(",") if part.strip()]
        while len(offsets) < self.planned_visits:
            offsets.append((offsets[-1] if offsets else 0) + 30)
        return offsets[: self.planned_visits]


class Enrolment(PlausibleDatesMixin, models.Model):
    """An enterprise enrolled in one module: its status flow and who pays for it."""

    DATE_RULES = {"applied_on": PAST, "enrolled_on": PAST, "completed_on": PAST,
                  "withdrawn_on": PAST}

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        ENROLLED = "enrolled", _("Enrolled")
        IN_TRAINING = "in_training", _("In training")
        IN_CONSULTING = "in_consulting", _("In consulting")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    FLOW = [Status.APPLIED, Status.ENROLLED, Status.IN_TRAINING, Status.IN_CONSULTING,
            Status.COMPLETED]
    OPEN_STATUSES = [Status.APPLIED, Status.ENROLLED, Status.IN_TRAINING, Status.IN_CONSULTING]

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE,
                                   related_name="enrolments", verbose_name=_("enterprise"))
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="enrolments",
                               verbose_name=_("module"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.APPLIED)
    applied_on = models.DateField(_("applied on"))
    enrolled_on = models.DateField(_("enrolled on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    paid_enterprise = models.DecimalField(_("paid by the enterprise"), max_digits=12,
                                          decimal_places=2, default=Decimal(0))
    paid_sponsor = models.DecimalField(_("paid by a sponsor or lead buyer"), max_digits=12,
                                       decimal_places=2, default=Decimal(0))
    paid_government = models.DecimalField(_("paid by government"), max_digits=12,
                                          decimal_places=2, default=Decimal(0))
    paid_ilo = models.DecimalField(_("paid by the ILO or donors"), max_digits=12,
                                   decimal_places=2, default=Decimal(0))
    entry_override_reason = models.TextField(
        _("reason to start with this module"), blank=True,
        help_text=_("Needed when the enterprise has not taken the entry module."))
    entry_overridden_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                            null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    PARTNER_PATH = "enterprise__partner"

    class Meta:
        ordering = ["module__order", "-applied_on"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "module"],
                condition=Q(status__in=["applied", "enrolled", "in_training", "in_consulting"]),
                name="enrolment_one_open_per_module"),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | ~Q(withdrawal_reason=""),
                name="enrolment_withdrawal_needs_reason"),
            models.CheckConstraint(
                condition=Q(paid_enterprise__gte=0, paid_sponsor__gte=0, paid_government__gte=0,
                            paid_ilo__gte=0),
                name="enrolment_payments_not_negative"),
        ]
        indexes = [models.Index(fields=["module", "status"])]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.module.code}"

    @classmethod
    def trainer_scope(cls, user, partner_ids):
        """Trainers see the enrolments they are assigned to as consultants."""
        from django.apps import apps

        assigned = apps.get_model("trainers", "Assignment").objects.filter(trainer__user=user)
        return Q(pk__in=assigned.values("enrolment_id"))

    @property
    def fee_total(self) -> Decimal:
        return self.paid_enterprise + self.paid_sponsor + self.paid_government + self.paid_ilo

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def next_statuses(self) -> list[str]:
        """Forward moves along the flow, plus withdrawal while open."""
        if not self.is_open:
            return []
        position = self.FLOW.index(self.status)
        return [*self.FLOW[position + 1:], self.Status.WITHDRAWN]


class Workshop(PlausibleDatesMixin, models.Model):
    """A classroom workshop of one module, run by one partner."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open for registration")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    partner = models.ForeignKey("score_portal.Partner", on_delete=models.PROTECT,
                                related_name="workshops", verbose_name=_("partner"))
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="workshops",
                               verbose_name=_("module"))
    title = models.CharField(_("title"), max_length=200)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity (participants)"), default=20)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.PLANNED)
    invitations = models.ManyToManyField(Enrolment, blank=True, related_name="workshops",
                                         verbose_name=_("invited enterprises"))
    notes = models.TextField(_("notes"), blank=True)
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    PARTNER_PATH = "partner"

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")),
                                   name="workshop_dates_in_order"),
            models.CheckConstraint(condition=~Q(status="cancelled")
                                   | ~Q(cancellation_reason=""),
                                   name="workshop_cancel_needs_reason"),
        ]
        indexes = [models.Index(fields=["partner", "start_date"]),
                   models.Index(fields=["status", "start_date"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_date:%Y-%m-%d})"

    @classmethod
    def trainer_scope(cls, user, partner_ids):
        """Trainers see the workshops they teach."""
        from django.apps import apps

        taught = apps.get_model("trainers", "WorkshopTrainer").objects.filter(
            trainer__user=user).values("workshop_id")
        return Q(pk__in=taught)

    @property
    def days(self) -> list:
        import datetime

        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + datetime.timedelta(days=n) for n in range(count)]

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.start_date and self.end_date:
            if self.end_date < self.start_date:
                raise ValidationError({"end_date": _("The last day is before the first day.")})
            if (self.end_date - self.start_date).days > 13:
                raise ValidationError({"end_date": _("A workshop lasts at most two weeks.")})


class Participant(models.Model):
    """A member of an enterprise's delegation to a workshop."""

    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")

    class Level(models.TextChoices):
        MANAGER = "manager", _("Manager")
        WORKER = "worker", _("Worker")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE,
                                 related_name="participants", verbose_name=_("workshop"))
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT,
                                  related_name="participants", verbose_name=_("enterprise"))
    name = models.CharField(_("name"), max_length=100)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    level = models.CharField(_("manager or worker"), max_length=10, choices=Level.choices)
    position = models.CharField(_("position"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    history = HistoricalRecords()

    PARTNER_PATH = "workshop__partner"

    class Meta:
        ordering = ["enrolment__enterprise__name", "name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        indexes = [models.Index(fields=["workshop", "enrolment"])]

    def __str__(self) -> str:
        return self.name


class Attendance(PlausibleDatesMixin, models.Model):
    DATE_RULES = {"day": PAST}

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE,
                                    related_name="attendance")
    day = models.DateField(_("day"))
    present = models.BooleanField(_("present"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    PARTNER_PATH = "participant__workshop__partner"

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["participant", "day"],
                                               name="attendance_once_per_day")]

    def __str__(self) -> str:
        return f"{self.participant} {self.day}: {self.present}"
