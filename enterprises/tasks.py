"""Background work for enterprises: a thin shell over the services."""

from celery import shared_task

from .transfer.exporting import export_files_delete_old, export_job_run
from .transfer.jobs import import_files_delete_old, import_job_run


@shared_task(
    acks_late=True,
    ignore_result=True,
    serializer="json",
    soft_time_limit=30 * 60,
    time_limit=32 * 60,
)
def run_import_job(job_id: str) -> None:
    """Read, preview or apply one import job. Takes only the id; a duplicate delivery finds
    the job already claimed and does nothing. An import is one transaction, so a worker lost
    halfway leaves nothing behind; beat (score_portal.tasks.recover_jobs) hands its claim
    back and queues it again, or fails it after a few attempts."""
    import_job_run(job_id)


@shared_task(acks_late=True, ignore_result=True, serializer="json")
def delete_old_import_files() -> int:
    """Beat: delete uploaded import files and export files older than
    settings.IMPORT_FILE_RETENTION_DAYS."""
    return import_files_delete_old() + export_files_delete_old()


@shared_task(
    acks_late=True,
    ignore_result=True,
    serializer="json",
    soft_time_limit=20 * 60,
    time_limit=22 * 60,
)
def run_export_job(job_id: str) -> None:
    """Write one large export (by id; a duplicate delivery finds it claimed)."""
    export_job_run(job_id)


@shared_task(acks_late=True, ignore_result=True, serializer="json")
def rebuild_kpi_latest() -> int:
    """Repair: rebuild the materialised latest KPI follow-ups (KPILatest) from the readings.
    Idempotent and safe beside people recording readings, so beat may run it (for example
    nightly); the readings' writes keep it current without it."""
    from .services.kpi import kpi_latest_rebuild

    return kpi_latest_rebuild()
