"""Yearly targets per partner: reads (scoped to the user) and the one write, which sets a
partner's whole grid for a year in one transaction."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet

from catalogue.models import Module
from score_portal.access import Perm, scope
from score_portal.models import Partner
from score_portal.services import delete_as, require, save_as

from .models import Target

Key = tuple[str, int | None]  # (metric, module id)


def target_grid_keys(modules: list[Module]) -> list[tuple[Key, str]]:
    """The rows of the target grid: trained enterprises per module, then the other metrics,
    each with its label."""
    rows: list[tuple[Key, str]] = [
        (
            (Target.Metric.ENTERPRISES_TRAINED, module.pk),
            f"{Target.Metric.ENTERPRISES_TRAINED.label}: {module.code} {module.name}",
        )
        for module in modules
    ]
    rows += [
        ((metric, None), label)
        for metric, label in Target.Metric.choices
        if metric != Target.Metric.ENTERPRISES_TRAINED
    ]
    return rows


def target_list(user, *, year: int | None = None) -> QuerySet[Target]:
    """Targets the user may read (their partners'; programme managers: all)."""
    targets = scope(user, Target.objects.all()).select_related("partner", "module")
    if year is not None:
        targets = targets.filter(year=year)
    return targets.order_by("partner__code", "metric", "module__order")


def target_values(user, *, partner: Partner, year: int) -> dict[Key, Decimal]:
    return {
        (t.metric, t.module_id): t.value
        for t in target_list(user, year=year).filter(partner=partner)
    }


@transaction.atomic
def targets_set(
    *, acting_user, partner: Partner, year: int, values: dict[Key, Decimal | None]
) -> int:
    """Set a partner's targets for a year: a value creates or changes the target, an empty
    value removes it. Programme managers only. History rows name the acting user. Returns
    the number of targets that changed."""
    require(acting_user, Perm.MANAGE_TARGETS)
    existing = {
        (t.metric, t.module_id): t
        for t in Target.objects.select_for_update().filter(partner=partner, year=year).order_by()
    }
    changed = 0
    for (metric, module_id), value in values.items():
        target = existing.get((metric, module_id))
        if value is None:
            if target is not None:
                delete_as(target, acting_user)
                changed += 1
            continue
        if target is not None and target.value == value:
            continue
        target = target or Target(partner=partner, year=year, metric=metric, module_id=module_id)
        target.value = value
        target.full_clean()
        save_as(target, acting_user)
        changed += 1
    return changed
