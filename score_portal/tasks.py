"""Background work of the base layer: a thin shell over score_portal.jobs."""

from celery import shared_task

from . import jobs


@shared_task(acks_late=True, ignore_result=True, serializer="json")
def recover_jobs() -> dict[str, int]:
    """Beat, every 5 minutes: re-queue jobs whose message was lost and release the claims of
    workers that died, for report runs and imports alike."""
    return jobs.recover()
