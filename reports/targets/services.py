"""Writing targets: a partner's grid for a year, and copying last year's targets. Both run
in one transaction with the partner's targets locked, and every change is saved through
``save_as`` so its history names the author."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from score_portal.access import Perm
from score_portal.models import Partner
from score_portal.services import delete_as, require, save_as

from ..indicators.definitions import REGISTER
from ..models import Target
from .selectors import CellKey, RowKey, kind_matters


def _locked(partner: Partner, year: int) -> dict[CellKey, Target]:
    return {
        (t.indicator, t.module_id, t.sex, t.quarter): t
        for t in Target.objects.select_for_update()
        .filter(partner=partner, year=year)
        .order_by("pk")
    }


def _default_kind(code: str) -> str:
    indicator = REGISTER.get(code)
    if indicator is not None and not kind_matters(indicator):
        return Target.Kind.CUMULATIVE
    return Target.Kind.INCREMENTAL


@transaction.atomic
def targets_set(
    *,
    acting_user,
    partner: Partner,
    year: int,
    values: dict[CellKey, Decimal | None],
    kinds: dict[RowKey, str] | None = None,
) -> int:
    """Set some of a partner's targets for a year: a value creates or changes the target of
    its cell (indicator, module, sex, quarter), an empty value removes it; ``kinds`` gives
    each row's kind (cumulative or incremental; by default incremental where the kind
    matters, else cumulative). Cells not in ``values`` stay as they are.
    Needs MANAGE_TARGETS at the partner. Returns the number of targets that changed."""
    require(acting_user, Perm.MANAGE_TARGETS, partner.pk)
    kinds = kinds or {}
    existing = _locked(partner, year)
    changed = 0
    errors = []
    for (code, module_id, sex, quarter), value in values.items():
        target = existing.get((code, module_id, sex, quarter))
        kind = kinds.get((code, module_id, sex)) or (
            target.kind if target is not None else _default_kind(code)
        )
        if value is None:
            if target is not None:
                delete_as(target, acting_user)
                changed += 1
            continue
        if target is not None and target.value == value and target.kind == kind:
            continue
        target = target or Target(
            partner=partner,
            year=year,
            indicator=code,
            module_id=module_id,
            sex=sex,
            quarter=quarter,
        )
        target.value, target.kind = value, kind
        try:
            target.full_clean()
        except ValidationError as exc:
            errors.extend(f"{target.name} {target.period_label}: {m}" for m in exc.messages)
            continue
        save_as(target, acting_user)
        changed += 1
    if errors:
        raise ValidationError(errors)
    return changed


@dataclass
class CopyPlan:
    """What copying a year's targets to the next would do: targets to create, targets whose
    cell already holds the same value (nothing to do) and conflicts (a different value is
    there: kept unless the person chose to replace them)."""

    partner: Partner
    from_year: int
    to_year: int
    create: list[Target] = field(default_factory=list)
    same: list[Target] = field(default_factory=list)
    conflicts: list[tuple[Target, Target]] = field(default_factory=list)  # (source, existing)


def _plan(partner: Partner, from_year: int, to_year: int, existing: dict) -> CopyPlan:
    plan = CopyPlan(partner, from_year, to_year)
    sources = (
        Target.objects.filter(partner=partner, year=from_year)
        .select_related("partner", "module")
        .order_by("indicator", "module__order", "sex", "quarter")
    )
    for source in sources:
        current = existing.get((source.indicator, source.module_id, source.sex, source.quarter))
        if current is None:
            plan.create.append(source)
        elif current.value == source.value and current.kind == source.kind:
            plan.same.append(source)
        else:
            plan.conflicts.append((source, current))
    return plan


def targets_copy_plan(*, acting_user, partner: Partner, from_year: int, to_year: int) -> CopyPlan:
    """What ``targets_copy_year`` would do, for the confirmation page (writes nothing)."""
    require(acting_user, Perm.MANAGE_TARGETS, partner.pk)
    existing = {
        (t.indicator, t.module_id, t.sex, t.quarter): t
        for t in Target.objects.filter(partner=partner, year=to_year).select_related("module")
    }
    return _plan(partner, from_year, to_year, existing)


@transaction.atomic
def targets_copy_year(
    *, acting_user, partner: Partner, from_year: int, to_year: int, replace: bool = False
) -> CopyPlan:
    """Copy a partner's targets of ``from_year`` to ``to_year``, cell by cell (same
    indicator, module, sex, quarter and kind). A cell of ``to_year`` that already holds a
    different value is kept unless ``replace``: nothing is overwritten silently. Each
    created or replaced target gets a history row naming ``acting_user``. Returns the plan
    that was carried out."""
    require(acting_user, Perm.MANAGE_TARGETS, partner.pk)
    if from_year == to_year:
        raise ValidationError(_("Choose another year to copy from."))
    plan = _plan(partner, from_year, to_year, _locked(partner, to_year))
    if not plan.create and not (replace and plan.conflicts):
        raise ValidationError(
            _("Nothing to copy: %(year)s has no target that %(to)s lacks.")
            % {"year": from_year, "to": to_year}
        )
    for source in plan.create:
        target = Target(
            partner=partner,
            year=to_year,
            indicator=source.indicator,
            module_id=source.module_id,
            sex=source.sex,
            quarter=source.quarter,
            kind=source.kind,
            value=source.value,
        )
        target.full_clean()
        save_as(target, acting_user)
    if replace:
        for source, current in plan.conflicts:
            current.value, current.kind = source.value, source.kind
            current.full_clean()
            save_as(current, acting_user)
    return plan
