"""Webhook endpoints a partner registers, and the deliveries (the outbox) sent to them.

A **delivery** is written in the same transaction as the change that caused its event, with
the record as the API serialised it at that moment (``body``: the exact bytes sent, so
every retry and every "send again" sends the record as it was at the event, never as it is
now). It is a ``Job``: the worker claims it, posts it, and retries with backoff; every try
is an ``WebhookAttempt`` row (the delivery log)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from score_portal.events import CREATED, DELETED, RETURNED, UPDATED, VERIFIED
from score_portal.jobs import FAILED, PENDING, RUNNING, Job
from score_portal.models import Partner

EVENT_CHOICES = [
    (CREATED, _("created")),
    (UPDATED, _("updated")),
    (VERIFIED, _("verified")),
    (RETURNED, _("returned")),
    (DELETED, _("deleted")),
]

# what receivers see as "object", and how the pages name it
OBJECT_LABELS = {
    "enterprise": _("Enterprises"),
    "enrolment": _("Enrolments"),
    "participant": _("Participants"),
    "attendance": _("Attendance"),
    "visit": _("Consulting visits"),
    "kpi_reading": _("KPI readings"),
}


class WebhookEndpoint(models.Model):
    """A URL that receives the chosen events of the chosen objects of one partner (a
    programme manager may leave the partner empty: every partner)."""

    partner = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_endpoints",
        verbose_name=_("partner"),
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    objects_subscribed = models.JSONField(_("objects"), default=list)
    events = models.JSONField(_("events"), default=list)
    # Needed in clear to sign each delivery; shown once, when the endpoint is created.
    secret = models.CharField(max_length=100, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["secret"])

    PARTNER_PATH = "partner"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.url

    def object_labels(self) -> str:
        return ", ".join(str(OBJECT_LABELS.get(o, o)) for o in self.objects_subscribed)

    def event_labels(self) -> str:
        labels = dict(EVENT_CHOICES)
        return ", ".join(str(labels.get(e, e)) for e in self.events)

    def wants(self, object_type: str, event: str) -> bool:
        return self.is_active and object_type in self.objects_subscribed and event in self.events


class WebhookDelivery(Job):
    """One event for one endpoint: the outbox row, then the delivery job."""

    class Status(models.TextChoices):
        PENDING = PENDING, _("Waiting")
        RUNNING = RUNNING, _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = FAILED, _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("endpoint"),
    )
    event_id = models.UUIDField(_("event id"), default=uuid.uuid4, editable=False)
    object_type = models.CharField(_("object"), max_length=30)
    object_id = models.CharField(_("object id"), max_length=40)
    event = models.CharField(_("event"), max_length=20, choices=EVENT_CHOICES)
    occurred_at = models.DateTimeField(_("occurred"), default=timezone.now)
    body = models.TextField(_("body"))  # the JSON sent, byte for byte on every try
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("caused by"),
    )
    next_attempt_at = models.DateTimeField(_("next try"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("response"), null=True, blank=True)
    resent_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resends",
        verbose_name=_("sent again from"),
    )

    TASK = "webhooks.tasks.deliver_webhook"
    FINISHED = (Status.DELIVERED, Status.FAILED)
    MAX_ATTEMPTS = settings.WEBHOOKS_MAX_ATTEMPTS  # a try whose worker died counts as one
    PARTNER_PATH = "endpoint__partner"

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_retry",
                condition=Q(status=PENDING),
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_name} {self.object_id}"

    @property
    def event_name(self) -> str:
        return f"{self.object_type}.{self.event}"

    @classmethod
    def stale_after(cls) -> timedelta:
        return timedelta(seconds=settings.WEBHOOKS_TIMEOUT_SECONDS * 2 + 60)

    @classmethod
    def stale_message_for(cls, pk) -> str:
        return str(_("The worker sending this was stopped several times."))

    @classmethod
    def requeue_waiting(cls, *, older_than: timedelta | None = None) -> int:
        """Also queue again the retries whose time has come long ago (their delayed
        message was lost with a worker)."""
        count = super().requeue_waiting(older_than=older_than)
        late = timezone.now() - timedelta(minutes=5)
        ids = list(
            cls.objects.filter(status=PENDING, next_attempt_at__lt=late).values_list(
                "pk", flat=True
            )
        )
        return count + sum(cls.enqueue(pk) for pk in ids)


class WebhookAttempt(models.Model):
    """One try of a delivery: what the receiver answered, or why it could not be reached."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempts_log"
    )
    number = models.PositiveSmallIntegerField(_("try"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("response"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        ordering = ["delivery", "number", "id"]
        verbose_name = _("webhook try")
        verbose_name_plural = _("webhook tries")

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}"

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
