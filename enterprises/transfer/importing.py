"""Import enterprises and their enrolments from an XLSX or CSV file.

Two steps. ``parse`` turns the bytes into rows keyed by column (pure: no database). Then
``run_import`` writes the rows, in file order, through the enterprise and enrolment services
(so permissions, validation, the entry-module rule and history all apply) inside one
transaction. A dry run executes exactly the same code and rolls the transaction back, so a
preview and the import that follows can never disagree; an import with any failing row is
rolled back too, so errors never leave half an import behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from catalogue.models import Module
from score_portal import events
from score_portal.access import Perm
from score_portal.services import require

from .. import services
from ..models import CREDIT_CODE_TAKEN, Enrolment, Enterprise, EnterpriseGroup
from ..services.enrolments import enrolment_create
from ..validators import (
    clean_uscc,
    uscc_category_warning,
    uscc_check_only_fails,
    validate_uscc,
)
from .columns import (
    CHOICE,
    COLUMNS_BY_KEY,
    DATE,
    DECIMAL,
    ENROLMENT_COLUMNS,
    ENTERPRISE_COLUMNS,
    GROUP,
    INT,
    MODULE,
    YEAR,
    choice_lookup,
    normalise,
)
from .parsing import (
    ParsedFile,
    ParsedRow,
    is_blank,
    to_date,
    to_decimal,
    to_int,
    to_text,
)
from .values import extend_lookup, resolve, to_workers, to_year

NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"
OUTCOMES = (NEW, UPDATE, UNCHANGED, ERROR)


@dataclass
class RowOutcome:
    row: int
    outcome: str
    name: str = ""
    errors: list[dict[str, str]] = field(default_factory=list)  # {"column", "message"}
    changes: list[str] = field(default_factory=list)  # headers of the changed columns
    enrolment: str = ""  # module code of an enrolment created by this row
    warnings: list[dict[str, str]] = field(default_factory=list)  # {"column", "message"}
    override: bool = False  # a credit code accepted despite its check character

    def error(self, column: str, message: str) -> None:
        self.outcome = ERROR
        self.errors.append({"column": column, "message": str(message)})

    def warn(self, column: str, message: str) -> None:
        self.warnings.append({"column": column, "message": str(message)})


@dataclass
class ImportResult:
    dry_run: bool
    rows: list[RowOutcome] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    applied: bool = False
    partial: bool = False  # "import the valid rows": rows with errors are left out
    skipped_examples: list[int] = field(default_factory=list)

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
        return {
            "dry_run": self.dry_run,
            "applied": self.applied,
            "partial": self.partial,
            "skipped_examples": self.skipped_examples,
            "file_errors": self.file_errors,
            "counts": self.counts,
            "rows": [asdict(row) for row in self.rows],
        }


class _Context:
    """What one import run knows beyond the current row."""

    def __init__(self, parsed: ParsedFile, override_reason: str = "", partner=None):
        self.headers = parsed.headers
        self.override_reason = override_reason.strip()
        self.override_by = None
        self.choices = {}
        for column in COLUMNS_BY_KEY.values():
            if column.kind == CHOICE and column.key in parsed.headers:
                lookup = choice_lookup(column)
                extend_lookup(column, lookup)
                self.choices[column.key] = lookup
        self.modules: dict[str, Module] = {}
        for module in Module.objects.all():
            for alias in (module.code, module.name_en, module.name_zh):
                if alias:
                    self.modules.setdefault(normalise(alias), module)
        # The importing partner's groups by English name, Chinese name and code: a row names
        # an existing group; an unknown name is the row's error (no group is made silently).
        self.groups: dict[str, EnterpriseGroup] = {}
        if partner is not None and "group" in parsed.headers:
            for group in EnterpriseGroup.objects.filter(partner=partner):
                for alias in (group.name, group.name_zh, group.code):
                    if alias:
                        self.groups.setdefault(normalise(alias), group)
        self.by_code: dict[str, _Seen] = {}
        self.by_name: dict[str, _Seen] = {}

    def header(self, key: str) -> str:
        if not key:
            return ""
        column = COLUMNS_BY_KEY.get(key)
        return self.headers.get(key) or (str(column.label) if column else "")


@dataclass
class _Seen:
    row: int
    has_code: bool
    values: dict
    modules: set = field(default_factory=set)


def run_import(
    *,
    acting_user,
    partner,
    parsed: ParsedFile,
    dry_run: bool,
    progress: Callable[[int, int], None] | None = None,
    partial: bool = False,
    override_reason: str = "",
    override_by=None,
) -> ImportResult:
    """Import ``parsed`` for ``partner`` as ``acting_user`` (who needs Perm.CHANGE).

    Rows are written in file order in one transaction, each in a savepoint so that every
    row's outcome is reported. The transaction is rolled back for a dry run and, unless
    ``partial`` ("import the valid rows"), whenever any row fails. ``override_reason``,
    granted by ``override_by`` (a user with Perm.OVERRIDE: a programme manager; default the
    acting user), accepts credit codes whose only fault is the check character.
    ``progress(done, total)`` is called every few rows."""
    require(acting_user, Perm.CHANGE, partner.pk)
    override_by = override_by or acting_user
    if override_reason.strip():
        require(override_by, Perm.OVERRIDE, partner.pk)
    result = ImportResult(
        dry_run=dry_run,
        file_errors=list(parsed.errors),
        partial=partial,
        skipped_examples=list(parsed.skipped_examples),
    )
    if parsed.errors:
        return result
    context = _Context(parsed, override_reason, partner)
    context.override_by = override_by
    if not any(c.key in parsed.headers for c in ENROLMENT_COLUMNS):
        from .bulk import BulkConflict, run_bulk

        try:
            result.rows = run_bulk(
                acting_user=acting_user,
                partner=partner,
                parsed=parsed,
                context=context,
                dry_run=dry_run,
                partial=partial,
                progress=progress,
            )
        except BulkConflict:
            # Another write got in between (a code taken meanwhile): row by row, which
            # reports each row's conflict.
            context = _Context(parsed, override_reason, partner)
            context.override_by = override_by
        else:
            result.applied = not dry_run and (not result.has_errors or partial)
            return result
    total = len(parsed.rows)
    with transaction.atomic():
        with events.batched():  # the rows' events handed over together, once per event
            for done, row in enumerate(parsed.rows, start=1):
                result.rows.append(_import_row(acting_user, partner, row, context))
                if progress and (done % 50 == 0 or done == total):
                    progress(done, total)
        if dry_run or (result.has_errors and not partial):
            transaction.set_rollback(True)
    result.applied = not dry_run and (not result.has_errors or partial)
    return result


def prepare_row(row: ParsedRow, context: _Context):
    """Convert one row and check it against the rows before it (no query). Returns the
    outcome (an error already, or unchanged so far), the enterprise values, the module and
    the enrolment values."""
    outcome = RowOutcome(row=row.number, outcome=UNCHANGED, name=str(row.values.get("name") or ""))
    values = {}
    for key, raw in row.values.items():
        if is_blank(raw):
            continue
        try:
            values[key] = _convert(key, raw, context, outcome)
        except ValidationError as exc:
            outcome.error(context.header(key), exc.messages[0])
    if not values.get("name"):
        outcome.error(context.header("name"), _("Enter the enterprise's name."))
    enterprise_values = {c.key: values[c.key] for c in ENTERPRISE_COLUMNS if c.key in values}
    enrolment_values = {c.key: values[c.key] for c in ENROLMENT_COLUMNS if c.key in values}
    module = enrolment_values.pop("module", None)
    if enrolment_values and is_blank(row.values.get("module")):
        outcome.error(context.header("module"), _("Give the module to enrol the enterprise in."))
    if values.get("name"):
        _check_duplicates(outcome, enterprise_values, module, context)
    return outcome, enterprise_values, module, enrolment_values


def _import_row(acting_user, partner, row: ParsedRow, context: _Context) -> RowOutcome:
    outcome, enterprise_values, module, enrolment_values = prepare_row(row, context)
    if outcome.outcome == ERROR:
        return outcome
    try:
        enterprise = _find(partner, enterprise_values)
    except ValidationError as exc:
        outcome.error(context.header(_error_key(exc)), exc.messages[0])
        return outcome
    try:
        # a row that fails rolls back its savepoint, and its events with it
        with transaction.atomic(), events.batched():
            _write(
                acting_user,
                partner,
                enterprise,
                enterprise_values,
                module,
                enrolment_values,
                outcome,
                context,
            )
    except ValidationError as exc:
        outcome.changes, outcome.enrolment = [], ""
        for key, messages in _error_items(exc):
            for message in messages:
                outcome.error(context.header(key), message)
    except (PermissionDenied, IntegrityError):
        outcome.changes, outcome.enrolment = [], ""
        outcome.error("", _("This row could not be saved: it conflicts with existing data."))
    return outcome


def _write(
    acting_user, partner, enterprise, enterprise_values, module, enrolment_values, outcome, context
) -> None:
    if enterprise is None:
        enterprise = services.enterprise_create(
            acting_user=acting_user,
            partner=partner,
            credit_code_override=context.override_reason if outcome.override else "",
            credit_code_override_by=context.override_by,
            **enterprise_values,
        )
        outcome.outcome = NEW
    else:
        changed = {k: v for k, v in enterprise_values.items() if getattr(enterprise, k) != v}
        if changed:
            enterprise = services.enterprise_update(
                acting_user=acting_user,
                enterprise=enterprise,
                credit_code_override=context.override_reason if outcome.override else "",
                credit_code_override_by=context.override_by,
                **changed,
            )
            outcome.outcome = UPDATE
            outcome.changes = [context.header(k) for k in changed]
    if module is None:
        return
    if Enrolment.objects.filter(
        enterprise=enterprise, module=module, status__in=Enrolment.OPEN_STATUSES
    ).exists():
        return
    data = {k: v for k, v in enrolment_values.items() if k.startswith("paid_")}
    enrolment_create(
        acting_user=acting_user,
        enterprise=enterprise,
        module=module,
        applied_on=enrolment_values.get("applied_on"),
        status=enrolment_values.get("enrolment_status", Enrolment.Status.APPLIED),
        **data,
    )
    outcome.enrolment = module.code
    if outcome.outcome == UNCHANGED:
        outcome.outcome = UPDATE


def _check_duplicates(outcome, values, module, context) -> None:
    """The same enterprise twice in a file is an error, except when a later row only adds an
    enrolment in another module with the same enterprise data."""
    # The same comparison as the database match (name__iexact), so both agree on "same".
    code, name = values.get("credit_code", ""), values["name"].strip().casefold()
    earlier = context.by_code.get(code) if code else None
    reason = _("Same credit code as row %(row)s.")
    if earlier is None:
        earlier = context.by_name.get(name)
        if earlier is not None and code and earlier.has_code:
            earlier = None  # two enterprises with one name, told apart by their codes
        reason = _("Same enterprise name as row %(row)s.")
    if earlier is None:
        seen = _Seen(
            row=outcome.row,
            has_code=bool(code),
            values=values,
            modules={module.pk} if module else set(),
        )
        if code:
            context.by_code[code] = seen
        context.by_name.setdefault(name, seen)
        return
    column = context.header("credit_code" if code and earlier.has_code else "name")
    if module is None or module.pk in earlier.modules:
        outcome.error(column, reason % {"row": earlier.row})
        return
    differing = [
        context.header(k)
        for k, v in values.items()
        if k in earlier.values and earlier.values[k] != v
    ]
    if differing:
        outcome.error(
            column,
            _("Row %(row)s has other values for the same enterprise: %(columns)s.")
            % {"row": earlier.row, "columns": ", ".join(differing)},
        )
        return
    earlier.modules.add(module.pk)


def _find(partner, values) -> Enterprise | None:
    """Match by credit code when there is one, else by (partner, name)."""
    code = values.get("credit_code", "")
    if code:
        match = Enterprise.objects.filter(credit_code=code).first()
        if match is not None:
            if match.partner_id != partner.pk:
                raise ValidationError({"credit_code": CREDIT_CODE_TAKEN})
            return match
    candidates = Enterprise.objects.filter(partner=partner, name__iexact=values["name"])
    if code:
        candidates = candidates.filter(credit_code="")
    matches = list(candidates[:2])
    if len(matches) > 1:
        raise ValidationError(
            {
                "name": _(
                    "Several enterprises of this partner have this name: "
                    "add the credit code to tell them apart."
                )
            }
        )
    return matches[0] if matches else None


def _error_key(exc: ValidationError) -> str:
    return next(iter(exc.error_dict)) if hasattr(exc, "error_dict") else ""


_SERVICE_FIELDS = {"override_reason": "module", "status": "enrolment_status", "__all__": ""}


def _error_items(exc: ValidationError):
    if not hasattr(exc, "error_dict"):
        yield "", exc.messages
        return
    for key, errors in exc.message_dict.items():
        key = _SERVICE_FIELDS.get(key, key)
        yield (key if key in COLUMNS_BY_KEY or not key else ""), errors


def _convert(key: str, raw, context: _Context, outcome: RowOutcome):
    column = COLUMNS_BY_KEY[key]
    if key in ("employees_total", "employees_women"):
        count, warning = to_workers(raw)
        if warning:
            outcome.warn(context.header(key), warning)
        return count
    if column.kind == INT:
        return to_int(raw)
    if column.kind == YEAR:
        return to_year(raw)
    if column.kind == DECIMAL:
        return to_decimal(raw)
    if column.kind == DATE:
        return to_date(raw)
    if column.kind == CHOICE:
        return resolve(column, to_text(raw), context.choices[key])
    if column.kind == MODULE:
        module = context.modules.get(normalise(to_text(raw)))
        if module is None:
            raise ValidationError(_("Unknown module “%(value)s”.") % {"value": to_text(raw)})
        return module
    if column.kind == GROUP:
        group = context.groups.get(normalise(to_text(raw)))
        if group is None:
            raise ValidationError(
                _(
                    "Unknown enterprise group “%(value)s”: create the group first (Groups "
                    "page), then give its name in English or Chinese, or its code."
                )
                % {"value": to_text(raw)}
            )
        return group
    if key == "credit_code":
        return _credit_code(raw, context, outcome)
    return to_text(raw)


def _credit_code(raw, context: _Context, outcome: RowOutcome) -> str:
    code = clean_uscc(raw)
    if uscc_check_only_fails(code):
        if not context.override_reason:
            try:
                validate_uscc(code)
            except ValidationError as exc:
                raise ValidationError(
                    _(
                        "%(problem)s A code issued before the national standard can be "
                        "accepted by a programme manager, with a reason (import option)."
                    )
                    % {"problem": exc.messages[0]}
                ) from None
        outcome.override = True
        outcome.warn(
            context.header("credit_code"),
            _("The check character is wrong; accepted with the override: %(reason)s")
            % {"reason": context.override_reason},
        )
    warning = uscc_category_warning(code)
    if warning:
        outcome.warn(context.header("credit_code"), warning)
    return code
