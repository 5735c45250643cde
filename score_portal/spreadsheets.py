"""The one way the portal writes XLSX files (exports, report spreadsheets, workshop packs,
import templates): every value goes through ``clean``.

* Text a spreadsheet would run as a formula (starting with ``= + - @``, tab or carriage
  return) is prefixed with a single quote (OWASP CSV injection), so ``=HYPERLINK(...)`` in a
  name lands as text.
* Characters XML 1.0 cannot hold (``\\x00``–``\\x08``, ``\\x0b``, ``\\x0c``, ``\\x0e``–``\\x1f``)
  are removed: openpyxl refuses them, and one in any enterprise name would fail the file.
"""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

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
    if hasattr(value, "isoformat"):  # dates and datetimes stay dates
        return value
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def new_workbook(*, write_only: bool = False) -> Workbook:
    return Workbook(write_only=write_only)


def append(sheet, values, *, bold: bool = False) -> None:
    """Append one row of cleaned values; strings are always stored as text, never formulas.
    Works on ordinary and write-only sheets."""
    values = [clean(value) for value in values]
    if sheet.parent.write_only:
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            if bold:
                cell.font = Font(bold=True)
            cells.append(cell)
        sheet.append(cells)
        return
    sheet.append(values)
    row = sheet._current_row
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, str):
            cell.data_type = "s"
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
