"""Writes for reminders. How a reminder is neither lost nor sent twice:

1. ``reminders_evaluate`` (beat, every hour) inserts one ``Notification`` per candidate with
   ``bulk_create(ignore_conflicts=True)`` on the unique ``key``: the row is the send log, and
   a second evaluation of the same day (or a second beat) inserts nothing. A person's
   preference decides the state at insert: ``pending`` (to mail), ``portal`` or ``off``.
   Pending rows whose visit was cancelled or done (workshop cancelled) become ``dropped``.
2. ``notification_claim`` moves one ``pending`` row (due, or a ``sending`` row whose claim is
   older than ``NOTIFY_CLAIM_SECONDS``: its worker died) to ``sending`` with a conditional
   UPDATE, in one transaction that also re-checks the subject (dropped if it ended): two
   workers, or a message delivered twice, cannot both claim it.
3. The mail is sent after that commit (never inside a transaction: an SMTP call must not hold
   a lock), with a Message-ID derived from the key.
4. ``notification_sent`` marks it ``sent``. An SMTP failure calls ``notification_release``:
   back to ``pending`` with the error and a later ``next_attempt_at`` (bounded backoff); the
   task retries and beat re-queues due rows, so an outage only delays.
The one window left is a worker killed after the SMTP server accepted the mail and before
step 4: the stale claim is taken again and the mail goes out a second time with the same
Message-ID (mail clients and most servers fold it). Lost is worse than twice, so this is the
choice; it is the same at-least-once guarantee as every job of the portal.
"""

from __future__ import annotations

import datetime
import hashlib
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from . import rules
from .messages import mail_text, workshop_ics
from .models import Channel, Kind, Notification, Preference

logger = logging.getLogger(__name__)
BACKOFF_SECONDS = (60, 300, 900, 3600, 3 * 3600)


def _channels(user_ids) -> dict[tuple[int, str], str]:
    return {(p.user_id, p.kind): p.channel for p in Preference.objects.filter(user_id__in=user_ids)}


def reminders_evaluate(*, today: datetime.date | None = None) -> list[int]:
    """Store the reminders due today; returns the ids of those to mail (queued on commit)."""
    today = today or timezone.localdate()
    candidates = [candidate for rule in rules.RULES for candidate in rule(today)]
    channels = _channels({c.user.pk for c in candidates if c.user})
    rows = []
    for candidate in candidates:
        channel = channels.get((candidate.user.pk, candidate.kind)) if candidate.user else None
        channel = channel or Channel.EMAIL
        if channel == Channel.OFF:
            status = Notification.Status.OFF
        elif channel == Channel.PORTAL or not candidate.email:
            status = Notification.Status.PORTAL
        else:
            status = Notification.Status.PENDING
        rows.append(
            Notification(
                key=candidate.key,
                kind=candidate.kind,
                recipient=candidate.user,
                email=candidate.email,
                language=candidate.language or settings.LANGUAGE_CODE,
                params=candidate.params,
                subject_type=candidate.subject_type,
                subject_id=candidate.subject_id,
                due_on=candidate.due_on,
                status=status,
            )
        )
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        notifications_drop_ended()
    return list(
        Notification.objects.filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now()),
            status=Notification.Status.PENDING,
        ).values_list("pk", flat=True)
    )


def notifications_drop_ended() -> int:
    """Reminders not yet mailed whose visit was cancelled or done (workshop cancelled) are
    dropped, from the portal list too."""
    dropped = 0
    waiting = Notification.objects.filter(
        status__in=[Notification.Status.PENDING, Notification.Status.PORTAL],
        subject_type__in=["visit", "workshop"],
    )
    for subject_type in ("visit", "workshop"):
        ids = set(waiting.filter(subject_type=subject_type).values_list("subject_id", flat=True))
        gone = rules.gone_subject_ids(subject_type, ids) if ids else set()
        if gone:
            dropped += waiting.filter(subject_type=subject_type, subject_id__in=gone).update(
                status=Notification.Status.DROPPED
            )
    return dropped


def notification_claim(*, notification_id: int) -> Notification | None:
    """Take one reminder to mail (see the module's docstring); None when someone else has it,
    it was sent, or its subject ended."""
    now = timezone.now()
    stale = now - datetime.timedelta(seconds=settings.NOTIFY_CLAIM_SECONDS)
    with transaction.atomic():
        claimed = (
            Notification.objects.filter(pk=notification_id)
            .filter(
                (
                    Q(status=Notification.Status.PENDING)
                    & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
                )
                | Q(status=Notification.Status.SENDING, claimed_at__lt=stale)
            )
            .update(status=Notification.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
        )
        if not claimed:
            return None
        notification = Notification.objects.get(pk=notification_id)
        if notification.subject_type in ("visit", "workshop") and rules.gone_subject_ids(
            notification.subject_type, [notification.subject_id]
        ):
            notification.status = Notification.Status.DROPPED
            notification.save(update_fields=["status"])
            return None
    return notification


def notification_mail(notification: Notification) -> None:
    """Send the mail (outside any transaction). Raises on an SMTP failure."""
    subject, text = mail_text(notification)
    digest = hashlib.sha256(notification.key.encode()).hexdigest()[:32]
    host = settings.PORTAL_URL.split("://", 1)[-1].rstrip("/").split(":")[0] or "localhost"
    message = EmailMessage(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        to=[notification.email],
        headers={
            "Message-ID": f"<reminder-{digest}@{host}>",
            "Content-Language": notification.language,
        },
    )
    if notification.kind in (Kind.WORKSHOP_INVITATION, Kind.WORKSHOP_TOMORROW):
        message.attach("workshop.ics", workshop_ics(notification), "text/calendar")
    message.send(fail_silently=False)


def notification_sent(*, notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id, status=Notification.Status.SENDING).update(
        status=Notification.Status.SENT, sent_at=timezone.now(), last_error=""
    )


def notification_release(*, notification_id: int, error: str) -> int:
    """Back to ``pending`` after a failed send, to be tried again later. Returns the delay."""
    notification = Notification.objects.get(pk=notification_id)
    delay = BACKOFF_SECONDS[min(notification.attempts, len(BACKOFF_SECONDS)) - 1]
    Notification.objects.filter(pk=notification_id, status=Notification.Status.SENDING).update(
        status=Notification.Status.PENDING,
        last_error=error[:300],
        next_attempt_at=timezone.now() + datetime.timedelta(seconds=delay),
    )
    return delay


def notification_deliver(*, notification_id: int) -> str:
    """Claim, mail, mark: what the worker does for one reminder. Returns what happened."""
    notification = notification_claim(notification_id=notification_id)
    if notification is None:
        return "skipped"
    try:
        notification_mail(notification)
    except Exception as exc:  # an SMTP outage, refused connection, timeout…
        logger.warning("Reminder %s not sent: %s", notification.key, exc)
        notification_release(notification_id=notification_id, error=str(exc) or repr(exc))
        raise
    notification_sent(notification_id=notification_id)
    return "sent"


def notifications_mark_read(*, acting_user, ids=None) -> int:
    """Mark the person's own notifications read (all of them without ``ids``)."""
    mine = Notification.objects.filter(recipient=acting_user, read_at__isnull=True)
    if ids is not None:
        mine = mine.filter(pk__in=ids)
    return mine.update(read_at=timezone.now())


@transaction.atomic
def preferences_save(*, acting_user, channels: dict[str, str]) -> None:
    """Store how the person wants each kind of reminder (their own preferences only)."""
    for kind, channel in channels.items():
        Kind(kind)
        Channel(channel)
        if channel == Channel.EMAIL:
            Preference.objects.filter(user=acting_user, kind=kind).delete()
        else:
            preference = Preference(user=acting_user, kind=kind, channel=channel)
            preference.full_clean(validate_unique=False)
            Preference.objects.update_or_create(
                user=acting_user, kind=kind, defaults={"channel": channel}
            )
