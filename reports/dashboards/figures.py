"""The dashboard's figures: partners side by side, targets against actual figures, a province
breakdown, a twelve-month trend and, for one partner, what needs attention.

Every figure of the year is read from the indicator register (``reports.indicators``) for
the year's period, so the dashboard, the home panel and the partner report print the same
value for the same period; only the enterprises by status are the current standing (and say
so). The number of queries does not grow with the number of enterprises, workshops, visits
or partners.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Module
from enterprises.models import Enterprise
from score_portal.access import access_for, scope
from score_portal.models import Partner

from ..indicators import indicator_values, value_of
from ..indicators.display import definition_url, format_value, list_url
from ..models import Target
from .common import _url, year_bounds
from .sections import province_rows, trend

# The figures of the side-by-side table, in order, by group (codes of the register).
YEAR_CODES = [
    "enterprises_reached",
    "enterprises_enrolled",
    "enterprises_trained",
    "workshops_held",
    "participants",
    "participants_women",
    "participants_men",
    "participants_managers",
    "participants_workers",
    "participants_women_share",
    "visits_done",
    "visits_planned",
    "visits_done_share",
    "visits_overdue",
    "improving_share",
    "data_coverage",
    "savings_total",
    "cost_recovery",
    "trainers_certified",
    "trainers_active",
    "enterprises_registered",
    "enterprises_prospect",
    "enterprises_active",
    "enterprises_completed",
    "enterprises_withdrawn",
]
STATUS_CODES = {
    "total": "enterprises_registered",
    **{status: f"enterprises_{status}" for status in Enterprise.Status.values},
}
MODULE_CODES = ["enterprises_trained", "trainers_certified"]


# --- Figures per partner ------------------------------------------------------------------


def partner_dashboard_figures(
    user, partner_ids: list[int], year: int, today: dt.date, modules=None
) -> dict[int, dict]:
    """Every partner's figures for the year from the indicator register (``values``: code →
    value; ``by_module``: code → module id → value) and the enterprises by status today."""
    start, end = year_bounds(year)
    if modules is None:
        modules = list(Module.objects.filter(is_active=True).values_list("pk", flat=True))
    per_partner = indicator_values(
        user,
        YEAR_CODES,
        by="partner",
        partner_ids=partner_ids,
        period_from=start,
        period_to=end,
        today=today,
        modules=modules,
    )
    figures: dict[int, dict] = {}
    for pid in partner_ids:
        values = {code: value_of(per_partner, code, pid) for code in YEAR_CODES}
        by_module = {
            code: {module_id: per_partner[code].get((pid, module_id), 0) for module_id in modules}
            for code in MODULE_CODES
        }
        figures[pid] = {
            "values": values,
            "by_module": by_module,
            "enterprises": {key: values[code] for key, code in STATUS_CODES.items()},
            # Short names used by the targets and tests.
            "workshops_held": values["workshops_held"],
            "participants": {
                "total": values["participants"],
                "women": values["participants_women"],
                "men": values["participants_men"],
                "managers": values["participants_managers"],
                "workers": values["participants_workers"],
                "women_share": values["participants_women_share"],
            },
            "trained": by_module["enterprises_trained"],
            "visits_done": values["visits_done"],
            "visits_planned": values["visits_planned"],
            "visits_overdue": values["visits_overdue"],
            "kpi": {
                "improving_share": values["improving_share"],
                "savings_total": values["savings_total"],
                "coverage_share": values["data_coverage"],
            },
            "cost_recovery": values["cost_recovery"],
            "certified": by_module["trainers_certified"],
            "certified_total": values["trainers_certified"],
        }
    return figures


GROUPS = [
    (
        "enterprises",
        ["enterprises_reached", "enterprises_enrolled", "enterprises_trained"],
    ),
    (
        "training",
        [
            "workshops_held",
            "participants",
            "participants_women",
            "participants_men",
            "participants_managers",
            "participants_workers",
            "participants_women_share",
        ],
    ),
    ("consulting", ["visits_done", "visits_planned", "visits_done_share", "visits_overdue"]),
    (
        "results",
        ["improving_share", "data_coverage", "savings_total", "cost_recovery"],
    ),
    ("trainers", ["trainers_certified", "trainers_active"]),
]


def comparison_rows(
    partners: list[Partner],
    figures: dict[int, dict],
    modules: list[Module],
    year: int,
    *,
    programme: bool,
) -> list[dict]:
    """The side-by-side table: one row per figure, one cell per partner. Every row links to
    its definition and every cell to the list behind it where there is one."""
    from ..indicators.definitions import REGISTER

    def partner_query(partner):
        return {"partner": partner.pk} if programme else {}

    rows = []

    def add(label, code, make, group, module=None):
        rows.append(
            {
                "label": label,
                "code": code,
                "group": group,
                "definition_url": definition_url(code) if code else None,
                "cells": [make(partner, figures[partner.pk]) for partner in partners],
                "module": module,
            }
        )

    def cell(code, value, url=None):
        return {"value": value, "text": format_value(code, value), "url": url}

    # Current standing: enterprises by status (not a figure of the year).
    group = _("Enterprises today (current standing)")
    add(
        _("Enterprises"),
        None,
        lambda p, f: {
            "value": f["enterprises"]["total"],
            "text": str(f["enterprises"]["total"]),
            "url": _url("enterprises:list", **partner_query(p)),
        },
        group,
    )
    for status, label in Enterprise.Status.choices:
        add(
            label,
            None,
            lambda p, f, s=status: {
                "value": f["enterprises"][s],
                "text": str(f["enterprises"][s]),
                "url": _url("enterprises:list", status=s, **partner_query(p)),
            },
            group,
        )
    titles = {
        "enterprises": _("Enterprises reached in %(year)s"),
        "training": _("Workshops in %(year)s"),
        "consulting": _("Consulting visits in %(year)s"),
        "results": _("Results of the enterprises reached in %(year)s"),
        "eit": _("Enterprise Improvement Teams"),
        "trainers": _("Trainers"),
    }
    for key, codes in GROUPS:
        group = titles[key] % {"year": year} if "%(year)s" in titles[key] else titles[key]
        for code in codes:
            add(
                REGISTER[code].name,
                code,
                lambda p, f, c=code: cell(c, f["values"][c], list_url(c, **partner_query(p))),
                group,
            )
            if code in MODULE_CODES:
                for module in modules:
                    add(
                        f"{REGISTER[code].name}, {module.code}",
                        code,
                        lambda p, f, c=code, m=module: cell(
                            c,
                            f["by_module"][c].get(m.pk, 0),
                            list_url(c, module=m.pk, **partner_query(p)),
                        ),
                        group,
                        module=module,
                    )
    return rows


# --- Targets against actual figures -------------------------------------------------------


def actual_for(target: Target, figures: dict) -> Decimal | int | None | bool:
    """The actual figure of the year that a yearly target is measured against (the
    register's indicator, per module or per sex where the target is), or ``False`` when the
    dashboard's figures do not hold it (a cumulative count, an indicator the dashboard does
    not compute): the targets pages show those. Shares come back as fractions (0–1)."""
    from ..indicators.definitions import BY_SEX, IN_PERIOD

    definition = target.definition
    if definition is None or target.quarter:
        return False
    if definition.period_rule == IN_PERIOD and target.kind == Target.Kind.CUMULATIVE:
        return False
    code = BY_SEX[target.indicator][target.sex] if target.sex else target.indicator
    if target.module_id is not None:
        if code not in figures["by_module"]:
            return False
        return figures["by_module"][code].get(target.module_id, 0)
    return figures["values"].get(code, False)


def target_rows(user, partner_ids: list[int], year: int, figures: dict[int, dict]) -> list:
    targets = (
        scope(user, Target.objects.all())
        .filter(partner_id__in=partner_ids, year=year, quarter=Target.Quarter.YEAR)
        .select_related("partner", "module")
        .order_by("partner__code", "indicator", "module__order", "sex")
    )
    rows = []
    for target in targets:
        actual = actual_for(target, figures[target.partner_id])
        if actual is False:
            continue
        if target.is_share:
            goal = target.value / 100
            achieved = (Decimal(actual) / goal) if actual is not None and goal else None
        else:
            goal = target.value
            achieved = (Decimal(actual) / goal) if actual is not None and goal else None
        code = target.indicator
        label = str(target.name)
        if target.module_id:
            label = f"{label} · {target.module.code}"
        if target.sex:
            label = f"{label} · {target.get_sex_display()}"
        rows.append(
            {
                "partner": target.partner,
                "target": target,
                "code": code,
                "definition_url": definition_url(code),
                "label": label,
                "goal": goal,
                "actual": actual,
                "actual_text": format_value(code, actual),
                "is_share": target.is_share,
                "achieved": achieved,
                "met": achieved is not None and achieved >= 1,
            }
        )
    return rows


# --- The whole page -----------------------------------------------------------------------


def dashboard_data(
    user, *, partners: list[Partner], year: int, today: dt.date | None = None
) -> dict:
    """Everything the dashboard shows for these partners (already in the user's scope)."""
    today = today or timezone.localdate()
    programme = access_for(user).sees_all()
    partner_ids = [partner.pk for partner in partners]
    modules = list(Module.objects.filter(is_active=True).order_by("order", "code"))
    figures = partner_dashboard_figures(
        user, partner_ids, year, today, modules=[module.pk for module in modules]
    )
    return {
        "figures": figures,
        "modules": modules,
        "comparison": comparison_rows(partners, figures, modules, year, programme=programme),
        "targets": target_rows(user, partner_ids, year, figures),
        "provinces": province_rows(user, partner_ids, year, programme=programme),
        "trend": trend(user, partner_ids, year, today),
        # For one partner, what needs attention loads on its own (``attention_data``).
        "attention": None,
    }
