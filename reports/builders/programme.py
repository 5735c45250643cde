"""Programme report: every partner's headline figures side by side (programme managers)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from score_portal.models import Partner

from .base import chart, header, money, percent, section, table
from .figures import partner_figures


def build_programme(
    *,
    period_from: date | None = None,
    period_to: date | None = None,
    language: str = "en",
    progress=lambda percent: None,
    user=None,
) -> dict:
    partners = list(Partner.objects.filter(is_active=True).order_by("code"))
    figures = partner_figures([p.pk for p in partners], period_from, period_to)
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
    rows = []
    for partner in partners:
        f = figures[partner.pk]
        rows.append(
            [
                f"{partner.code} {partner.name}",
                f["enterprises"],
                f["enrolments"],
                f["completed"],
                percent(f["cost_recovery"]),
                f["projects"],
                money(f["realised"]),
                percent(f["share_women"]),
                f["suggestions"],
            ]
        )
    totals = {
        key: sum(f[key] for f in figures.values())
        for key in (
            "enterprises",
            "enrolments",
            "completed",
            "projects",
            "realised",
            "suggestions",
            "paid_non_ilo",
            "paid_total",
            "eit_members",
            "eit_women",
        )
    }
    share = totals["paid_non_ilo"] / totals["paid_total"] if totals["paid_total"] else None
    women = totals["eit_women"] / totals["eit_members"] if totals["eit_members"] else None
    charts = []
    if partners:
        from score_portal.charts import bar_chart

        charts.append(
            chart(
                title=_("Enterprises per partner"),
                svg=bar_chart(
                    categories=[p.code for p in partners],
                    series={
                        _("Enterprises"): [figures[p.pk]["enterprises"] for p in partners],
                        _("Modules completed"): [figures[p.pk]["completed"] for p in partners],
                    },
                ),
            )
        )
    context["data"] = {
        "partners": {p.code: figures[p.pk] for p in partners},
        "totals": {**totals, "cost_recovery": share},
    }
    context["figures"] = [
        {"label": _("Implementing partners"), "value": len(partners)},
        {"label": _("Enterprises"), "value": totals["enterprises"]},
        {"label": _("Modules completed"), "value": totals["completed"]},
        {"label": _("Cost recovery"), "value": percent(share)},
        {"label": _("Improvement projects"), "value": totals["projects"]},
    ]
    context["sections"] = [
        section(
            key="partners",
            title=_("Partners side by side"),
            tables=[
                table(
                    title="",
                    columns=[
                        _("Partner"),
                        _("Enterprises"),
                        _("Enrolments"),
                        _("Completed"),
                        _("Cost recovery"),
                        _("Projects"),
                        _("Realised savings"),
                        _("Women in EITs"),
                        _("Suggestions made"),
                    ],
                    rows=rows,
                    numeric={1, 2, 3, 4, 5, 6, 7, 8},
                    totals=[
                        _("Total"),
                        totals["enterprises"],
                        totals["enrolments"],
                        totals["completed"],
                        percent(share),
                        totals["projects"],
                        money(totals["realised"]),
                        percent(women),
                        totals["suggestions"],
                    ],
                )
            ],
            charts=charts,
            note=_("Savings are added up across currencies; most projects report in CNY."),
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
            "partner": r["partner"].code,
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
                        r["partner"].code,
                        str(r["label"]),
                        show(r["goal"], r["is_share"]),
                        show(r["actual"], r["is_share"]),
                        percent(r["achieved"]),
                    ]
                    for r in rows
                ],
                numeric={2, 3, 4},
                empty=_("No targets set for this year."),
            )
        ],
    )
