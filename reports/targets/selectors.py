"""Reading targets: what the user may see, and the rows of a partner's target grid."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from catalogue.models import Module
from score_portal.access import scope
from score_portal.models import Partner

from ..indicators.definitions import BY_SEX, IN_PERIOD, INDICATORS, MONEY, Indicator
from ..models import Target

# (indicator code, module id or None, sex or "")
RowKey = tuple[str, int | None, str]
# RowKey + quarter (0: the whole year)
CellKey = tuple[str, int | None, str, int]

QUARTERS = [q for q, _label in Target.Quarter.choices]


def target_indicators(*, module: bool = False) -> list[Indicator]:
    """Indicators a target can be set for: one number each (not money); with ``module``,
    those with a figure per module."""
    return [
        indicator
        for indicator in INDICATORS
        if indicator.unit != MONEY and (not module or "module" in indicator.by)
    ]


def kind_matters(indicator: Indicator) -> bool:
    """A figure of what happens in a period can be targeted per period or cumulatively; a
    standing on a date (or a cumulative figure) is always cumulative."""
    return indicator.period_rule == IN_PERIOD


@dataclass(frozen=True)
class GridRow:
    indicator: Indicator
    module: Module | None
    sex: str

    @property
    def key(self) -> RowKey:
        return (self.indicator.code, self.module.pk if self.module else None, self.sex)

    @property
    def label(self) -> str:
        parts = [str(self.indicator.name)]
        if self.module is not None:
            parts.append(f"{self.module.code} {self.module.name}")
        if self.sex:
            parts.append(str(Target.Sex(self.sex).label))
        return " · ".join(parts)

    @property
    def kind_matters(self) -> bool:
        return kind_matters(self.indicator)


def target_grid_rows(module: Module | None = None) -> list[GridRow]:
    """The rows of a partner's grid: every indicator that takes a target (with ``module``:
    those with a figure per module, for that module), then one row per sex where the
    indicator has a figure per sex."""
    rows = []
    for indicator in target_indicators(module=module is not None):
        rows.append(GridRow(indicator, module, ""))
        for sex in BY_SEX.get(indicator.code, {}):
            rows.append(GridRow(indicator, module, sex))
    return rows


def target_list(user, *, year: int | None = None, partner: Partner | None = None) -> QuerySet:
    """Targets the user may read (their partners'; programme managers: all)."""
    targets = scope(user, Target.objects.all()).select_related("partner", "module")
    if year is not None:
        targets = targets.filter(year=year)
    if partner is not None:
        targets = targets.filter(partner=partner)
    return targets.order_by("partner__code", "indicator", "module__order", "sex", "quarter")


def target_values(user, *, partner: Partner, year: int) -> dict[CellKey, Target]:
    """A partner's targets of a year keyed by grid cell."""
    return {
        (t.indicator, t.module_id, t.sex, t.quarter): t
        for t in target_list(user, year=year, partner=partner)
    }


def as_entered(target: Target) -> Decimal:
    """The value as the grid shows it: shares with one decimal, counts whole (ratios two)."""
    definition = target.definition
    if definition is not None and definition.is_share:
        return target.value.quantize(Decimal("0.1"))
    if definition is not None and definition.decimals:
        return target.value.quantize(Decimal("0.01"))
    return target.value.quantize(Decimal(1))
