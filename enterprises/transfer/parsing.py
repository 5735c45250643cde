"""Read an import file into rows keyed by column: the pure first step of an import.

``parse`` touches no database and never raises for bad input: file-level problems (empty, not
a spreadsheet, too large, no "name" column) are returned in ``ParsedFile.errors``. The cell
converters turn what Excel or a CSV file holds into model values.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .columns import header_key, header_lookup


def max_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_BYTES", 10 * 1024 * 1024)


def max_unzipped_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_UNZIPPED_BYTES", 100 * 1024 * 1024)


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", 20_000)


def max_columns() -> int:
    return getattr(settings, "IMPORT_MAX_COLUMNS", 100)


class FileRefused(Exception):
    """A file-level limit: the message says which."""


# --- Parsing --------------------------------------------------------------------------------


@dataclass
class ParsedRow:
    number: int  # the row number a spreadsheet program shows
    values: dict[str, Any]
    raw: list = field(default_factory=list)  # the row's cells as read (for the error file)


@dataclass
class ParsedFile:
    rows: list[ParsedRow] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # column key → header as written
    unknown_headers: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # file-level: nothing can be imported
    format: str = ""
    header_row: list = field(default_factory=list)  # the header row as written
    skipped_examples: list[int] = field(default_factory=list)  # example rows left in


def parse(file, name: str = "") -> ParsedFile:
    """Read an uploaded file (any object with ``read``, or bytes) into rows. Never raises for
    bad input: file-level problems are in ``errors``."""
    parsed, table = read_table(file, name)
    if parsed.errors or table is None:
        return parsed
    _map_rows(parsed, table)
    return parsed


def read_table(file, name: str = "") -> tuple[ParsedFile, list[list] | None]:
    """The first sheet of an uploaded XLSX or CSV file as a list of rows, within the limits
    on size, decompressed size, rows and columns; file-level problems are in the returned
    ``ParsedFile.errors`` (and the table is None). Other importers (attendance sheets) map
    the table themselves."""
    name = name or getattr(file, "name", "") or ""
    data = file if isinstance(file, bytes) else _read(file)
    limit = max_bytes()
    if len(data) > limit:
        return ParsedFile(
            errors=[
                _("The file is larger than %(size)s MB.") % {"size": f"{limit / 1024 / 1024:g}"}
            ]
        ), None
    if not data.strip():
        return ParsedFile(errors=[_("The file is empty.")]), None
    try:
        if data[:4] == b"PK\x03\x04":
            parsed, table = _read_xlsx(data)
        elif name.lower().endswith(".xlsx") or b"\x00" in data:
            return _not_a_spreadsheet(), None
        else:
            parsed, table = _read_csv(data)
    except FileRefused as exc:
        return ParsedFile(errors=[str(exc)]), None
    return parsed, (None if parsed.errors else table)


def _read(file) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    return file.read(max_bytes() + 1)


def _not_a_spreadsheet() -> ParsedFile:
    return ParsedFile(
        errors=[
            _("This file is not a spreadsheet: upload an Excel workbook (.xlsx) or a CSV file.")
        ]
    )


def is_xlsx_structure(data: bytes) -> bool:
    """An XLSX file is a zip holding a workbook part; checked before openpyxl opens it. Only
    the zip's central directory is read (nothing is inflated)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names


def _too_large_unzipped() -> FileRefused:
    return FileRefused(
        _(
            "The workbook is too large once unpacked (more than %(size)s MB): "
            "split it into smaller files."
        )
        % {"size": f"{max_unzipped_bytes() / 1024 / 1024:g}"}
    )


def _too_many_rows() -> FileRefused:
    return FileRefused(
        _("The file has more than %(max)s rows: split it into smaller files.")
        % {"max": f"{max_rows():,}"}
    )


def _too_many_columns() -> FileRefused:
    return FileRefused(
        _("The file has more than %(max)s columns: use the columns of the template.")
        % {"max": max_columns()}
    )


def check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse a decompression bomb before anything is inflated: the sizes come from the
    zip's central directory (an entry that inflates beyond its stated size fails its CRC
    check in zipfile, which stops at the stated size). Then the worksheets are streamed,
    1 MB at a time, counting cells per row: openpyxl builds a whole row in memory, so a
    row of millions of cells must be refused before it does."""
    limit = max_unzipped_bytes()
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if info.file_size > limit or total > limit:
            raise _too_large_unzipped()
    for info in archive.infolist():
        name = info.filename
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            _scan_sheet(archive, info)
        elif name == "xl/sharedStrings.xml":
            _scan_shared_strings(archive, info)


_SHEET_TOKEN = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)[\s>/]")
_STRING_TOKEN = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(si)[\s>/]")
_OVERLAP = 64


def _tokens(archive, info, pattern):
    """The tag names matching ``pattern`` in a part, streamed in bounded chunks."""
    carry = b""
    with archive.open(info) as stream:
        while True:
            chunk = stream.read(1024 * 1024)
            buffer = carry + chunk
            last = not chunk
            end = len(buffer) if last else max(len(buffer) - _OVERLAP, 0)
            for match in pattern.finditer(buffer):
                if match.start() >= end:
                    break
                yield match.group(1)
            if last:
                return
            carry = buffer[end:]


def _scan_sheet(archive, info) -> None:
    rows = cells = 0
    for tag in _tokens(archive, info, _SHEET_TOKEN):
        if tag == b"row":
            cells = 0
            continue
        cells += 1
        if cells == 1:  # a row with cells (formatting alone writes empty rows)
            rows += 1
            if rows > max_rows() + 2:  # two header rows
                raise _too_many_rows()
        if cells > max_columns():
            raise _too_many_columns()


def _scan_shared_strings(archive, info) -> None:
    limit = max_rows() * max_columns()
    for count, _tag in enumerate(_tokens(archive, info, _STRING_TOKEN), start=1):
        if count > limit:
            raise _too_large_unzipped()


def _read_xlsx(data: bytes):
    import openpyxl

    if not is_xlsx_structure(data):
        return _not_a_spreadsheet(), None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_archive(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        return _not_a_spreadsheet(), None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        return _not_a_spreadsheet(), None
    sheet = workbook.worksheets[0]
    table = []
    try:
        for values in sheet.iter_rows(values_only=True):
            if len(values) > max_columns():
                raise _too_many_columns()
            table.append(list(values))
            if len(table) > max_rows() + 2:  # header rows + one too many
                raise _too_many_rows()
    except FileRefused:
        raise
    except Exception:  # noqa: BLE001
        return _not_a_spreadsheet(), None
    finally:
        workbook.close()
    return ParsedFile(format="xlsx"), table


def _read_csv(data: bytes):
    # Chinese Excel saves CSV in GBK; gb18030 is its superset. utf-8-sig also reads plain UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        break
    else:
        return ParsedFile(
            errors=[
                _(
                    "The CSV file could not be read: save it as UTF-8 or as "
                    "GBK (Chinese Excel's default)."
                )
            ]
        ), None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    table = []
    try:
        for values in csv.reader(io.StringIO(text, newline=""), dialect):
            if len(values) > max_columns():
                raise _too_many_columns()
            table.append(values)
            if len(table) > max_rows() + 2:
                raise _too_many_rows()
    except csv.Error:
        return _not_a_spreadsheet(), None
    return ParsedFile(format="csv"), table


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


EXAMPLE_SEARCH_ROWS = 5  # example rows and a second header row sit just below the header
HEADER_SEARCH_ROWS = 20  # title rows above the header row ("2026年浙江省企业名单", dates...)
_EXAMPLE_WORDS = r"(?:示例|样例|举例|例如|填写示例|example|sample|e\.g\.?)"
_EXAMPLE_CELL = re.compile(
    r"^[(（\[【]?\s*(?:" + _EXAMPLE_WORDS + r"|例)\s*[)）\]】]?\s*[:：]?\s*$", re.IGNORECASE
)
_EXAMPLE_NAME = re.compile(
    r"^[(（\[【]?\s*(?:" + _EXAMPLE_WORDS + r"|例\s*[)）\]】:：])", re.IGNORECASE
)


def is_example_row(values, name) -> bool:
    """A template's example row left in: a cell saying 示例 / 例 / example, or a name that
    starts with one ("示例：某某服饰有限公司", "例：…")."""
    if any(isinstance(v, str) and _EXAMPLE_CELL.match(v.strip()) for v in values):
        return True
    return isinstance(name, str) and bool(_EXAMPLE_NAME.match(name.strip()))


def _map_rows(parsed: ParsedFile, table: list[list]) -> None:
    lookup = header_lookup()
    header_index = None
    first_filled = None
    for index, values in enumerate(table[: HEADER_SEARCH_ROWS + 1]):
        if all(is_blank(v) for v in values):
            continue
        if first_filled is None:
            first_filled = index
        if any(not is_blank(v) and header_key(v, lookup) == "name" for v in values):
            header_index = index
            break
    if first_filled is None:
        parsed.errors.append(_("The file is empty."))
        return
    header = table[header_index if header_index is not None else first_filled]
    parsed.header_row = ["" if v is None else v for v in header]
    positions: dict[int, str] = {}
    for index, title in enumerate(header):
        if is_blank(title):
            continue
        key = header_key(title, lookup)
        if key is None or key in parsed.headers:
            parsed.unknown_headers.append(str(title).strip())
        else:
            positions[index] = key
            parsed.headers[key] = str(title).strip()
    if "name" not in parsed.headers:
        parsed.errors.append(
            _(
                "The first row must hold the column headers, including the "
                "enterprise name (“name” or “企业名称”)."
            )
        )
        return
    assert header_index is not None
    for number, values in enumerate(table[header_index + 1 :], start=header_index + 2):
        cells = {key: values[i] for i, key in positions.items() if i < len(values)}
        if all(is_blank(v) for v in cells.values()):
            continue
        near_header = number <= header_index + 1 + EXAMPLE_SEARCH_ROWS
        # The template's second header row (the Chinese headers) is not data.
        if near_header and all(
            is_blank(v) or header_key(v, lookup) == key for key, v in cells.items()
        ):
            continue
        if near_header and is_example_row(values, cells.get("name")):
            parsed.skipped_examples.append(number)
            continue
        cells = {k: v.strip() if isinstance(v, str) else v for k, v in cells.items()}
        parsed.rows.append(ParsedRow(number=number, values=cells, raw=list(values)))
        if len(parsed.rows) > max_rows():
            parsed.rows = []
            parsed.errors.append(str(_too_many_rows()))
            return
    if not parsed.rows:
        parsed.errors.append(_("The file has headers but no rows to import."))


# --- Cells ----------------------------------------------------------------------------------


def to_text(raw) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # Excel stores phone numbers and codes typed as numbers as floats
    if isinstance(raw, datetime.datetime | datetime.date):
        raw = raw.isoformat()
    text = str(raw).strip()
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]  # neutralised by our export (or by hand) against formula injection
    return text


def to_int(raw) -> int:
    if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
        return int(raw)
    text = to_text(raw).replace(",", "")
    if text.isdigit():
        return int(text)
    raise ValidationError(_("Enter a whole number."))


def to_decimal(raw) -> Decimal:
    try:
        value = Decimal(to_text(raw).replace(",", "").removeprefix("¥").strip())
    except InvalidOperation:
        raise ValidationError(_("Enter an amount, for example 1200.50.")) from None
    if not value.is_finite():
        raise ValidationError(_("Enter an amount, for example 1200.50."))
    return value.quantize(Decimal("0.01"))


def to_date(raw) -> datetime.date:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = to_text(raw).replace("年", "-").replace("月", "-").rstrip("日")
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    raise ValidationError(_("Enter a date as YYYY-MM-DD."))
