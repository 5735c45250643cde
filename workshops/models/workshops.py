"""Workshops: a classroom workshop of one module, run by one partner."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalogue.models import Module
from enterprises.models import Enrolment
from score_portal.dates import PlausibleDatesMixin
from score_portal.formatting import format_date


class Workshop(PlausibleDatesMixin, models.Model):
    """A classroom workshop of one module, run by one partner."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open for registration")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    partner = models.ForeignKey(
        "score_portal.Partner",
        on_delete=models.PROTECT,
        related_name="workshops",
        verbose_name=_("partner"),
    )
    module = models.ForeignKey(
        Module, on_delete=models.PROTECT, related_name="workshops", verbose_name=_("module")
    )
    title = models.CharField(_("title"), max_length=200)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity (participants)"), default=20)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    invitations = models.ManyToManyField(
        Enrolment, blank=True, related_name="workshops", verbose_name=_("invited enterprises")
    )
    notes = models.TextField(_("notes"), blank=True)
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    PARTNER_PATH = "partner"
    TRAINER_PATH = "trainer_links__trainer__user"  # the workshops they teach
    ENTERPRISE_PATH = "invitations__enterprise"  # the workshops their enrolments are invited to

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="workshop_dates_in_order"
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancellation_reason=""),
                name="workshop_cancel_needs_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["partner", "start_date"]),
            models.Index(fields=["status", "start_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({format_date(self.start_date)})"

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
