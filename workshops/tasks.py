"""Background work for workshops: a thin shell over the services."""

from celery import shared_task

from .services.imports import participant_import_run


@shared_task(
    acks_late=True,
    ignore_result=True,
    serializer="json",
    soft_time_limit=10 * 60,
    time_limit=12 * 60,
)
def run_participant_import(job_id: str) -> None:
    """Preview or apply one attendance-sheet import (by id; a duplicate delivery finds the job
    claimed and does nothing). Beat's job recovery queues a lost one again."""
    participant_import_run(job_id)
