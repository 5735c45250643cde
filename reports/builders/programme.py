"""Programme report: every partner's headline figures side by side (programme managers)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from score_portal.models import Partner

from ..indicators import indicator_values, value_of
from ..indicators.definitions import REGISTER
from ..indicators.display import format_value
from .base import chart, header, percent, section, table

TABLE_CODES = [
    "enterprises_reached",
    "enterprises_trained",
    "cost_recovery",
    "projects",
    "savings_total",
    "eit_women_share",
    "suggestions_made",
]
HEADLINE_CODES = ["enterprises_reached", "enterprises_trained", "cost_recovery", "projects"]
PROGRAMME_CODES = TABLE_CODES


def build_programme(
    *,
    period_from: date | None = None,
    period_to: date | None = None,
    language: str = "en",
    progress=lambda percent: None,
    user=None,
) -> dict:
    partners = list(Partner.objects.filter(is_active=True).order_by("code"))
    ids = [p.pk for p in partners]
    common = {"partner_ids": ids, "period_from": period_from, "period_to": period_to}
    per_partner = indicator_values(None, PROGRAMME_CODES, by="partner", **common)
    # The programme's totals are computed over all partners at once (a trainer serving two
    # partners counts once, medians are over every enterprise), not added up per partner.
    total = indicator_values(None, PROGRAMME_CODES, **common)
    progress(50)
    context = header(
        kind="programme",
        title=_("Programme report"),
        scope_name=_("SCORE programme"),
        period_from=period_from,
        period_to=period_to,
        language=language,
    )
    context["partner_name"] = ""
    figures = {
        p.pk: {code: value_of(per_partner, code, p.pk) for code in PROGRAMME_CODES}
        for p in partners
    }
    totals = {code: value_of(total, code) for code in PROGRAMME_CODES}
    rows = [
        [partner.name, *[format_value(code, figures[partner.pk][code]) for code in TABLE_CODES]]
        for partner in partners
    ]
    charts = []
    if partners:
        from score_portal.charts import bar_chart

        charts.append(
            chart(
                title=_("Enterprises per partner"),
                svg=bar_chart(
                    categories=[p.name for p in partners],
                    series={
                        str(REGISTER[code].name): [figures[p.pk][code] for p in partners]
                        for code in ("enterprises_reached", "enterprises_trained")
                    },
                ),
            )
        )
    context["data"] = {
        "partners": {p.code: figures[p.pk] for p in partners},
        "totals": totals,
    }
    context["figures"] = [
        {"label": _("Implementing partners"), "value": len(partners)},
        *[
            {
                "code": code,
                "label": str(REGISTER[code].name),
                "value": format_value(code, totals[code]),
            }
            for code in HEADLINE_CODES
        ],
    ]
    context["sections"] = [
        section(
            key="partners",
            title=_("Partners side by side"),
            tables=[
                table(
                    title="",
                    columns=[_("Partner"), *[str(REGISTER[code].name) for code in TABLE_CODES]],
                    rows=rows,
                    numeric=set(range(1, len(TABLE_CODES) + 1)),
                    totals=[
                        _("Total"),
                        *[format_value(code, totals[code]) for code in TABLE_CODES],
                    ],
                )
            ],
            charts=charts,
            note=_(
                "Figures of the period (enterprises reached in it); savings are shown per "
                "currency and never added up across currencies."
            ),
        )
    ]
    if user is not None:
        context["sections"].append(
            _targets(user, partners, period_to or timezone.localdate(), context["data"])
        )
    return context


def _targets(user, partners, on, data: dict) -> dict:
    """Targets of the year against the actual figures, as on the dashboard (same code)."""
    from reports.dashboards import partner_dashboard_figures, target_rows

    ids = [p.pk for p in partners]
    figures = partner_dashboard_figures(user, ids, on.year, on)
    rows = target_rows(user, ids, on.year, figures)

    def show(value, is_share):
        if value is None:
            return "–"
        return percent(value) if is_share else f"{Decimal(value):,.0f}"

    data["targets"] = [
        {
            "partner": r["partner"].name,
            "label": str(r["label"]),
            "goal": r["goal"],
            "actual": r["actual"],
            "met": r["met"],
        }
        for r in rows
    ]
    return section(
        key="targets",
        title=_("Targets %(year)s: target versus actual") % {"year": on.year},
        tables=[
            table(
                title="",
                columns=[_("Partner"), _("Target"), _("Goal"), _("Actual"), _("Achieved")],
                rows=[
                    [
                        r["partner"].name,
                        str(r["label"]),
                        show(r["goal"], r["is_share"]),
                        r["actual_text"],
                        percent(r["achieved"]),
                    ]
                    for r in rows
                ],
                numeric={2, 3, 4},
                empty=_("No targets set for this year."),
            )
        ],
    )
