"""The bulk path of an import: files without enrolment columns (the lists partners start
with). The whole file is validated in Python with a few queries (the enterprises with the
file's credit codes, the partner's enterprises with the file's names), then written with
two bulk operations that also write the history rows with the acting user as author
(``score_portal.services.bulk_create_as`` / ``bulk_update_as``), and announced with one
``created`` and one ``updated`` event call (the webhooks), for the rows written only.

The outcomes are the row-by-row path's: the same conversion and in-file checks
(``importing.prepare_row``), the same match (credit code, else partner and name), the
model's field validators and value rules (``Enterprise.value_errors``), and the message
for a credit code of another partner. A dry run stops before the write. If the database
refuses the write (a code registered meanwhile), ``BulkConflict`` sends the caller to the
row-by-row path.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from score_portal import events
from score_portal.access import Perm
from score_portal.services import bulk_create_as, bulk_update_as, require

from ..models import CREDIT_CODE_TAKEN, Enterprise, enterprise_status_for
from ..services.enterprises import status_error
from .duplicates import LikelyDuplicates
from .importing import ERROR, NEW, UPDATE, RowOutcome, prepare_row

BATCH = 1000


class BulkConflict(Exception):
    """The database refused the bulk write: run row by row instead."""


def run_bulk(*, acting_user, partner, parsed, context, dry_run, partial, progress=None):
    prepared = []
    total = len(parsed.rows)
    for done, row in enumerate(parsed.rows, start=1):
        prepared.append(prepare_row(row, context))
        if progress and (done % 50 == 0 or done == total):
            # a dry run is this loop; an import then writes (the last tenth of the bar)
            progress(done if dry_run else done * 9 // 10, total)
    ready = [p for p in prepared if p[0].outcome != ERROR]
    codes = {v["credit_code"] for _o, v, _m, _e in ready if v.get("credit_code")}
    names = {v["name"].lower() for _o, v, _m, _e in ready}
    by_code = {
        e.credit_code: e
        for chunk in _chunks(sorted(codes))
        for e in Enterprise.objects.filter(credit_code__in=chunk)
    }
    by_name = defaultdict(list)
    for chunk in _chunks(sorted(names)):
        for e in (
            Enterprise.objects.filter(partner=partner)
            .annotate(lower_name=Lower("name"))
            .filter(lower_name__in=chunk)
        ):
            by_name[e.lower_name].append(e)
    similar = LikelyDuplicates(partner)
    new, changed, fields = [], [], set()
    now = timezone.now()
    for outcome, values, _module, _enrolment in ready:
        try:
            match = _find(partner, values, by_code, by_name)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                outcome.error(context.header(key), messages[0])
            continue
        override = context.override_reason if outcome.override else ""
        if match is None:
            enterprise = Enterprise(partner=partner, **values)
            # the status follows the enrolments: a new enterprise has none yet
            enterprise.status = enterprise_status_for([], enterprise.status)
            if _valid(enterprise, outcome, context, override):
                outcome.outcome = NEW
                new.append((outcome, enterprise))
                warning = similar.warning(values)
                if warning:
                    outcome.warn(context.header("name"), warning)
            continue
        difference = {k: v for k, v in values.items() if _current(match, k) != _plain(k, v)}
        if "status" in difference:
            # the same rule as the form and the row-by-row path (a query, only for these rows)
            error = status_error(match, difference["status"])
            if error:
                outcome.error(context.header("status"), error)
                continue
        if not difference:
            continue
        original = {k: getattr(match, k) for k in difference}
        for key, value in difference.items():
            setattr(match, key, value)
        if not _valid(match, outcome, context, override):
            for key, value in original.items():
                setattr(match, key, value)
            continue
        outcome.outcome = UPDATE
        outcome.changes = [context.header(k) for k in difference]
        match.version += 1
        match.updated_at = now
        fields.update(difference)
        changed.append((outcome, match))
    outcomes = [p[0] for p in prepared]
    failed = any(o.outcome == ERROR for o in outcomes)
    if dry_run or (failed and not partial):
        return outcomes
    require(acting_user, Perm.CHANGE, partner.pk)
    try:
        with transaction.atomic():
            created = []
            if new:
                created = bulk_create_as(
                    Enterprise, [e for _o, e in new], acting_user, batch_size=BATCH
                )
            if changed:
                for chunk in _chunks([e for _o, e in changed]):
                    bulk_update_as(
                        Enterprise, chunk, sorted(fields | {"version", "updated_at"}), acting_user
                    )
            # one event per row written (an unchanged row is not written), in two calls
            events.emit_many(events.CREATED, created)
            events.emit_many(events.UPDATED, [e for _o, e in changed])
    except IntegrityError:
        raise BulkConflict from None
    if progress:
        progress(total, total)
    return outcomes


def _current(enterprise: Enterprise, key: str):
    # the group by its id: no query per matched row
    return enterprise.group_id if key == "group" else getattr(enterprise, key)


def _plain(key: str, value):
    return value.pk if key == "group" and value is not None else value


def _find(partner, values, by_code, by_name) -> Enterprise | None:
    """``importing._find`` on the prefetched enterprises."""
    code = values.get("credit_code", "")
    if code and code in by_code:
        match = by_code[code]
        if match.partner_id != partner.pk:
            raise ValidationError({"credit_code": CREDIT_CODE_TAKEN})
        return match
    candidates = by_name.get(values["name"].lower(), [])
    if code:
        candidates = [e for e in candidates if not e.credit_code]
    if len(candidates) > 1:
        raise ValidationError(
            {
                "name": _(
                    "Several enterprises of this partner have this name: "
                    "add the credit code to tell them apart."
                )
            }
        )
    return candidates[0] if candidates else None


def _valid(enterprise: Enterprise, outcome: RowOutcome, context, override: str) -> bool:
    """The model's field validators and value rules, without a query."""
    enterprise.credit_code = (enterprise.credit_code or "").strip().upper()
    errors: dict[str, list[str]] = {}
    try:
        enterprise.clean_fields(exclude=["partner", *(["credit_code"] if override else [])])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    for key, message in enterprise.value_errors().items():
        errors.setdefault(key, []).append(str(message))
    for key, messages in errors.items():
        for message in messages:
            outcome.error(context.header(key), message)
    if errors:
        return False
    if override:
        enterprise._change_reason = override[:100]  # type: ignore[attr-defined]
    return True


def _chunks(items, size=BATCH):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]
