"""Partner progress report for a period: enterprises by module and status, by province,
sector and size band, cost recovery, improvement projects and savings, EIT composition, and a
table of enterprises. Every figure comes from aggregate queries; the number of queries does
not grow with the number of enterprises."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from catalogue.models import Module
from enterprises.choices import (
    PROVINCE_LABELS,
    SECTOR_LABELS,
    SIZE_BAND_LABELS,
    SIZE_BANDS,
)
from enterprises.models import Enrolment, ImprovementProject
from enterprises.selectors import cost_recovery, eit_composition, project_savings
from score_portal.models import Partner

from ..indicators import indicator_values, value_of
from ..indicators.definitions import CODES, GROUPS, REGISTER
from ..indicators.display import format_value
from .base import chart, header, money, section, table
from .delivery import delivery_sections
from .scope import Scope, size_band_expression

# Rows of the enterprise table printed in the PDF (~12 pages; the spreadsheet has them all).
PDF_ENTERPRISE_ROWS = 500

# The headline figures of the report (codes of the indicator register).
REPORT_CODES = [
    "enterprises_reached",
    "enterprises_enrolled",
    "enterprises_trained",
    "cost_recovery",
    "projects",
    "projects_completed",
    "savings_total",
    "savings_median",
    "eit_members",
    "eit_women_share",
    "suggestions_made",
    "suggestions_implemented",
]
# The chart of enterprises per module: each series adds up columns of the table beside it.
MODULE_SERIES = [
    (_lazy("Enrolled or in training"), ("enrolled", "in_training")),
    (_lazy("In consulting"), ("in_consulting",)),
    (_lazy("Completed"), ("completed",)),
]


def build_partner(
    *,
    partner_id: int,
    period_from: date | None = None,
    period_to: date | None = None,
    language: str = "en",
    progress=lambda percent: None,
) -> dict:
    partner = Partner.objects.get(pk=partner_id)
    scope = Scope([partner_id], period_from, period_to)
    context = header(
        kind="partner",
        title=_("Partner progress report"),
        scope_name=partner.name,
        period_from=period_from,
        period_to=period_to,
        language=language,
    )
    context["partner_name"] = partner.name
    data: dict = {}
    values = indicator_values(
        None, CODES, partner_ids=[partner_id], period_from=period_from, period_to=period_to
    )
    data["indicators"] = {code: value_of(values, code) for code in CODES}
    sections = [_modules(scope, data)]
    progress(20)
    sections.append(_breakdowns(scope, data))
    progress(35)
    sections.append(_cost_recovery(scope, data))
    progress(45)
    sections.append(_projects(scope, data))
    progress(55)
    sections.append(_eit(scope, data))
    progress(60)
    sections.extend(delivery_sections([partner_id], scope, data))
    progress(65)
    sections.append(_enterprise_table(scope, data))
    sections.append(_indicators(data))
    progress(70)
    context["data"] = data
    context["sections"] = sections
    values = data["indicators"]
    context["figures"] = [
        {
            "code": code,
            "label": str(REGISTER[code].name),
            "value": format_value(code, values[code]),
        }
        for code in REPORT_CODES
    ]
    context["figures_note"] = _(
        "Figures of the period: enterprises reached in the period (an enrolment meeting it) "
        "and what they did in it; the dashboard's figures of a year are the same figures for "
        "that year. See the indicator definitions in the portal."
    )
    return context


def _indicators(data: dict) -> dict:
    """Every indicator of the register for the period, as the portal defines it."""
    rows = [
        [
            str(GROUPS[REGISTER[code].group]),
            str(REGISTER[code].name),
            format_value(code, data["indicators"][code]),
            code,
        ]
        for code in CODES
    ]
    return section(
        key="indicators",
        title=_("Programme indicators"),
        tables=[
            table(
                title="",
                columns=[_("Group"), _("Indicator"), _("Value"), _("Code")],
                rows=rows,
                numeric={2},
            )
        ],
        note=_(
            "Each indicator's definition (numerator, denominator, period rule) is on the "
            "portal's Indicators page under its code."
        ),
    )


def _modules(scope: Scope, data: dict) -> dict:
    statuses = list(Enrolment.Status.choices)
    pivot: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        scope.enrolments.order_by()
        .values("module_id", "status")
        .annotate(n=Count("enterprise_id", distinct=True))
    ):
        pivot[row["module_id"]][row["status"]] = row["n"]
    modules = Module.objects.filter(pk__in=list(pivot)).order_by("order", "code")
    rows, by_module = [], {}
    for module in modules:
        counts = pivot[module.pk]
        by_module[module.code] = dict(counts)
        rows.append(
            [
                f"{module.code} {module.name}",
                *[counts.get(status, 0) for status, _label in statuses],
                sum(counts.values()),
            ]
        )
    totals_by_status = {
        status: sum(pivot[m].get(status, 0) for m in pivot) for status, _label in statuses
    }
    data["enrolments"] = {
        "total": scope.enrolments.count(),
        "completed": totals_by_status[Enrolment.Status.COMPLETED],
        "by_module": by_module,
    }
    data["enterprises"] = data["indicators"]["enterprises_reached"]
    series = {
        str(label): [sum(pivot[m.pk].get(s, 0) for s in statuses_of) for m in modules]
        for label, statuses_of in MODULE_SERIES
    }
    data["module_chart"] = {
        "categories": [module.code for module in modules],
        "series": series,
    }
    charts = []
    if rows:
        from score_portal.charts import bar_chart

        charts.append(
            chart(
                title=_("Enterprises per module"),
                svg=bar_chart(categories=[module.code for module in modules], series=series),
            )
        )
    return section(
        key="modules",
        title=_("Enterprises by module and enrolment status"),
        tables=[
            table(
                title="",
                columns=[_("Module"), *[str(label) for _s, label in statuses], _("Total")],
                rows=rows,
                numeric=set(range(1, len(statuses) + 2)),
                totals=[_("Total"), *totals_by_status.values(), sum(totals_by_status.values())]
                if rows
                else None,
                empty=_("No enrolments in this period."),
            )
        ],
        charts=charts,
    )


def _count_table(rows, labels, title, column) -> dict:
    table_rows = [[str(labels.get(key, key) or _("Not recorded")), n] for key, n in rows]
    return table(
        title=title,
        columns=[column, _("Enterprises")],
        rows=table_rows,
        numeric={1},
        totals=[_("Total"), sum(n for _k, n in rows)] if rows else None,
    )


def _breakdowns(scope: Scope, data: dict) -> dict:
    enterprises = scope.enterprises.order_by()
    provinces = [
        (r["province"], r["n"])
        for r in enterprises.values("province").annotate(n=Count("id")).order_by("-n", "province")
    ]
    sectors = [
        (r["sector"], r["n"])
        for r in enterprises.values("sector").annotate(n=Count("id")).order_by("sector")
    ]
    band_order = [code for code, *_rest in SIZE_BANDS] + [""]
    bands = {
        r["band"]: r["n"]
        for r in enterprises.annotate(band=size_band_expression())
        .values("band")
        .annotate(n=Count("id"))
    }
    bands_sorted = [(code, bands[code]) for code in band_order if code in bands]
    data["by_province"] = dict(provinces)
    data["by_sector"] = dict(sectors)
    data["by_size_band"] = dict(bands_sorted)
    return section(
        key="breakdowns",
        title=_("Enterprises by province, sector and size"),
        tables=[
            _count_table(provinces, PROVINCE_LABELS, _("By province"), _("Province")),
            _count_table(sectors, SECTOR_LABELS, _("By sector"), _("Sector")),
            _count_table(bands_sorted, SIZE_BAND_LABELS, _("By size band"), _("Employees")),
        ],
    )


def _cost_recovery(scope: Scope, data: dict) -> dict:
    recovery = cost_recovery(scope.enrolments)
    data["cost_recovery"] = recovery
    rows = [
        [_("Enterprises"), money(recovery["enterprise"])],
        [_("Sponsors and lead buyers"), money(recovery["sponsor"])],
        [_("Government"), money(recovery["government"])],
        [_("ILO and donors"), money(recovery["ilo"])],
    ]
    return section(
        key="cost_recovery",
        title=_("Cost recovery"),
        tables=[
            table(
                title="",
                columns=[_("Paid by"), _("Amount")],
                rows=rows,
                numeric={1},
                totals=[_("Total"), money(recovery["total"])],
            )
        ],
        note=_(
            "Share of training fees paid by non-ILO sources (enterprises, sponsors and "
            "government): %(share)s."
        )
        % {"share": format_value("cost_recovery", data["indicators"]["cost_recovery"])},
    )


def _projects(scope: Scope, data: dict) -> dict:
    savings = project_savings(scope.projects)
    # The median is the register's: over enterprises (not projects), per currency.
    median = data["indicators"]["savings_median"]
    by_status = dict(scope.projects.order_by().values_list("status").annotate(n=Count("id")))
    data["projects"] = {
        "total": sum(r["projects"] for r in savings),
        "completed": sum(r["completed"] for r in savings),
        "by_status": by_status,
        "by_currency": {r["currency"]: r for r in savings},
    }
    status_rows = [
        [str(label), by_status.get(status, 0)]
        for status, label in ImprovementProject.Status.choices
    ]
    saving_rows = [
        [
            r["currency"],
            r["projects"],
            r["completed"],
            money(r["estimated"]),
            money(r["realised"]),
            money(median[r["currency"]]) if median.get(r["currency"]) is not None else "–",
        ]
        for r in savings
    ]
    return section(
        key="projects",
        title=_("Improvement projects and savings"),
        tables=[
            table(
                title=_("Projects by status"),
                columns=[_("Status"), _("Projects")],
                rows=status_rows,
                numeric={1},
                totals=[_("Total"), data["projects"]["total"]],
            ),
            table(
                title=_("Savings"),
                columns=[
                    _("Currency"),
                    _("Projects"),
                    _("Completed"),
                    _("Estimated savings"),
                    _("Realised savings"),
                    _("Median realised saving per enterprise"),
                ],
                rows=saving_rows,
                numeric={1, 2, 3, 4, 5},
                empty=_("No improvement projects in this period."),
            ),
        ],
    )


def _eit(scope: Scope, data: dict) -> dict:
    composition = eit_composition(scope.members)
    suggestions = scope.suggestions.order_by().aggregate(
        made=Coalesce(Sum("made"), 0), implemented=Coalesce(Sum("implemented"), 0)
    )
    data["eit"] = composition
    data["suggestions"] = suggestions
    rows = [
        [_("EIT members"), composition["total"]],
        [_("Women"), composition["women"]],
        [_("Share of women"), format_value("eit_women_share", composition["share_women"])],
        [_("Workers"), composition["workers"]],
        [_("Share of workers"), format_value("eit_workers_share", composition["share_workers"])],
        [_("Suggestions made"), suggestions["made"]],
        [_("Suggestions implemented"), suggestions["implemented"]],
    ]
    return section(
        key="eit",
        title=_("Enterprise Improvement Teams and worker suggestions"),
        tables=[table(title="", columns=[_("Item"), _("Value")], rows=rows, numeric={1})],
    )


def _enterprise_table(scope: Scope, data: dict) -> dict:
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=16, decimal_places=2))
    project_counts = (
        scope.projects.filter(enterprise=OuterRef("pk"))
        .order_by()
        .values("enterprise")
        .annotate(n=Count("id"))
        .values("n")
    )
    realised = (
        scope.projects.filter(enterprise=OuterRef("pk"))
        .order_by()
        .values("enterprise")
        .annotate(s=Sum("realised_saving", filter=Q(status="completed")))
        .values("s")
    )
    enterprises = list(
        scope.enterprises.annotate(
            n_projects=Coalesce(Subquery(project_counts, output_field=IntegerField()), 0),
            realised=Coalesce(
                Subquery(realised, output_field=DecimalField(max_digits=16, decimal_places=2)), zero
            ),
        )
        .order_by("name")
        .values("pk", "name", "name_zh", "province", "employees_total", "n_projects", "realised")
    )
    modules: dict[int, list[str]] = defaultdict(list)
    status_labels = dict(Enrolment.Status.choices)
    for enterprise_id, code, status in scope.enrolments.order_by("module__order").values_list(
        "enterprise_id", "module__code", "status"
    ):
        modules[enterprise_id].append(f"{code} {status_labels[status]}")
    chinese = context_language_is_chinese()
    rows = [
        [
            (e["name_zh"] if chinese and e["name_zh"] else e["name"]),
            str(PROVINCE_LABELS.get(e["province"], e["province"])),
            e["employees_total"] if e["employees_total"] is not None else "",
            "; ".join(modules[e["pk"]]),
            e["n_projects"],
            money(e["realised"]),
        ]
        for e in enterprises
    ]
    data["enterprise_rows"] = len(rows)
    return section(
        key="enterprises",
        title=_("Enterprises"),
        tables=[
            table(
                title="",
                columns=[
                    _("Enterprise"),
                    _("Province"),
                    _("Employees"),
                    _("Modules"),
                    _("Projects"),
                    _("Realised savings"),
                ],
                rows=rows,
                numeric={2, 4, 5},
                empty=_("No enterprises in this period."),
                pdf_limit=PDF_ENTERPRISE_ROWS,
            )
        ],
    )


def context_language_is_chinese() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "").startswith("zh")
