"""An enterprise group's figures, from the indicator register narrowed to its enterprises:
the headline figures and the comparison of its enterprises (one row each). Shared by the
group page's section and the group report, so both print the same numbers."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from enterprises.models import Enterprise, EnterpriseGroup

from .indicators import indicator_values, value_of
from .indicators.definitions import REGISTER
from .indicators.display import format_value

# The group's headline figures (codes of the register, all enterprise-level).
GROUP_CODES = [
    "enterprises_registered",
    "enterprises_reached",
    "enterprises_trained",
    "enterprises_completed",
    "jobs",
    "data_coverage",
    "improving_share",
    "visits_done",
    "visits_done_share",
    "projects_completed",
    "savings_total",
    "savings_median",
    "cost_recovery",
    "eit_members",
    "suggestions_made",
    "suggestions_implemented",
]
# One column each in the comparison of the group's enterprises.
COMPARE_CODES = [
    "improving_share",
    "visits_done",
    "visits_planned",
    "projects",
    "projects_completed",
    "savings_total",
    "eit_members",
    "suggestions_made",
    "suggestions_implemented",
]


def group_enterprise_ids(group: EnterpriseGroup) -> QuerySet:
    return Enterprise.objects.filter(group=group).values("pk")


def group_figures(
    user, group: EnterpriseGroup, *, period_from: date | None = None, period_to=None
) -> dict:
    """``{code: value}`` of ``GROUP_CODES`` over the group's enterprises (those ``user``
    sees; ``user=None``: a builder that checked access)."""
    values = indicator_values(
        user,
        GROUP_CODES,
        partner_ids=[group.partner_id],
        enterprise_ids=group_enterprise_ids(group),
        period_from=period_from,
        period_to=period_to,
    )
    return {code: value_of(values, code) for code in GROUP_CODES}


def group_comparison(
    user, group: EnterpriseGroup, enterprises, *, period_from=None, period_to=None
) -> list[dict]:
    """One row per enterprise: ``{"enterprise": ..., "values": {code: value}}`` for
    ``COMPARE_CODES``, computed by the register grouped by enterprise (a fixed number of
    queries, whatever the group's size)."""
    values = indicator_values(
        user,
        COMPARE_CODES,
        partner_ids=[group.partner_id],
        enterprise_ids=group_enterprise_ids(group),
        period_from=period_from,
        period_to=period_to,
        by="enterprise",
    )
    return [
        {
            "enterprise": enterprise,
            "values": {code: value_of(values, code, enterprise.pk) for code in COMPARE_CODES},
        }
        for enterprise in enterprises
    ]


def figure_rows(values: dict, codes) -> list[dict]:
    return [
        {"code": code, "label": str(REGISTER[code].name), "value": format_value(code, values[code])}
        for code in codes
    ]


def compare_columns() -> list[str]:
    return [str(REGISTER[code].name) for code in COMPARE_CODES]


def compare_cells(row: dict) -> list[str]:
    return [format_value(code, row["values"][code]) for code in COMPARE_CODES]
