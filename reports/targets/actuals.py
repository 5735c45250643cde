"""Targets against actual figures. Every actual comes from the indicator register
(``indicator_values``), computed for the target's period the way its kind says:
incremental targets against what happened in the period, cumulative ones against
everything up to the period's last day. A target per module or per sex is measured
against the register's figure for that module or sex.

Two grids: indicators × partners for one period, and indicators × periods for one partner
(with a baseline: the figure up to the day before the first period), which the logframe
spreadsheet prints."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from catalogue.models import Module
from score_portal.models import Partner

from ..indicators import indicator_values, value_of
from ..indicators.definitions import BY_SEX, REGISTER, Indicator
from ..indicators.display import definition_url, format_value
from ..models import Target
from .selectors import target_list

# (indicator code, module id or None, sex or "", kind)
LineKey = tuple[str, int | None, str, str]
Period = tuple[int, int]  # (year, quarter); quarter 0 is the whole year


def period_bounds(year: int, quarter: int = 0) -> tuple[dt.date, dt.date]:
    if not quarter:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    first = dt.date(year, 3 * quarter - 2, 1)
    last = (
        dt.date(year, 12, 31)
        if quarter == 4
        else dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)
    )
    return first, last


def period_label(period: Period) -> str:
    """ "2026" or "2026 Q3" ("2026年第3季度"), in the active language."""
    year, quarter = period
    if not quarter:
        return str(year)
    return _("%(year)s Q%(quarter)s") % {"year": year, "quarter": quarter}


def actual_code(code: str, sex: str) -> str:
    """The register's figure a target per sex is measured against."""
    return BY_SEX[code][sex] if sex else code


def _goal(target_value: Decimal, indicator: Indicator) -> Decimal:
    # Shares are entered as percentages and computed as fractions.
    return target_value / 100 if indicator.is_share else target_value


def achieved(goal: Decimal | None, actual) -> Decimal | None:
    """The share of the target achieved (1 = met); none without a goal or an actual."""
    if goal is None or not goal or actual is None or isinstance(actual, dict):
        return None
    return Decimal(actual) / goal


def actuals(
    user,
    lines: set[LineKey],
    partner_ids: list[int],
    *,
    period_from: dt.date | None,
    period_to: dt.date,
    cumulative_from: dt.date | None = None,
) -> dict[tuple[int, LineKey], object]:
    """``{(partner id, line): actual}`` for these lines over one period: a few grouped
    queries per kind (incremental lines from ``period_from``, cumulative lines from
    ``cumulative_from``, the programme's beginning when none), whatever the number of
    partners."""
    found: dict[tuple[int, LineKey], object] = {}
    by_kind: dict[str, set[LineKey]] = defaultdict(set)
    for line in lines:
        by_kind[line[3]].add(line)
    for kind, kind_lines in by_kind.items():
        start = period_from if kind == Target.Kind.INCREMENTAL else cumulative_from
        plain = sorted({actual_code(c, s) for c, m, s, _k in kind_lines if m is None})
        per_module = sorted({actual_code(c, s) for c, m, s, _k in kind_lines if m is not None})
        values = (
            indicator_values(
                user,
                plain,
                partner_ids=partner_ids,
                period_from=start,
                period_to=period_to,
                by="partner",
            )
            if plain
            else {}
        )
        module_values = (
            indicator_values(
                user,
                per_module,
                partner_ids=partner_ids,
                period_from=start,
                period_to=period_to,
                by="partner_module",
            )
            if per_module
            else {}
        )
        for line in kind_lines:
            code, module_id, sex, _kind = line
            figure = actual_code(code, sex)
            for pid in partner_ids:
                found[(pid, line)] = (
                    value_of(module_values, figure, (pid, module_id))
                    if module_id is not None
                    else value_of(values, figure, pid)
                )
    return found


@dataclass
class Cell:
    target: Target | None
    actual: object
    code: str

    @property
    def goal(self) -> Decimal | None:
        if self.target is None:
            return None
        return _goal(self.target.value, REGISTER[self.code])

    @property
    def achieved(self) -> Decimal | None:
        return achieved(self.goal, self.actual)

    @property
    def met(self) -> bool:
        return self.achieved is not None and self.achieved >= 1

    @property
    def actual_text(self) -> str:
        return format_value(self.code, self.actual)

    @property
    def goal_text(self) -> str:
        return format_value(self.code, self.goal) if self.goal is not None else ""


@dataclass
class Line:
    key: LineKey
    indicator: Indicator
    module: Module | None
    cells: list[Cell] = field(default_factory=list)
    baseline: object = None

    @property
    def sex(self) -> str:
        return self.key[2]

    @property
    def kind(self) -> str:
        return self.key[3]

    @property
    def label(self) -> str:
        parts = [str(self.indicator.name)]
        if self.module is not None:
            parts.append(self.module.code)
        if self.sex:
            parts.append(str(Target.Sex(self.sex).label))
        return " · ".join(parts)

    @property
    def kind_label(self) -> str:
        return str(Target.Kind(self.kind).label)

    @property
    def definition_url(self) -> str:
        return definition_url(self.indicator.code)

    @property
    def baseline_text(self) -> str:
        return format_value(self.indicator.code, self.baseline)


def _line_key(target: Target) -> LineKey:
    return (target.indicator, target.module_id, target.sex, target.kind)


def _order(key: LineKey, modules: dict[int, Module]) -> tuple:
    codes = list(REGISTER)
    code, module_id, sex, kind = key
    module = modules.get(module_id)
    return (
        codes.index(code) if code in REGISTER else len(codes),
        module.order if module else -1,
        module.code if module else "",
        ["", "women", "men"].index(sex),
        kind,
    )


def _lines(targets: list[Target]) -> tuple[list[LineKey], dict[int, Module]]:
    modules = {t.module_id: t.module for t in targets if t.module_id}
    keys = {_line_key(t) for t in targets if t.indicator in REGISTER}
    return sorted(keys, key=lambda key: _order(key, modules)), modules


def grid_by_partner(user, partners: list[Partner], period: Period) -> list[Line]:
    """Indicators × partners for one period: a line per targeted indicator (module, sex,
    kind), a cell per partner with its target (if any), actual and share achieved."""
    year, quarter = period
    targets = list(
        target_list(user, year=year).filter(quarter=quarter, partner__in=[p.pk for p in partners])
    )
    keys, modules = _lines(targets)
    by_cell = {(t.partner_id, _line_key(t)): t for t in targets}
    partner_ids = [p.pk for p in partners]
    start, end = period_bounds(year, quarter)
    found = actuals(user, set(keys), partner_ids, period_from=start, period_to=end)
    lines = []
    for key in keys:
        line = Line(key, REGISTER[key[0]], modules.get(key[1]))
        for pid in partner_ids:
            line.cells.append(Cell(by_cell.get((pid, key)), found[(pid, key)], key[0]))
        lines.append(line)
    return lines


def grid_by_period(user, partner: Partner, periods: list[Period]) -> list[Line]:
    """Indicators × periods for one partner: a line per targeted indicator (module, sex,
    kind), its baseline (the figure up to the day before the first period, everything
    before the programme's figures begin counting) and a cell per period."""
    if not periods:
        return []
    years = sorted({year for year, _q in periods})
    targets = [
        t
        for t in target_list(user, partner=partner).filter(year__in=years)
        if (t.year, t.quarter) in set(periods)
    ]
    keys, modules = _lines(targets)
    by_cell = {((t.year, t.quarter), _line_key(t)): t for t in targets}
    lines = [Line(key, REGISTER[key[0]], modules.get(key[1])) for key in keys]
    if not lines:
        return []
    first, _last = period_bounds(*periods[0])
    before = first - dt.timedelta(days=1)
    # The baseline is the standing before the first period: every line counted cumulatively.
    baseline_keys = {(c, m, s, Target.Kind.CUMULATIVE.value) for c, m, s, _k in keys}
    baseline = actuals(user, baseline_keys, [partner.pk], period_from=None, period_to=before)
    for line in lines:
        code, module_id, sex, _kind = line.key
        line.baseline = baseline[(partner.pk, (code, module_id, sex, Target.Kind.CUMULATIVE))]
    for period in periods:
        start, end = period_bounds(*period)
        found = actuals(user, set(keys), [partner.pk], period_from=start, period_to=end)
        for line in lines:
            line.cells.append(
                Cell(by_cell.get((period, line.key)), found[(partner.pk, line.key)], line.key[0])
            )
    return lines
