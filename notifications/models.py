"""Reminders: each one a row with a unique key (the send log: a reminder for the same thing
is never created twice), shown in the portal and, unless the person chose otherwise, mailed
by the worker. Per-person preferences say which reminders and how.

States: ``pending`` (to mail) → ``sending`` (claimed by a worker) → ``sent``; back to
``pending`` when the SMTP server fails (retried later); ``portal`` (only in the portal),
``off`` (the person turned this kind off: kept so it is not created again), ``dropped``
(the visit was cancelled or done, the workshop cancelled… before it was mailed)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    VISIT_DUE = "visit_due", _("A visit is due in 2 days")
    VISIT_OVERDUE = "visit_overdue", _("A visit is overdue")
    KPI_FOLLOW_UP = "kpi_follow_up", _("KPI follow-up due (6 and 12 months after the baseline)")
    NO_BASELINE = "no_baseline", _("No baseline data 30 days after the first workshop")
    WORKSHOP_INVITATION = "workshop_invitation", _("An invitation to a coming workshop")
    WORKSHOP_TOMORROW = "workshop_tomorrow", _("A workshop starts tomorrow")
    CERTIFICATION_EXPIRING = "certification_expiring", _("A trainer certification expires soon")


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail and portal")
    PORTAL = "portal", _("Only in the portal")
    OFF = "off", _("Off")


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("To send")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        PORTAL = "portal", _("In the portal only")
        OFF = "off", _("Turned off")
        DROPPED = "dropped", _("Dropped")

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    email = models.EmailField(_("e-mail"), blank=True)  # the address it is mailed to
    language = models.CharField(max_length=10)
    params = models.JSONField(default=dict)  # what the message says, translated when shown
    subject_type = models.CharField(max_length=30)  # visit, workshop, enterprise, certification
    subject_id = models.PositiveBigIntegerField()
    due_on = models.DateField(_("for"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["subject_type", "subject_id"]),
        ]

    def __str__(self) -> str:
        return self.key


class Preference(models.Model):
    """How one person wants one kind of reminder (no row: by e-mail and in the portal)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preferences"
    )
    kind = models.CharField(_("reminder"), max_length=30, choices=Kind.choices)
    channel = models.CharField(_("how"), max_length=10, choices=Channel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="reminder_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}: {self.channel}"
