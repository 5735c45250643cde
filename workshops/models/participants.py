"""Participants of a workshop (an enterprise's delegation) and their attendance per day."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from enterprises.models import Enrolment
from score_portal.dates import PAST, PlausibleDatesMixin

from .workshops import Workshop


class Participant(models.Model):
    """A member of an enterprise's delegation to a workshop."""

    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")

    class Level(models.TextChoices):
        MANAGER = "manager", _("Manager")
        WORKER = "worker", _("Worker")

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="participants", verbose_name=_("workshop")
    )
    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.PROTECT,
        related_name="participants",
        verbose_name=_("enterprise"),
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
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
    """One participant's attendance on one day of the workshop: present, late, excused or
    absent. ``present`` says whether they *attended* (present or late) and is what every
    figure counts; an excused absence is an absence. A database constraint keeps the two
    fields agreeing; a row written with ``present`` only (older code, imports) has no status
    and reads as present or absent (``mark``)."""

    DATE_RULES = {"day": PAST}

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    ATTENDED = (Status.PRESENT, Status.LATE)

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="attendance"
    )
    day = models.DateField(_("day"))
    status = models.CharField(
        _("attendance"), max_length=10, choices=Status.choices, blank=True, default=""
    )
    present = models.BooleanField(_("attended"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    PARTNER_PATH = "participant__workshop__partner"

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["participant", "day"], name="attendance_once_per_day"),
            models.CheckConstraint(
                condition=(
                    models.Q(status="")
                    | models.Q(present=True, status__in=["present", "late"])
                    | models.Q(present=False, status__in=["excused", "absent"])
                ),
                name="attendance_present_follows_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.day}: {self.mark}"

    @property
    def mark(self) -> str:
        """Present, late, excused or absent (a row without a status: from ``present``)."""
        if self.status:
            return self.status
        return self.Status.PRESENT if self.present else self.Status.ABSENT

    def set_status(self, status: str) -> None:
        self.status = status
        self.present = status in self.ATTENDED
