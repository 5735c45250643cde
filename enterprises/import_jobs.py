"""Writes for import jobs: upload (and preview), confirm, and the run itself.

Small files run in the request; files above ``BACKGROUND_ROWS`` rows run in a Celery task
queued when the job row is committed. Either way ``import_job_run`` does the work, so the
two paths cannot drift apart.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from score_portal.access import Perm
from score_portal.services import require

from .importing import ImportResult, ParsedFile, parse, run_import
from .models import ImportJob

logger = logging.getLogger(__name__)
BACKGROUND_ROWS = 500


def import_job_create(*, acting_user, partner, name: str, data: bytes,
                      parsed: ParsedFile) -> ImportJob:
    """Store the uploaded file and preview it (a dry run): at once for small files, in the
    background for large ones."""
    require(acting_user, Perm.CHANGE, partner.pk)
    with transaction.atomic():
        job = ImportJob(partner=partner, original_name=name[:255], requested_by=acting_user,
                        total_rows=len(parsed.rows),
                        language=translation.get_language() or "en")
        job.file.save(name, ContentFile(data), save=False)
        job.full_clean()
        job.save()
        _queue_if_large(job)
    return _run_if_small(job)


def import_job_confirm(*, acting_user, job: ImportJob) -> ImportJob:
    """Apply a previewed import without errors. The same file runs again, for real, in one
    transaction; if the data changed since the preview and a row now fails, nothing is
    written and the job fails with the new outcomes."""
    require(acting_user, Perm.CHANGE, job.partner_id)
    if not job.can_confirm:
        raise ValidationError(_("Only a preview without errors can be imported: correct the "
                                "file and upload it again."))
    with transaction.atomic():
        claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED,
                                           dry_run=True).update(
            status=ImportJob.Status.PENDING, dry_run=False, progress=0,
            confirmed_by=acting_user, language=translation.get_language() or job.language)
        if not claimed:
            raise ValidationError(_("This import has already been confirmed."))
        job.refresh_from_db()
        _queue_if_large(job)
    return _run_if_small(job)


def runs_in_background(job: ImportJob) -> bool:
    return job.total_rows > BACKGROUND_ROWS


def _queue_if_large(job: ImportJob) -> None:
    if runs_in_background(job):
        from .tasks import run_import_job

        job_id = str(job.pk)
        transaction.on_commit(lambda: run_import_job.delay(job_id))


def _run_if_small(job: ImportJob) -> ImportJob:
    if not runs_in_background(job):
        import_job_run(job.pk)
    job.refresh_from_db()
    return job


def import_job_run(job_id) -> bool:
    """Run a pending job; returns False when another worker has claimed it already.

    Side effects: the job row moves to running, then previewed / applied / failed, with the
    row outcomes in ``result``; an apply writes enterprises and enrolments."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now(), progress=0)
    if not claimed:
        return False
    job = ImportJob.objects.select_related("partner").get(pk=job_id)
    user = job.confirmed_by if not job.dry_run and job.confirmed_by else job.requested_by
    progress = _ProgressWriter(job.pk)
    try:
        with translation.override(job.language):
            if user is None:
                raise ValidationError(_("The person who started this import no longer exists."))
            with job.file.open("rb") as handle:
                parsed = parse(handle, job.original_name)
            result = run_import(acting_user=user, partner=job.partner, parsed=parsed,
                                dry_run=job.dry_run, progress=progress)
            _finish(job, result)
    except Exception as exc:
        logger.exception("Import job %s failed", job_id)
        with translation.override(job.language):
            message = (exc.messages[0] if isinstance(exc, ValidationError)
                       else _("The import stopped because of an unexpected error. Nothing "
                              "was imported."))
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED, error=message, finished_at=timezone.now())
        if not isinstance(exc, ValidationError):
            raise
    finally:
        progress.close()
    return True


def _finish(job: ImportJob, result: ImportResult) -> None:
    if result.applied:
        status, error = ImportJob.Status.APPLIED, ""
    elif job.dry_run:
        status, error = ImportJob.Status.PREVIEWED, ""
    else:
        status = ImportJob.Status.FAILED
        error = _("Nothing was imported: some rows failed. Correct the file and upload it "
                  "again.")
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, error=error, result=result.to_dict(), progress=100,
        total_rows=len(result.rows), finished_at=timezone.now())


class _ProgressWriter:
    """Writes progress outside the import's transaction, which other connections cannot see
    and a dry run rolls back: through a second connection. SQLite allows one writer at a
    time, so there the bar only moves when the run ends."""

    def __init__(self, job_id):
        self.job_id = job_id
        self.connection = (None if connection.vendor == "sqlite"
                           else connections.create_connection(DEFAULT_DB_ALIAS))

    def __call__(self, done: int, total: int) -> None:
        if self.connection is None:
            return
        table = self.connection.ops.quote_name(ImportJob._meta.db_table)
        with self.connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET progress = %s WHERE id = %s",  # noqa: S608
                           [min(99, done * 100 // max(total, 1)), self.job_id])

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
