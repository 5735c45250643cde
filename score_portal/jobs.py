"""Slow work done by a worker, with a database row as the truth: report runs and imports
(and later exports, webhooks) share this one mechanism.

A job row is created by a service, which queues a Celery task with only the row's id once
the transaction commits (``enqueue_on_commit``; a broker that is down is logged, never a
500). The task claims the row with a conditional UPDATE (pending → running), so a duplicate
delivery does nothing; it then writes progress and ends with ``finish`` or ``fail``. Beat
calls ``recover`` every few minutes: jobs still waiting for their first start (their message
was lost) are queued again, and jobs running far longer than their task's hard time limit
(their worker was killed) are handed back to pending and queued again, or failed after
``MAX_ATTEMPTS``.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

PENDING, RUNNING, FAILED = "pending", "running", "failed"
# A job still pending after this never had its message delivered (broker down when queued).
WAITING_AFTER = timedelta(minutes=2)


class Job(models.Model):
    """The fields and state changes every job shares. A concrete job sets ``status`` (its
    choices must include pending, running and failed), ``requested_by``, ``TASK`` (the dotted
    path of the Celery task taking the id), ``FINISHED`` and ``stale_after()``."""

    # The concrete model's manager; its fields (status, ...) are declared by each subclass.
    objects: ClassVar[Any]

    progress = models.PositiveSmallIntegerField(
        _("progress"), default=0, validators=[MaxValueValidator(100)]
    )
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    TASK = ""
    FINISHED: tuple[str, ...] = ()
    MAX_ATTEMPTS = 3

    class Meta:
        abstract = True

    @classmethod
    def stale_after(cls) -> timedelta:
        """How long a run may last before its worker is taken for dead (above the task's
        hard time limit)."""
        return timedelta(minutes=30)

    @classmethod
    def stale_message(cls) -> str:
        return str(_("The worker doing this was stopped several times. Try again later."))

    # --- What the worker does ----------------------------------------------------------

    @classmethod
    def claim(cls, pk, *, progress: int = 0) -> bool:
        """pending → running for this worker; False when another delivery has it (or a
        finished job). A run that lost its worker (older than ``stale_after``) is claimed
        again: the broker redelivers an unacknowledged message."""
        lost = Q(status=RUNNING, started_at__lt=timezone.now() - cls.stale_after())
        return bool(
            cls.objects.filter(Q(status=PENDING) | lost, pk=pk).update(
                status=RUNNING,
                started_at=timezone.now(),
                progress=progress,
                attempts=F("attempts") + 1,
            )
        )

    @classmethod
    def set_progress(cls, pk, percent: int) -> None:
        cls.objects.filter(pk=pk, status=RUNNING).update(progress=max(0, min(int(percent), 99)))

    @classmethod
    def finish(cls, pk, *, status: str, **fields) -> None:
        fields.setdefault("error", "")
        cls.objects.filter(pk=pk).update(
            status=status, progress=100, finished_at=timezone.now(), **fields
        )

    @classmethod
    def fail(cls, pk, message: str, **fields) -> None:
        """Mark failed with a message the user can read (never a finished job)."""
        cls.objects.filter(pk=pk).exclude(status__in=cls.FINISHED).update(
            status=FAILED, error=str(message)[:2000], finished_at=timezone.now(), **fields
        )

    @classmethod
    def release(cls, pk, message: str = "") -> None:
        """A transient error: hand the job back (running → pending) for a retry."""
        cls.objects.filter(pk=pk, status=RUNNING).update(status=PENDING, error=str(message)[:2000])

    # --- Queueing ---------------------------------------------------------------------------

    @classmethod
    def enqueue(cls, pk) -> bool:
        """Publish the task message with only the id; False (logged, not raised) when the
        broker is down: the row waits and ``recover`` queues it again."""
        try:
            import_string(cls.TASK).delay(str(pk))
        except Exception:  # kombu raises OperationalError and friends when the broker is down
            logger.warning(
                "%s %s stays queued: the broker is unavailable.", cls.__name__, pk, exc_info=True
            )
            return False
        return True

    @classmethod
    def enqueue_on_commit(cls, pk, on_queued=None) -> None:
        def publish():
            queued = cls.enqueue(pk)
            if on_queued is not None:
                on_queued(queued)

        transaction.on_commit(publish)

    @classmethod
    def requeue_waiting(cls, *, older_than: timedelta | None = None) -> int:
        """Queue again every job still waiting for its first start: its message was
        probably never published. A duplicate message is harmless (the claim)."""
        cutoff = timezone.now() - (WAITING_AFTER if older_than is None else older_than)
        ids = list(
            cls.objects.filter(
                status=PENDING, started_at__isnull=True, created_at__lte=cutoff
            ).values_list("pk", flat=True)
        )
        return sum(cls.enqueue(pk) for pk in ids)

    @classmethod
    def release_stale(cls) -> int:
        """Jobs running longer than ``stale_after`` lost their worker: back to pending and
        queued again, or failed once they have had ``MAX_ATTEMPTS``. Returns how many."""
        stale = cls.objects.filter(
            status=RUNNING, started_at__lt=timezone.now() - cls.stale_after()
        )
        count = 0
        for pk, attempts in list(stale.values_list("pk", "attempts")):
            if attempts >= cls.MAX_ATTEMPTS:
                count += cls.objects.filter(pk=pk, status=RUNNING).update(
                    status=FAILED, error=cls.stale_message_for(pk), finished_at=timezone.now()
                )
                continue
            if cls.objects.filter(pk=pk, status=RUNNING, attempts=attempts).update(
                status=PENDING, started_at=None, progress=0
            ):
                count += 1
                cls.enqueue(pk)
        return count

    @classmethod
    def stale_message_for(cls, pk) -> str:
        from django.utils.translation import override

        language = cls.objects.filter(pk=pk).values_list("language", flat=True).first()
        with override(language or settings.LANGUAGE_CODE):
            return cls.stale_message()


def job_models() -> list[type[Job]]:
    from django.apps import apps

    return [model for model in apps.get_models() if issubclass(model, Job)]


def recover() -> dict[str, int]:
    """What beat runs every few minutes, for every kind of job."""
    return {
        model._meta.label: model.requeue_waiting() + model.release_stale() for model in job_models()
    }
