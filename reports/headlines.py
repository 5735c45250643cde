"""The home panel's headline figures over every partner the user may read, read from the
indicator register (one grouped query per family of figures, whatever the number of
partners)."""

from django.utils import timezone

from .dashboards.common import dashboard_partner_queryset, year_bounds
from .indicators import indicator_values, value_of
from .indicators.display import figure

HEADLINE_CODES = [
    "enterprises_active",
    "workshops_held",
    "participants",
    "participants_women_share",
    "visits_done",
    "cost_recovery",
]


def headline_figures(user, *, year: int | None = None) -> dict:
    """Six figures of the year over the partners of the user's dashboard: each with its
    value, its text (rounded as its definition says), its definition and its list."""
    year = year or timezone.localdate().year
    start, end = year_bounds(year)
    partner_ids = dashboard_partner_queryset(user).order_by().values("pk")
    values = indicator_values(
        user, HEADLINE_CODES, partner_ids=partner_ids, period_from=start, period_to=end
    )
    figures = [figure(code, value_of(values, code)) for code in HEADLINE_CODES]
    result = {"year": year, "figures": figures}
    for item in figures:
        result[item["code"]] = item["value"]
    return result
