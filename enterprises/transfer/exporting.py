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

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from score_portal import spreadsheets
from score_portal.spreadsheets import neutralise

from ..models import Enrolment
from .columns import CHOICE, ENROLMENT_COLUMNS, ENTERPRISE_COLUMNS, GROUP

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


def export_rows(queryset):
    """Header row, then one row per enterprise and enrolment (plain values, neutralised)."""
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
    for enterprise in rows.iterator(chunk_size=2000):
        values = [enterprise.partner.code] + [_cell(enterprise, c) for c in ENTERPRISE_COLUMNS]
        for enrolment in enterprise.export_enrolments or [None]:
            yield [
                neutralise(value)
                for value in values + [_enrolment_cell(enrolment, c) for c in ENROLMENT_COLUMNS]
            ]


def export_enterprises(queryset, fmt: str) -> tuple[bytes, str, str]:
    """Return (file bytes, content type, file name) for ``queryset`` in ``fmt``."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format: {fmt}")
    filename = f"enterprises-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == CSV:
        out = io.StringIO(newline="")
        csv.writer(out).writerows(export_rows(queryset))
        # With a BOM, Excel (also Chinese Excel) opens UTF-8 and shows Chinese correctly.
        return out.getvalue().encode("utf-8-sig"), CONTENT_TYPES[CSV], filename
    return _xlsx(export_rows(queryset)), CONTENT_TYPES[XLSX], filename


def _xlsx(rows) -> bytes:
    workbook = spreadsheets.new_workbook(write_only=True)
    sheet = workbook.create_sheet(_("Enterprises"))
    rows = iter(rows)
    spreadsheets.append(sheet, next(rows), bold=True)
    for row in rows:
        spreadsheets.append(sheet, row)
    return spreadsheets.to_bytes(workbook)
