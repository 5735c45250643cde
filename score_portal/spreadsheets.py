"""The one way the portal writes XLSX files (exports, report spreadsheets, workshop packs,
import templates): every value goes through ``clean``.

* Text a spreadsheet would run as a formula (starting with ``= + - @``, tab or carriage
  return) is prefixed with a single quote (OWASP CSV injection), so ``=HYPERLINK(...)`` in a
  name lands as text.
* Numbers stay numbers and dates stay dates (a spreadsheet sums and sorts them), shown the
  way pages print them (``score_portal.formatting``): amounts (decimals) grouped by thousands,
  ``#,##0`` or ``#,##0.00``; dates as date cells ``yyyy-mm-dd``; times in local time.
* Characters XML 1.0 cannot hold (``\\x00``–``\\x08``, ``\\x0b``, ``\\x0c``, ``\\x0e``–``\\x1f``)
  are removed: openpyxl refuses them, and one in any enterprise name would fail the file.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from score_portal import formatting

# A cell starting with one of these is a formula (or starts one) in Excel, LibreOffice, WPS.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """Prefix text a spreadsheet would evaluate with a single quote. (CSV files too.)"""
    if isinstance(value, str) and len(value) > 1 and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def clean(value):
    """A value safe to put in a cell: text without illegal characters and never a formula;
    decimals as floats; other objects (lazy translations, model instances) as text."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.datetime):  # Excel has no time zones: local time
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if hasattr(value, "isoformat"):  # dates and times stay dates
        return value
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def number_format(value) -> str | None:
    """The cell format that shows ``value`` (before ``clean``) as the portal prints it."""
    if isinstance(value, datetime.datetime):
        return formatting.DATETIME_FORMAT_XLSX
    if isinstance(value, datetime.date):
        return formatting.DATE_FORMAT_XLSX
    if isinstance(value, Decimal) and value.is_finite():
        whole = value == value.to_integral_value()
        return formatting.MONEY_FORMAT if whole else formatting.DECIMAL_FORMAT
    return None


def new_workbook(*, write_only: bool = False) -> Workbook:
    return Workbook(write_only=write_only)


def append(sheet, values, *, bold: bool = False) -> None:
    """Append one row of cleaned values; strings are always stored as text, never formulas.
    Works on ordinary and write-only sheets."""
    values = list(values)
    formats = [number_format(value) for value in values]
    values = [clean(value) for value in values]
    if sheet.parent.write_only:
        cells = []
        for value, shown in zip(values, formats, strict=True):
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            if shown:
                cell.number_format = shown
            if bold:
                cell.font = Font(bold=True)
            cells.append(cell)
        sheet.append(cells)
        return
    sheet.append(values)
    row = sheet._current_row
    for column, (value, shown) in enumerate(zip(values, formats, strict=True), start=1):
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, str):
            cell.data_type = "s"
        if shown:
            cell.number_format = shown
        if bold:
            cell.font = Font(bold=True)


def sheet_title(title, used: set[str] | None = None) -> str:
    """A valid, unique sheet name (at most 31 characters, none of ``[]:*?/\\``)."""
    used = set() if used is None else used
    text = ILLEGAL_CHARACTERS_RE.sub("", str(title))
    base = "".join(ch for ch in text if ch not in "[]:*?/\\").strip("'")[:28] or "Sheet"
    name, counter = base, 2
    while name in used:
        name = f"{base[:25]} {counter}"
        counter += 1
    used.add(name)
    return name


def to_bytes(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
