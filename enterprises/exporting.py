"""Export enterprises to CSV or XLSX, with headers in the current language.

The headers and choice labels are those the import accepts, so an exported file can be
corrected and imported again. Text that a spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from .columns import CHOICE, ENTERPRISE_COLUMNS

CSV, XLSX = "csv", "xlsx"
FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A cell starting with one of these is a formula (or starts one) in Excel, LibreOffice, WPS.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix text a spreadsheet would evaluate with a single quote (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(enterprise, column):
    if column.kind == CHOICE:
        return getattr(enterprise, f"get_{column.key}_display")() or ""
    value = getattr(enterprise, column.key)
    return "" if value is None else value


def export_rows(queryset):
    """Header row, then one row per enterprise (plain values, neutralised)."""
    yield [_("Partner")] + [str(column.label) for column in ENTERPRISE_COLUMNS]
    for enterprise in queryset.select_related("partner").iterator(chunk_size=2000):
        yield [neutralise(value) for value in
               [enterprise.partner.code] + [_cell(enterprise, c) for c in ENTERPRISE_COLUMNS]]


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
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Enterprises"))
    rows = iter(rows)
    header = []
    for title in next(rows):
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        # Every string is written as text: openpyxl would otherwise store "=..." as a formula.
        sheet.append([_text_cell(sheet, v) if isinstance(v, str) else v for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell
