"""Background work for enterprises: a thin shell over the services."""

from celery import shared_task

from .import_jobs import import_job_run


@shared_task(acks_late=True, ignore_result=True, serializer="json",
             soft_time_limit=30 * 60, time_limit=32 * 60)
def run_import_job(job_id: str) -> None:
    """Preview or apply one import job. Takes only the id; a duplicate delivery finds the job
    already claimed and does nothing. An import is one transaction, so a worker lost halfway
    leaves nothing behind (the job stays running; upload the file again)."""
    import_job_run(job_id)
