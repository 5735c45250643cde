"""Import enterprises and their enrolments from an XLSX or CSV file.

Two steps. ``parse`` turns the bytes into rows keyed by column (pure: no database). Then
``run_import`` writes the rows, in file order, through the enterprise and enrolment services
(so permissions, validation, the entry-module rule and history all apply) inside one
transaction. A dry run executes exactly the same code and rolls the transaction back, so a
preview and the import that follows can never disagree; an import with any failing row is
rolled back too, so errors never leave half an import behind.

Enrolments live one layer up (workshops); this module is the one place in enterprises that
calls into that layer, because an import file carries both.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from score_portal.access import Perm
from score_portal.services import require
from workshops.models import Enrolment, Module
from workshops.services import enrolment_create

from . import services
from .columns import (
    CHOICE,
    COLUMNS_BY_KEY,
    DATE,
    DECIMAL,
    ENROLMENT_COLUMNS,
    ENTERPRISE_COLUMNS,
    INT,
    MODULE,
    choice_lookup,
    header_lookup,
    normalise,
)
from .models import Enterprise

MAX_ROWS = 20_000
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # a zip bomb is refused before openpyxl reads it
NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"
OUTCOMES = (NEW, UPDATE, UNCHANGED, ERROR)


def max_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_BYTES", 5 * 1024 * 1024)


# --- Parsing --------------------------------------------------------------------------------

@dataclass
class ParsedRow:
    number: int  # the row number a spreadsheet program shows
    values: dict[str, Any]


@dataclass
class ParsedFile:
    rows: list[ParsedRow] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # column key → header as written
    unknown_headers: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # file-level: nothing can be imported
    format: str = ""


def parse(file, name: str = "") -> ParsedFile:
    """Read an uploaded file (any object with ``read``, or bytes) into rows. Never raises for
    bad input: file-level problems are in ``errors``."""
    name = name or getattr(file, "name", "") or ""
    data = file if isinstance(file, bytes) else _read(file)
    limit = max_bytes()
    if len(data) > limit:
        return ParsedFile(errors=[_("The file is larger than %(size)s MB.")
                                  % {"size": f"{limit / 1024 / 1024:g}"}])
    if not data.strip():
        return ParsedFile(errors=[_("The file is empty.")])
    if data[:4] == b"PK\x03\x04":
        parsed, table = _read_xlsx(data)
    elif name.lower().endswith(".xlsx") or b"\x00" in data:
        return _not_a_spreadsheet()
    else:
        parsed, table = _read_csv(data)
    if parsed.errors:
        return parsed
    _map_rows(parsed, table)
    return parsed


def _read(file) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    return file.read(max_bytes() + 1)


def _not_a_spreadsheet() -> ParsedFile:
    return ParsedFile(errors=[_("This file is not a spreadsheet: upload an Excel workbook "
                                "(.xlsx) or a CSV file.")])


def is_xlsx_structure(data: bytes) -> bool:
    """An XLSX file is a zip holding a workbook part; checked before openpyxl opens it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        return False
    return ("[Content_Types].xml" in names and "xl/workbook.xml" in names
            and unzipped <= MAX_UNZIPPED_BYTES)


def _read_xlsx(data: bytes):
    import openpyxl

    if not is_xlsx_structure(data):
        return _not_a_spreadsheet(), None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        return _not_a_spreadsheet(), None
    sheet = workbook.worksheets[0]
    table = []
    try:
        for values in sheet.iter_rows(values_only=True):
            table.append(list(values))
            if len(table) > MAX_ROWS + 2:  # header rows + one too many
                break
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
        return ParsedFile(errors=[_("The CSV file could not be read: save it as UTF-8 or as "
                                    "GBK (Chinese Excel's default).")]), None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    table = []
    try:
        for values in csv.reader(io.StringIO(text, newline=""), dialect):
            table.append(values)
            if len(table) > MAX_ROWS + 2:
                break
    except csv.Error:
        return _not_a_spreadsheet(), None
    return ParsedFile(format="csv"), table


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _map_rows(parsed: ParsedFile, table: list[list]) -> None:
    lookup = header_lookup()
    rows = iter(enumerate(table, start=1))
    header = None
    for _number, values in rows:
        if not all(_blank(v) for v in values):
            header = values
            break
    if header is None:
        parsed.errors.append(_("The file is empty."))
        return
    positions: dict[int, str] = {}
    for index, title in enumerate(header):
        if _blank(title):
            continue
        key = lookup.get(normalise(title))
        if key is None or key in parsed.headers:
            parsed.unknown_headers.append(str(title).strip())
        else:
            positions[index] = key
            parsed.headers[key] = str(title).strip()
    if "name" not in parsed.headers:
        parsed.errors.append(_("The first row must hold the column headers, including the "
                               "enterprise name (“name” or “企业名称”)."))
        return
    for number, values in rows:
        cells = {key: values[i] for i, key in positions.items() if i < len(values)}
        if all(_blank(v) for v in cells.values()):
            continue
        # The template's second header row (the Chinese headers) is not data.
        if all(_blank(v) or lookup.get(normalise(v)) == key for key, v in cells.items()):
            continue
        cells = {k: v.strip() if isinstance(v, str) else v for k, v in cells.items()}
        parsed.rows.append(ParsedRow(number=number, values=cells))
        if len(parsed.rows) > MAX_ROWS:
            parsed.rows = []
            parsed.errors.append(_("The file has more than %(max)s rows: split it into smaller "
                                   "files.") % {"max": f"{MAX_ROWS:,}"})
            return
    if not parsed.rows:
        parsed.errors.append(_("The file has headers but no rows to import."))


# --- Importing ------------------------------------------------------------------------------

@dataclass
class RowOutcome:
    row: int
    outcome: str
    name: str = ""
    errors: list[dict[str, str]] = field(default_factory=list)  # {"column", "message"}
    changes: list[str] = field(default_factory=list)  # headers of the changed columns
    enrolment: str = ""  # module code of an enrolment created by this row

    def error(self, column: str, message: str) -> None:
        self.outcome = ERROR
        self.errors.append({"column": column, "message": str(message)})


@dataclass
class ImportResult:
    dry_run: bool
    rows: list[RowOutcome] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    applied: bool = False

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(OUTCOMES, 0)
        for row in self.rows:
            counts[row.outcome] += 1
        return counts

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(r.outcome == ERROR for r in self.rows)

    def to_dict(self) -> dict:
        return {"dry_run": self.dry_run, "applied": self.applied,
                "file_errors": self.file_errors, "counts": self.counts,
                "rows": [asdict(row) for row in self.rows]}


class _Context:
    """What one import run knows beyond the current row."""

    def __init__(self, parsed: ParsedFile):
        self.headers = parsed.headers
        self.choices = {c.key: choice_lookup(c) for c in COLUMNS_BY_KEY.values()
                        if c.kind == CHOICE and c.key in parsed.headers}
        self.modules: dict[str, Module] = {}
        for module in Module.objects.all():
            for alias in (module.code, module.name_en, module.name_zh):
                if alias:
                    self.modules.setdefault(normalise(alias), module)
        self.by_code: dict[str, _Seen] = {}
        self.by_name: dict[str, _Seen] = {}

    def header(self, key: str) -> str:
        return self.headers.get(key) or str(COLUMNS_BY_KEY[key].label) if key else ""


@dataclass
class _Seen:
    row: int
    has_code: bool
    values: dict
    modules: set = field(default_factory=set)


def run_import(*, acting_user, partner, parsed: ParsedFile, dry_run: bool,
               progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Import ``parsed`` for ``partner`` as ``acting_user`` (who needs Perm.CHANGE).

    Rows are written in file order in one transaction, each in a savepoint so that every
    row's outcome is reported. The transaction is rolled back for a dry run and whenever
    any row fails. ``progress(done, total)`` is called every few rows."""
    require(acting_user, Perm.CHANGE, partner.pk)
    result = ImportResult(dry_run=dry_run, file_errors=list(parsed.errors))
    if parsed.errors:
        return result
    context = _Context(parsed)
    total = len(parsed.rows)
    with transaction.atomic():
        for done, row in enumerate(parsed.rows, start=1):
            result.rows.append(_import_row(acting_user, partner, row, context))
            if progress and (done % 50 == 0 or done == total):
                progress(done, total)
        if dry_run or result.has_errors:
            transaction.set_rollback(True)
    result.applied = not dry_run and not result.has_errors
    return result


def _import_row(acting_user, partner, row: ParsedRow, context: _Context) -> RowOutcome:
    outcome = RowOutcome(row=row.number, outcome=UNCHANGED,
                         name=str(row.values.get("name") or ""))
    values = {}
    for key, raw in row.values.items():
        if _blank(raw):
            continue
        try:
            values[key] = _convert(key, raw, context)
        except ValidationError as exc:
            outcome.error(context.header(key), exc.messages[0])
    if not values.get("name"):
        outcome.error(context.header("name"), _("Enter the enterprise's name."))
    enterprise_values = {c.key: values[c.key] for c in ENTERPRISE_COLUMNS if c.key in values}
    enrolment_values = {c.key: values[c.key] for c in ENROLMENT_COLUMNS if c.key in values}
    module = enrolment_values.pop("module", None)
    if enrolment_values and _blank(row.values.get("module")):
        outcome.error(context.header("module"), _("Give the module to enrol the enterprise in."))
    if values.get("name"):
        _check_duplicates(outcome, enterprise_values, module, context)
    if outcome.outcome == ERROR:
        return outcome
    try:
        enterprise = _find(partner, enterprise_values)
    except ValidationError as exc:
        outcome.error(context.header(_error_key(exc)), exc.messages[0])
        return outcome
    try:
        with transaction.atomic():
            _write(acting_user, partner, enterprise, enterprise_values, module,
                   enrolment_values, outcome, context)
    except ValidationError as exc:
        outcome.changes, outcome.enrolment = [], ""
        for key, messages in _error_items(exc):
            for message in messages:
                outcome.error(context.header(key), message)
    except (PermissionDenied, IntegrityError):
        outcome.changes, outcome.enrolment = [], ""
        outcome.error("", _("This row could not be saved: it conflicts with existing data."))
    return outcome


def _write(acting_user, partner, enterprise, enterprise_values, module, enrolment_values,
           outcome, context) -> None:
    if enterprise is None:
        enterprise = services.enterprise_create(acting_user=acting_user, partner=partner,
                                                **enterprise_values)
        outcome.outcome = NEW
    else:
        changed = {k: v for k, v in enterprise_values.items() if getattr(enterprise, k) != v}
        if changed:
            enterprise = services.enterprise_update(acting_user=acting_user,
                                                    enterprise=enterprise, **changed)
            outcome.outcome = UPDATE
            outcome.changes = [context.header(k) for k in changed]
    if module is None:
        return
    if Enrolment.objects.filter(enterprise=enterprise, module=module,
                                status__in=Enrolment.OPEN_STATUSES).exists():
        return
    data = {k: v for k, v in enrolment_values.items() if k.startswith("paid_")}
    enrolment_create(acting_user=acting_user, enterprise=enterprise, module=module,
                     applied_on=enrolment_values.get("applied_on"),
                     status=enrolment_values.get("enrolment_status", Enrolment.Status.APPLIED),
                     **data)
    outcome.enrolment = module.code
    if outcome.outcome == UNCHANGED:
        outcome.outcome = UPDATE


def _check_duplicates(outcome, values, module, context) -> None:
    """The same enterprise twice in a file is an error, except when a later row only adds an
    enrolment in another module with the same enterprise data."""
    code, name = values.get("credit_code", ""), normalise(values["name"])
    earlier = context.by_code.get(code) if code else None
    reason = _("Same credit code as row %(row)s.")
    if earlier is None:
        earlier = context.by_name.get(name)
        if earlier is not None and code and earlier.has_code:
            earlier = None  # two enterprises with one name, told apart by their codes
        reason = _("Same enterprise name as row %(row)s.")
    if earlier is None:
        seen = _Seen(row=outcome.row, has_code=bool(code), values=values,
                     modules={module.pk} if module else set())
        if code:
            context.by_code[code] = seen
        context.by_name.setdefault(name, seen)
        return
    column = context.header("credit_code" if code and earlier.has_code else "name")
    if module is None or module.pk in earlier.modules:
        outcome.error(column, reason % {"row": earlier.row})
        return
    differing = [context.header(k) for k, v in values.items()
                 if k in earlier.values and earlier.values[k] != v]
    if differing:
        outcome.error(column, _("Row %(row)s has other values for the same enterprise: "
                                "%(columns)s.") % {"row": earlier.row,
                                                    "columns": ", ".join(differing)})
        return
    earlier.modules.add(module.pk)


def _find(partner, values) -> Enterprise | None:
    """Match by credit code when there is one, else by (partner, name)."""
    code = values.get("credit_code", "")
    if code:
        match = Enterprise.objects.filter(credit_code=code).first()
        if match is not None:
            if match.partner_id != partner.pk:
                raise ValidationError({"credit_code": _(
                    "An enterprise with this credit code is registered by another partner.")})
            return match
    candidates = Enterprise.objects.filter(partner=partner, name__iexact=values["name"])
    if code:
        candidates = candidates.filter(credit_code="")
    matches = list(candidates[:2])
    if len(matches) > 1:
        raise ValidationError({"name": _("Several enterprises of this partner have this name: "
                                         "add the credit code to tell them apart.")})
    return matches[0] if matches else None


def _error_key(exc: ValidationError) -> str:
    return next(iter(exc.error_dict)) if hasattr(exc, "error_dict") else ""


_SERVICE_FIELDS = {"override_reason": "module", "status": "enrolment_status",
                   "__all__": ""}


def _error_items(exc: ValidationError):
    if not hasattr(exc, "error_dict"):
        yield "", exc.messages
        return
    for key, errors in exc.message_dict.items():
        key = _SERVICE_FIELDS.get(key, key)
        yield (key if key in COLUMNS_BY_KEY or not key else ""), errors


def _convert(key: str, raw, context: _Context):
    column = COLUMNS_BY_KEY[key]
    if column.kind == INT:
        return _to_int(raw)
    if column.kind == DECIMAL:
        return _to_decimal(raw)
    if column.kind == DATE:
        return _to_date(raw)
    if column.kind == CHOICE:
        code = context.choices[key].get(normalise(_to_text(raw)))
        if code is None:
            raise ValidationError(_("“%(value)s” is not one of the allowed values.")
                                  % {"value": _to_text(raw)})
        return code
    if column.kind == MODULE:
        module = context.modules.get(normalise(_to_text(raw)))
        if module is None:
            raise ValidationError(_("Unknown module “%(value)s”.") % {"value": _to_text(raw)})
        return module
    text = _to_text(raw)
    return text.upper() if key == "credit_code" else text


def _to_text(raw) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # Excel stores phone numbers and codes typed as numbers as floats
    if isinstance(raw, datetime.datetime | datetime.date):
        raw = raw.isoformat()
    text = str(raw).strip()
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]  # neutralised by our export (or by hand) against formula injection
    return text


def _to_int(raw) -> int:
    if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
        return int(raw)
    text = _to_text(raw).replace(",", "")
    if text.isdigit():
        return int(text)
    raise ValidationError(_("Enter a whole number."))


def _to_decimal(raw) -> Decimal:
    try:
        value = Decimal(_to_text(raw).replace(",", "").removeprefix("¥").strip())
    except InvalidOperation:
        raise ValidationError(_("Enter an amount, for example 1200.50.")) from None
    if not value.is_finite():
        raise ValidationError(_("Enter an amount, for example 1200.50."))
    return value.quantize(Decimal("0.01"))


def _to_date(raw) -> datetime.date:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = _to_text(raw).replace("年", "-").replace("月", "-").rstrip("日")
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    raise ValidationError(_("Enter a date as YYYY-MM-DD."))
