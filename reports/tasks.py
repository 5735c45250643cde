"""Celery tasks for reports: thin shells over reports.services. They take ids only."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError
from django.utils.translation import gettext as _
from django.utils.translation import override

from . import services
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
        return "failed"
    if run.email_managers:
        email_report.delay(str(run.pk))
    return "done"


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
    """Beat, on the 1st of each month: last month's partner report for every active partner,
    e-mailed to its managers when built."""
    return len(services.monthly_reports_request())


@shared_task(acks_late=True, serializer="json")
def requeue_waiting_reports() -> int:
    """Queue again the runs whose message was lost (broker down when they were requested).
    Beat now runs score_portal.tasks.recover_jobs, which does this for every kind of job;
    this task stays for schedules written before."""
    return services.reports_requeue_waiting()
