"""Enrolments, workshops, participants and attendance."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalogue.models import Module
from score_portal.dates import PAST, PlausibleDatesMixin


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
    TRAINER_PATH = "assignments__trainer__user"  # the enrolments they consult

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
    TRAINER_PATH = "trainer_links__trainer__user"  # the workshops they teach

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
