"""Export enterprises to CSV or XLSX, with headers in the current language.

Layout: one row per enterprise and enrolment (module, enrolment status, application date and
the four fee shares), the enterprise's columns repeated on each of its rows; an enterprise
without enrolments has one row with the enrolment columns empty. It is the import's own layout
(a later row of the same enterprise adds an enrolment), with the headers and choice labels the
import accepts, so an exported file can be corrected and imported again (the import takes open
enrolments only). Text that a spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from score_portal import spreadsheets
from score_portal.query import query_ids
from score_portal.spreadsheets import neutralise

from ..models import Enrolment, ExportJob
from .columns import CHOICE, ENROLMENT_COLUMNS, ENTERPRISE_COLUMNS, GROUP

logger = logging.getLogger(__name__)
CSV, XLSX = "csv", "xlsx"
FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: spreadsheets.CONTENT_TYPE,
}


def _cell(enterprise, column):
    if column.kind == CHOICE:
        return getattr(enterprise, f"get_{column.key}_display")() or ""
    if column.kind == GROUP:
        # the group's name in the reader's language (the import takes either)
        return enterprise.group.display_name if enterprise.group_id else ""
    value = getattr(enterprise, column.key)
    return "" if value is None else value


def _enrolment_cell(enrolment, column):
    if enrolment is None:
        return ""
    if column.key == "module":
        return enrolment.module.code
    if column.key == "enrolment_status":
        return enrolment.get_status_display()
    value = getattr(enrolment, column.key)
    return "" if value is None else value


def export_rows(queryset, progress: Callable[[int], None] | None = None):
    """Header row, then one row per enterprise and enrolment (plain values, neutralised);
    ``progress`` hears the number of enterprises written, every 500."""
    yield (
        [_("Partner")]
        + [str(column.label) for column in ENTERPRISE_COLUMNS]
        + [str(column.label) for column in ENROLMENT_COLUMNS]
    )
    enrolments = Prefetch(
        "enrolments",
        queryset=Enrolment.objects.select_related("module").order_by("module__order", "pk"),
        to_attr="export_enrolments",
    )
    rows = queryset.select_related("partner", "group").prefetch_related(enrolments)
    for done, enterprise in enumerate(rows.iterator(chunk_size=2000)):
        if progress is not None and done % 500 == 0:
            progress(done)
        values = [enterprise.partner.code] + [_cell(enterprise, c) for c in ENTERPRISE_COLUMNS]
        for enrolment in enterprise.export_enrolments or [None]:
            yield [
                neutralise(value)
                for value in values + [_enrolment_cell(enrolment, c) for c in ENROLMENT_COLUMNS]
            ]


def export_enterprises(queryset, fmt: str, progress=None) -> tuple[bytes, str, str]:
    """Return (file bytes, content type, file name) for ``queryset`` in ``fmt``."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format: {fmt}")
    filename = f"enterprises-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == CSV:
        out = io.StringIO(newline="")
        csv.writer(out).writerows(export_rows(queryset, progress))
        # With a BOM, Excel (also Chinese Excel) opens UTF-8 and shows Chinese correctly.
        return out.getvalue().encode("utf-8-sig"), CONTENT_TYPES[CSV], filename
    return _xlsx(export_rows(queryset, progress)), CONTENT_TYPES[XLSX], filename


def _xlsx(rows) -> bytes:
    workbook = spreadsheets.new_workbook(write_only=True)
    sheet = workbook.create_sheet(_("Enterprises"))
    rows = iter(rows)
    spreadsheets.append(sheet, next(rows), bold=True)
    for row in rows:
        spreadsheets.append(sheet, row)
    return spreadsheets.to_bytes(workbook)


# --- Large lists: in the worker, with progress ---------------------------------------------


def filtered_enterprises(user, params):
    """The enterprise list page's search and filters for ``user`` (``params``: a QueryDict);
    ``selected`` narrows to chosen rows. None when a filter value was not understood."""
    from types import SimpleNamespace

    from ..filters import EnterpriseFilter
    from ..selectors import enterprise_list

    request = SimpleNamespace(user=user, GET=params)
    filterset = EnterpriseFilter(params, queryset=enterprise_list(user), request=request)
    if not filterset.is_valid():
        return None
    queryset = filterset.qs
    selected = query_ids(params, "selected")
    return queryset.filter(pk__in=selected) if selected else queryset


def runs_inline(queryset) -> bool:
    """Small lists are written in the request; larger ones by the worker (a 10,000-row file
    takes longer than a request should)."""
    return queryset.count() <= settings.EXPORT_INLINE_ENTERPRISES


def export_job_create(*, acting_user, params, fmt: str) -> ExportJob:
    """Queue an export of the list as filtered (``params``, the list page's query)."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format: {fmt}")
    query = {key: params.getlist(key) for key in params if key != "format"}
    with transaction.atomic():
        job = ExportJob.objects.create(
            requested_by=acting_user,
            format=fmt,
            query=query,
            language=translation.get_language() or "en",
        )
        ExportJob.enqueue_on_commit(job.pk)
    return job


def export_job_run(job_id) -> bool:
    """Write one export (False when another worker has claimed it). The rows are those the
    requester may see now, with the filters they chose; headers in their language."""
    if not ExportJob.claim(job_id):
        return False
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    try:
        with translation.override(job.language):
            params = QueryDict(mutable=True)
            for key, values in job.query.items():
                params.setlist(key, [str(v) for v in values])
            queryset = filtered_enterprises(job.requested_by, params)
            if queryset is None:
                ExportJob.fail(job.pk, _("Nothing was exported: correct the filter first."))
                return True
            total = queryset.count()
            ExportJob.objects.filter(pk=job.pk).update(total_rows=total)

            def progress(done: int) -> None:
                ExportJob.set_progress(job.pk, 100 * done // max(total, 1))

            data, _content_type, filename = export_enterprises(queryset, job.format, progress)
            job.file_name = filename
            job.file.save(filename, ContentFile(data), save=False)
            ExportJob.finish(
                job.pk, status=ExportJob.Status.DONE, file=job.file.name, file_name=filename
            )
    except Exception:
        logger.exception("Export %s failed", job_id)
        with translation.override(job.language):
            ExportJob.fail(job_id, _("The export stopped because of an unexpected error."))
        raise
    return True


def export_files_delete_old(*, days: int | None = None) -> int:
    """Delete export files older than ``days`` (default IMPORT_FILE_RETENTION_DAYS): they
    hold a snapshot of partner data nobody needs kept. The job rows stay."""
    days = settings.IMPORT_FILE_RETENTION_DAYS if days is None else days
    old = ExportJob.objects.filter(created_at__lt=timezone.now() - timedelta(days=days)).exclude(
        file=""
    )
    count = 0
    for job in old.iterator():
        job.file.storage.delete(job.file.name)
        ExportJob.objects.filter(pk=job.pk).update(file="")
        count += 1
    return count
