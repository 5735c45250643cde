"""Celery tasks for reports: thin shells over reports.services. They take ids only."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError
from django.utils.translation import gettext as _
from django.utils.translation import override

from . import services, subscriptions
from .models import ReportRun

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OperationalError, ConnectionError)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=3,
    retry_backoff=5,
    retry_backoff_max=60,
    retry_jitter=True,
    soft_time_limit=240,
    time_limit=300,
    serializer="json",
)
def build_report(self, run_id: str) -> str:
    """Build one report run. Claims the row first (pending → running), so a duplicate
    delivery of the message does nothing. Transient errors (database or broker connection)
    put the row back to pending and retry with bounded backoff; any other error, or the last
    retry, marks the run failed with a message the user can read."""
    if not services.report_claim(run_id=run_id):
        logger.info("Report %s already claimed or finished; nothing to do.", run_id)
        return "skipped"
    try:
        run = services.report_build(run_id=run_id)
    except TRANSIENT_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            _fail(run_id, _("A temporary error persisted after several attempts: %(error)s"), exc)
            return "failed"
        services.report_release(run_id=run_id, message=str(exc))
        raise  # autoretry_for re-queues with backoff
    except SoftTimeLimitExceeded as exc:
        _fail(run_id, _("The report took too long to build and was stopped. %(error)s"), exc)
        return "failed"
    except Exception as exc:
        logger.exception("Report %s failed.", run_id)
        _fail(run_id, _("The report could not be built: %(error)s"), exc)
        _hand_over(run_id)
        return "failed"
    if run.email_managers:
        email_report.delay(str(run.pk))
    _hand_over(run_id)
    return "done"


def _hand_over(run_id) -> None:
    """Subscriptions waiting for this run: send (or fail) them now, in their own task."""
    from .models import SubscriptionDelivery

    if SubscriptionDelivery.objects.filter(
        run_id=run_id, status=SubscriptionDelivery.Status.WAITING
    ).exists():
        deliver_run_subscriptions.delay(str(run_id))


SMTP_ERRORS = (OSError, OperationalError)  # smtplib.SMTPException is an OSError


@shared_task(
    acks_late=True,
    autoretry_for=SMTP_ERRORS,
    max_retries=8,
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
    serializer="json",
)
def deliver_run_subscriptions(run_id: str) -> int:
    """Send the subscription deliveries that waited for a built run. An SMTP outage raises
    and the task retries with backoff; the daily sweep catches any left over."""
    return subscriptions.deliveries_for_run(run_id=run_id)


@shared_task(
    acks_late=True,
    autoretry_for=SMTP_ERRORS,
    max_retries=8,
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
    serializer="json",
)
def send_subscription_delivery(delivery_id: int) -> str:
    """Send one delivery whose report was already built (joined a done run)."""
    return subscriptions.delivery_send(delivery_id=delivery_id)


@shared_task(acks_late=True, serializer="json")
def deliver_subscriptions() -> int:
    """Beat, daily: start the report subscriptions' deliveries whose period has ended and
    send those whose report is built."""
    return len(subscriptions.subscriptions_deliver_due())


def _fail(run_id, template, exc) -> None:
    language = (
        ReportRun.objects.filter(pk=run_id).values_list("language", flat=True).first() or "en"
    )
    with override(language):
        message = template % {"error": f"{type(exc).__name__}: {exc}"}
    services.report_fail(run_id=run_id, message=message)


@shared_task(
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=3,
    retry_backoff=10,
    retry_backoff_max=120,
    serializer="json",
)
def email_report(run_id: str) -> int:
    """Send a built scheduled report to the partner's managers (at most once per run)."""
    return services.report_email_managers(run_id=run_id)


@shared_task(acks_late=True, serializer="json")
def request_monthly_reports() -> int:
    """Kept for schedules written before subscriptions: the monthly partner report is now
    every partner's default subscription, delivered by ``deliver_subscriptions``."""
    return len(subscriptions.subscriptions_deliver_due())


@shared_task(acks_late=True, serializer="json")
def requeue_waiting_reports() -> int:
    """Queue again the runs whose message was lost (broker down when they were requested).
    Beat now runs score_portal.tasks.recover_jobs, which does this for every kind of job;
    this task stays for schedules written before."""
    return services.reports_requeue_waiting()
