"""Writes for attendance-sheet imports: upload, confirm, and the run (in the worker).

The request only stores the file and queues the job (``score_portal.jobs``); the worker reads
it within the enterprise import's limits (``enterprises.transfer.parsing.read_table``),
previews it row by row (``workshops.sheets``) and, once confirmed, applies it in one
transaction with the same rules as the participant and attendance forms.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from enterprises.transfer.parsing import read_table
from score_portal.access import Perm
from score_portal.services import require

from .. import sheets
from ..models import ParticipantImport, Workshop

logger = logging.getLogger(__name__)


def participant_import_create(
    *, acting_user, workshop: Workshop, name: str, data: bytes
) -> ParticipantImport:
    """Store an uploaded attendance sheet and queue its preview once committed."""
    require(acting_user, Perm.CHANGE, workshop.partner_id)
    if workshop.status == Workshop.Status.CANCELLED:
        raise ValidationError(_("This workshop was cancelled."))
    with transaction.atomic():
        job = ParticipantImport(
            workshop=workshop,
            original_name=name[:255],
            requested_by=acting_user,
            language=translation.get_language() or "en",
        )
        job.file.save(name, ContentFile(data), save=False)
        job.full_clean()
        job.save()
        ParticipantImport.enqueue_on_commit(job.pk)
    return job


def participant_import_confirm(*, acting_user, job: ParticipantImport) -> ParticipantImport:
    """Apply a previewed sheet without errors: the worker reads it again and writes it in
    one transaction (nothing, if a row fails against today's data)."""
    require(acting_user, Perm.CHANGE, job.workshop.partner_id)
    if not job.can_confirm:
        raise ValidationError(
            _(
                "Only a preview without errors can be imported: correct the sheet and upload "
                "it again."
            )
        )
    with transaction.atomic():
        claimed = ParticipantImport.objects.filter(
            pk=job.pk, status=ParticipantImport.Status.PREVIEWED, dry_run=True
        ).update(
            status=ParticipantImport.Status.PENDING,
            dry_run=False,
            progress=0,
            attempts=0,
            started_at=None,
            finished_at=None,
            confirmed_by=acting_user,
            language=translation.get_language() or job.language,
        )
        if not claimed:
            raise ValidationError(_("This import has already been confirmed."))
        job.refresh_from_db()
        ParticipantImport.enqueue_on_commit(job.pk)
    return job


def participant_import_run(job_id) -> bool:
    """Run a pending sheet import (False when another worker has it)."""
    if not ParticipantImport.claim(job_id):
        return False
    job = ParticipantImport.objects.select_related("workshop").get(pk=job_id)
    user = job.confirmed_by if not job.dry_run and job.confirmed_by else job.requested_by

    def progress(percent: int) -> None:
        ParticipantImport.set_progress(job.pk, percent)

    try:
        with translation.override(job.language):
            if user is None:
                raise ValidationError(_("The person who started this import no longer exists."))
            if not job.file:
                raise ValidationError(_("The uploaded file has been deleted: upload it again."))
            with job.file.open("rb") as handle:
                parsed, table = read_table(handle, job.original_name)
            if table is None:
                ParticipantImport.fail(job.pk, " ".join(str(e) for e in parsed.errors))
                return True
            if job.dry_run:
                result = sheets.preview(table, job.workshop, progress)
                result.pop("_outcomes", None)
                status, error = ParticipantImport.Status.PREVIEWED, ""
            else:
                try:
                    result = sheets.apply(acting_user=user, workshop=job.workshop, table=table)
                except sheets.SheetRejected as rejected:
                    result, status, error = (
                        rejected.result,
                        ParticipantImport.Status.FAILED,
                        (rejected.messages[0]),
                    )
                    result.pop("_outcomes", None)
                else:
                    status, error = ParticipantImport.Status.APPLIED, ""
            ParticipantImport.finish(
                job.pk,
                status=status,
                error=error,
                result=result,
                total_rows=len(result.get("rows", [])),
            )
    except Exception as exc:
        logger.exception("Attendance-sheet import %s failed", job_id)
        with translation.override(job.language):
            message = (
                exc.messages[0]
                if isinstance(exc, ValidationError)
                else _("The import stopped because of an unexpected error. Nothing was imported.")
            )
        ParticipantImport.fail(job_id, message)
        if not isinstance(exc, ValidationError):
            raise
    return True
