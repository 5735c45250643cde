"""Writes for import jobs: upload, confirm, and the run itself (in the worker).

The request only stores the uploaded file and queues the job (score_portal.jobs): the file
is parsed, previewed and applied by a Celery task, with limits on its decompressed size,
rows and columns (``transfer.parsing``). The page polls the job's progress.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from score_portal.access import Perm
from score_portal.services import require

from ..models import ImportJob
from .importing import ImportResult, run_import
from .parsing import parse

logger = logging.getLogger(__name__)


def import_job_create(*, acting_user, partner, name: str, data: bytes) -> ImportJob:
    """Store the uploaded file and queue its preview (a dry run) once committed."""
    require(acting_user, Perm.CHANGE, partner.pk)
    with transaction.atomic():
        job = ImportJob(
            partner=partner,
            original_name=name[:255],
            requested_by=acting_user,
            language=translation.get_language() or "en",
        )
        job.file.save(name, ContentFile(data), save=False)
        job.full_clean()
        job.save()
        ImportJob.enqueue_on_commit(job.pk)
    return job


def import_job_confirm(*, acting_user, job: ImportJob, partial: bool = False) -> ImportJob:
    """Apply a previewed import without errors. The same file runs again, for real, in one
    transaction; if the data changed since the preview and a row now fails, nothing is
    written and the job fails with the new outcomes.

    ``partial`` ("import the valid rows"): a preview with errors writes its valid rows; the
    rejected ones are offered as an XLSX file with an error column, to correct and upload
    again (the keyed upsert makes the second upload idempotent)."""
    require(acting_user, Perm.CHANGE, job.partner_id)
    if partial and not job.can_confirm_valid_rows and not job.can_confirm:
        raise ValidationError(_("This preview has no valid rows to import."))
    if not partial and not job.can_confirm:
        raise ValidationError(
            _(
                "Only a preview without errors can be imported: correct the "
                "file and upload it again."
            )
        )
    with transaction.atomic():
        claimed = ImportJob.objects.filter(
            pk=job.pk, status=ImportJob.Status.PREVIEWED, dry_run=True
        ).update(
            status=ImportJob.Status.PENDING,
            dry_run=False,
            progress=0,
            attempts=0,
            started_at=None,
            finished_at=None,
            confirmed_by=acting_user,
            partial=partial,
            language=translation.get_language() or job.language,
        )
        if not claimed:
            raise ValidationError(_("This import has already been confirmed."))
        job.refresh_from_db()
        ImportJob.enqueue_on_commit(job.pk)
    return job


def runs_in_background(job: ImportJob) -> bool:
    return True  # every file is read by the worker, never in the request


def import_job_run(job_id) -> bool:
    """Run a pending job; returns False when another worker has claimed it already.

    Side effects: the job row moves to running, then previewed / applied / failed, with the
    row outcomes in ``result``; an apply writes enterprises and enrolments."""
    if not ImportJob.claim(job_id):
        return False
    job = ImportJob.objects.select_related("partner").get(pk=job_id)
    user = job.confirmed_by if not job.dry_run and job.confirmed_by else job.requested_by
    progress = _ProgressWriter(job.pk)
    try:
        with translation.override(job.language):
            if user is None:
                raise ValidationError(_("The person who started this import no longer exists."))
            if not job.file:
                raise ValidationError(_("The uploaded file has been deleted: upload it again."))
            with job.file.open("rb") as handle:
                parsed = parse(handle, job.original_name)
            if parsed.errors:
                ImportJob.fail(job.pk, " ".join(str(e) for e in parsed.errors))
                return True
            ImportJob.objects.filter(pk=job.pk).update(total_rows=len(parsed.rows))
            result = run_import(
                acting_user=user,
                partner=job.partner,
                parsed=parsed,
                dry_run=job.dry_run,
                progress=progress,
                partial=job.partial and not job.dry_run,
                override_reason=job.override_reason if job.override_by else "",
                override_by=job.override_by,
            )
            _finish(job, result, parsed)
    except Exception as exc:
        logger.exception("Import job %s failed", job_id)
        with translation.override(job.language):
            message = (
                exc.messages[0]
                if isinstance(exc, ValidationError)
                else _("The import stopped because of an unexpected error. Nothing was imported.")
            )
        ImportJob.fail(job_id, message)
        if not isinstance(exc, ValidationError):
            raise
    finally:
        progress.close()
    return True


def _finish(job: ImportJob, result: ImportResult, parsed) -> None:
    if result.applied and result.has_errors:
        ImportJob.objects.get(pk=job.pk).errors_file.save(
            "rejected.xlsx", ContentFile(rejected_rows_xlsx(parsed, result)), save=True
        )
    if result.applied:
        status, error = ImportJob.Status.APPLIED, ""
    elif job.dry_run:
        status, error = ImportJob.Status.PREVIEWED, ""
    else:
        status = ImportJob.Status.FAILED
        error = _("Nothing was imported: some rows failed. Correct the file and upload it again.")
    ImportJob.finish(
        job.pk, status=status, error=error, result=result.to_dict(), total_rows=len(result.rows)
    )


def import_job_override(*, acting_user, job: ImportJob, reason: str) -> ImportJob:
    """A programme manager accepts, for this import, credit codes whose only fault is the
    check character (codes issued before GB 32100-2015), with a reason kept in each
    enterprise's history. The preview runs again with the override."""
    require(acting_user, Perm.OVERRIDE, job.partner_id)
    reason = "".join(c for c in (reason or "") if c.isprintable()).strip()  # no NUL, no controls
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the override.")})
    with transaction.atomic():
        claimed = ImportJob.objects.filter(
            pk=job.pk, status=ImportJob.Status.PREVIEWED, dry_run=True
        ).update(
            status=ImportJob.Status.PENDING,
            progress=0,
            attempts=0,
            started_at=None,
            finished_at=None,
            override_reason=reason[:200],
            override_by=acting_user,
        )
        if not claimed:
            raise ValidationError(_("Only a preview can be given an override."))
        job.refresh_from_db()
        ImportJob.enqueue_on_commit(job.pk)
    return job


def rejected_rows_xlsx(parsed, result: ImportResult) -> bytes:
    """The rows that were not imported, as they were in the file, with an error column
    first: correct them and upload the file again."""
    from score_portal import spreadsheets

    errors = {
        row.row: "; ".join(
            f"{e['column']}: {e['message']}" if e["column"] else e["message"] for e in row.errors
        )
        for row in result.rows
        if row.errors
    }
    workbook = spreadsheets.new_workbook(write_only=True)
    sheet = workbook.create_sheet(_("Rejected rows")[:31])
    spreadsheets.append(sheet, [_("Error"), *parsed.header_row], bold=True)
    for row in parsed.rows:
        if row.number in errors:
            cells = [_text_if_number(v) for v in row.raw]
            spreadsheets.append(sheet, [errors[row.number], *cells])
    return spreadsheets.to_bytes(workbook)


def _text_if_number(value):
    # Long numbers (codes, phones) go back as text so that the next save keeps every digit.
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1e9:
        return f"{value:.0f}"
    return value


def import_files_delete_old(*, days: int | None = None) -> int:
    """Delete the uploaded files of imports older than ``days`` (default
    settings.IMPORT_FILE_RETENTION_DAYS); the job rows and their outcomes stay. Jobs still
    waiting or running keep their file. Returns how many files were deleted."""
    days = settings.IMPORT_FILE_RETENTION_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=days)
    old = (
        ImportJob.objects.filter(created_at__lt=cutoff)
        .exclude(file="")
        .exclude(status__in=[ImportJob.Status.PENDING, ImportJob.Status.RUNNING])
    )
    count = 0
    for job in old.iterator():
        job.file.storage.delete(job.file.name)
        if job.errors_file:
            job.errors_file.storage.delete(job.errors_file.name)
        ImportJob.objects.filter(pk=job.pk).update(file="", errors_file="")
        count += 1
    return count


class _ProgressWriter:
    """Writes progress outside the import's transaction, which other connections cannot see
    and a dry run rolls back: through a second connection. SQLite allows one writer at a
    time, so there the bar only moves when the run ends."""

    def __init__(self, job_id):
        self.job_id = job_id
        self.connection = (
            None
            if connection.vendor == "sqlite"
            else connections.create_connection(DEFAULT_DB_ALIAS)
        )

    def __call__(self, done: int, total: int) -> None:
        if self.connection is None:
            return
        table = self.connection.ops.quote_name(ImportJob._meta.db_table)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET progress = %s WHERE id = %s",  # noqa: S608
                [min(99, done * 100 // max(total, 1)), self.job_id],
            )

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
