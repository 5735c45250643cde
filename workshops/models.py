"""Workshops, participants and attendance."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalogue.models import Module
from enterprises.models import Enrolment
from score_portal.dates import PAST, PlausibleDatesMixin


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
    """Whether one participant was present on one day of the workshop."""

    DATE_RULES = {"day": PAST}

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE,
                                    related_name="attendance")
    day = models.DateField(_("day"))
    present = models.BooleanField(_("present"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    PARTNER_PATH = "participant__workshop__partner"

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["participant", "day"],
                                               name="attendance_once_per_day")]

    def __str__(self) -> str:
        return f"{self.participant} {self.day}: {self.present}"
