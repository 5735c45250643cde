"""Partner progress report for a period: enterprises by module and status, by province,
sector and size band, cost recovery, improvement projects and savings, EIT composition, and a
table of enterprises. Every figure comes from aggregate queries; the number of queries does
not grow with the number of enterprises."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from catalogue.models import Module
from enterprises.choices import PROVINCE_CHOICES, SECTOR_LABELS, SIZE_BAND_CHOICES, SIZE_BANDS
from enterprises.models import EITMember, Enrolment, Enterprise, ImprovementProject, SuggestionCount
from enterprises.selectors import cost_recovery, eit_composition, project_savings
from enterprises.selectors.kpi import improvement_pairs as kpi_pairs
from enterprises.selectors.kpi import programme_figures
from score_portal.models import Partner
from trainers.models import Certification, ConsultingVisit, WorkshopTrainer
from workshops.models import Participant, Workshop
from workshops.selectors import participant_counts

from .base import chart, header, in_period, money, overlaps, percent, section, table

PROVINCE_LABELS = dict(PROVINCE_CHOICES)
SIZE_LABELS = dict(SIZE_BAND_CHOICES)
# Rows of the enterprise table printed in the PDF (~12 pages; the spreadsheet has them all).
PDF_ENTERPRISE_ROWS = 500


class Scope:
    """The querysets of one partner (or of several) for one period."""

    def __init__(self, partner_ids, period_from: date | None, period_to: date | None):
        self.period_from, self.period_to = period_from, period_to
        self.enrolments = Enrolment.objects.filter(enterprise__partner_id__in=partner_ids).filter(
            overlaps(
                period_from, period_to, start="applied_on", ends=("completed_on", "withdrawn_on")
            )
        )
        # Enterprises reached in the period: those with an enrolment that meets it.
        self.enterprises = Enterprise.objects.filter(
            partner_id__in=partner_ids, pk__in=self.enrolments.values("enterprise_id")
        )
        self.projects = ImprovementProject.objects.filter(enterprise__in=self.enterprises)
        if period_from or period_to:
            self.projects = self.projects.filter(
                overlaps(period_from, period_to, start="start_date", ends=("end_date",))
            )
        today = period_to or timezone.localdate()
        self.members = EITMember.objects.filter(enterprise__in=self.enterprises).filter(
            Q(active_to__isnull=True) | Q(active_to__gte=today)
        )
        self.suggestions = SuggestionCount.objects.filter(enterprise__in=self.enterprises).filter(
            in_period("month", period_from.replace(day=1) if period_from else None, period_to)
        )


def size_band_expression():
    """The SIZE_BANDS of enterprises/choices.py as SQL, so bands are counted in the database."""
    whens = []
    for code, _label, low, high in SIZE_BANDS:
        condition = Q(employees_total__gte=low)
        if high is not None:
            condition &= Q(employees_total__lte=high)
        whens.append(When(condition, then=Value(code)))
    return Case(*whens, default=Value(""))


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
    progress(70)
    context["data"] = data
    context["sections"] = sections
    main_currency = next(iter(data["projects"]["by_currency"].values()), None)
    context["figures"] = [
        {"label": _("Enterprises"), "value": data["enterprises"]},
        {"label": _("Enrolments"), "value": data["enrolments"]["total"]},
        {"label": _("Modules completed"), "value": data["enrolments"]["completed"]},
        {"label": _("Cost recovery"), "value": percent(data["cost_recovery"]["share"])},
        {"label": _("Improvement projects"), "value": data["projects"]["total"]},
        {
            "label": _("Realised savings"),
            "value": f"{main_currency['realised']:,.0f} {main_currency['currency']}"
            if main_currency
            else "–",
        },
        {"label": _("Women in EITs"), "value": percent(data["eit"]["share_women"])},
    ]
    return context


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
    data["enterprises"] = scope.enterprises.count()
    charts = []
    if rows:
        from score_portal.charts import bar_chart

        charts.append(
            chart(
                title=_("Enterprises per module"),
                svg=bar_chart(
                    categories=[module.code for module in modules],
                    series={
                        _("Enrolled or in training"): [
                            sum(
                                pivot[m.pk].get(s, 0)
                                for s in ("applied", "enrolled", "in_training", "in_consulting")
                            )
                            for m in modules
                        ],
                        _("Completed"): [pivot[m.pk].get("completed", 0) for m in modules],
                    },
                ),
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
            _count_table(bands_sorted, SIZE_LABELS, _("By size band"), _("Employees")),
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
        % {"share": percent(recovery["share"])},
    )


def _projects(scope: Scope, data: dict) -> dict:
    savings = project_savings(scope.projects)
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
            money(r["median_realised"]) if r["median_realised"] is not None else "–",
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
                    _("Median realised saving"),
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
        [_("Share of women"), percent(composition["share_women"])],
        [_("Workers"), composition["workers"]],
        [_("Share of workers"), percent(composition["share_workers"])],
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


def partner_figures(partner_ids, period_from=None, period_to=None) -> dict[int, dict]:
    """Headline figures of several partners side by side, grouped in the database."""
    scope = Scope(partner_ids, period_from, period_to)
    figures: dict[int, dict] = {
        pid: {
            "enterprises": 0,
            "enrolments": 0,
            "completed": 0,
            "paid_non_ilo": Decimal(0),
            "paid_total": Decimal(0),
            "projects": 0,
            "realised": Decimal(0),
            "eit_members": 0,
            "eit_women": 0,
            "suggestions": 0,
        }
        for pid in partner_ids
    }
    for row in scope.enterprises.order_by().values("partner_id").annotate(n=Count("id")):
        figures[row["partner_id"]]["enterprises"] = row["n"]
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=16, decimal_places=2))
    for row in (
        scope.enrolments.order_by()
        .values("enterprise__partner_id")
        .annotate(
            n=Count("id"),
            done=Count("id", filter=Q(status="completed")),
            non_ilo=Coalesce(Sum("paid_enterprise"), zero)
            + Coalesce(Sum("paid_sponsor"), zero)
            + Coalesce(Sum("paid_government"), zero),
            ilo=Coalesce(Sum("paid_ilo"), zero),
        )
    ):
        item = figures[row["enterprise__partner_id"]]
        item.update(
            enrolments=row["n"],
            completed=row["done"],
            paid_non_ilo=row["non_ilo"],
            paid_total=row["non_ilo"] + row["ilo"],
        )
    for row in (
        scope.projects.order_by()
        .values("enterprise__partner_id")
        .annotate(
            n=Count("id"), s=Coalesce(Sum("realised_saving", filter=Q(status="completed")), zero)
        )
    ):
        figures[row["enterprise__partner_id"]].update(projects=row["n"], realised=row["s"])
    for row in (
        scope.members.order_by()
        .values("enterprise__partner_id")
        .annotate(n=Count("id"), w=Count("id", filter=Q(sex="F")))
    ):
        figures[row["enterprise__partner_id"]].update(eit_members=row["n"], eit_women=row["w"])
    for row in (
        scope.suggestions.order_by().values("enterprise__partner_id").annotate(n=Sum("made"))
    ):
        figures[row["enterprise__partner_id"]]["suggestions"] = row["n"] or 0
    for item in figures.values():
        # The formula of enterprises.selectors.cost_recovery, grouped by partner in one query.
        item["cost_recovery"] = (
            item["paid_non_ilo"] / item["paid_total"] if item["paid_total"] else None
        )
        item["share_women"] = (
            round(item["eit_women"] / item["eit_members"], 4) if item["eit_members"] else None
        )
    return figures


def delivery_sections(partner_ids, scope: Scope, data: dict) -> list[dict]:
    """Workshops and participants, consulting visits done versus planned, KPI results and
    trainers: the delivery of the programme in the period. A fixed number of queries."""
    period = (scope.period_from, scope.period_to)
    workshops = Workshop.objects.filter(partner_id__in=partner_ids, status="held").filter(
        in_period("start_date", *period)
    )
    counts = participant_counts(Participant.objects.filter(workshop__in=workshops))
    by_module = {
        row["module__code"]: row
        for row in workshops.order_by()
        .values("module__code")
        .annotate(
            workshops=Count("id", distinct=True), participants=Count("participants", distinct=True)
        )
    }
    visits = ConsultingVisit.objects.filter(
        enrolment__enterprise__partner_id__in=partner_ids
    ).exclude(status="cancelled")
    visit_counts = visits.filter(
        Q(
            status="recorded",
            **({"visit_date__gte": period[0]} if period[0] else {}),
            **({"visit_date__lte": period[1]} if period[1] else {}),
        )
        | Q(
            status="planned",
            **({"planned_date__gte": period[0]} if period[0] else {}),
            **({"planned_date__lte": period[1]} if period[1] else {}),
        )
    ).aggregate(
        recorded=Count("id", filter=Q(status="recorded")),
        planned=Count("id", filter=Q(status="planned")),
        overdue=Count("id", filter=Q(status="planned", planned_date__lt=timezone.localdate())),
    )
    due = visit_counts["recorded"] + visit_counts["planned"]
    kpis = programme_figures(None, enterprises=scope.enterprises)
    per_kpi = list(
        kpi_pairs(scope.enterprises)
        .order_by()
        .values("kpi__name_en", "kpi__name_zh")
        .annotate(
            reporting=Count("enterprise", distinct=True),
            improving=Count("enterprise", distinct=True, filter=Q(improved=1)),
        )
        .order_by("kpi__order")
    )
    certifications = (
        Certification.objects.filter(trainer__partners__in=partner_ids)
        .order_by()
        .values("module__code")
        .annotate(
            certified=Count("trainer", distinct=True, filter=Q(grade__in=["certified", "expert"])),
            experts=Count("trainer", distinct=True, filter=Q(grade="expert")),
            candidates=Count("trainer", distinct=True, filter=Q(grade="candidate")),
        )
    )
    active = (
        WorkshopTrainer.objects.filter(workshop__in=workshops).values("trainer").distinct().count()
    )
    data["workshops"] = {
        "held": sum(r["workshops"] for r in by_module.values()),
        **{k: counts[k] for k in ("total", "women", "men", "managers", "workers")},
    }
    data["visits"] = {
        **visit_counts,
        "completion": (visit_counts["recorded"] / due if due else None),
    }
    data["kpis"] = {
        key: kpis[key]
        for key in (
            "reporting",
            "improving",
            "improving_share",
            "trained",
            "covered",
            "coverage_share",
        )
    }
    data["trainers"] = {
        "active": active,
        "by_module": {r["module__code"]: r["certified"] for r in certifications},
    }
    zh = translation.get_language().startswith("zh")
    return [
        section(
            key="workshops",
            title=_("Workshops held and participants"),
            tables=[
                table(
                    title="",
                    columns=[_("Module"), _("Workshops"), _("Participants")],
                    rows=[
                        [code, row["workshops"], row["participants"]]
                        for code, row in sorted(by_module.items())
                    ],
                    numeric={1, 2},
                    empty=_("No workshops held in this period."),
                ),
                table(
                    title=_("Participants by sex and role"),
                    columns=[
                        _("Participants"),
                        _("Women"),
                        _("Men"),
                        pgettext("participants", "Managers"),
                        _("Workers"),
                    ],
                    rows=[
                        [
                            counts["total"],
                            counts["women"],
                            counts["men"],
                            counts["managers"],
                            counts["workers"],
                        ]
                    ],
                    numeric={0, 1, 2, 3, 4},
                ),
            ],
            note=_("Women: %(women)s; workers: %(workers)s.")
            % {"women": percent(counts["women_share"]), "workers": percent(counts["worker_share"])},
        ),
        section(
            key="visits",
            title=_("Consulting visits"),
            tables=[
                table(
                    title="",
                    columns=[
                        _("Recorded"),
                        _("Still planned"),
                        _("Overdue"),
                        _("Done versus planned"),
                    ],
                    rows=[
                        [
                            visit_counts["recorded"],
                            visit_counts["planned"],
                            visit_counts["overdue"],
                            percent(data["visits"]["completion"]),
                        ]
                    ],
                    numeric={0, 1, 2, 3},
                )
            ],
        ),
        section(
            key="kpis",
            title=_("KPI results"),
            tables=[
                table(
                    title="",
                    columns=[
                        _("KPI"),
                        _("Enterprises reporting"),
                        _("Enterprises improving"),
                        _("Share improving"),
                    ],
                    rows=[
                        [
                            row["kpi__name_zh"]
                            if zh and row["kpi__name_zh"]
                            else row["kpi__name_en"],
                            row["reporting"],
                            row["improving"],
                            percent(
                                row["improving"] / row["reporting"] if row["reporting"] else None
                            ),
                        ]
                        for row in per_kpi
                    ],
                    numeric={1, 2, 3},
                    empty=_("No enterprise reported a baseline and a follow-up yet."),
                )
            ],
            note=_(
                "%(improving)s of %(reporting)s enterprises improved at least one KPI "
                "(%(share)s); data coverage %(coverage)s of trained enterprises."
            )
            % {
                "improving": kpis["improving"],
                "reporting": kpis["reporting"],
                "share": percent(kpis["improving_share"]),
                "coverage": percent(kpis["coverage_share"]),
            },
        ),
        section(
            key="trainers",
            title=_("Trainers"),
            tables=[
                table(
                    title="",
                    columns=[
                        _("Module"),
                        _("Certified (incl. experts)"),
                        _("Experts"),
                        _("Candidates"),
                    ],
                    rows=[
                        [r["module__code"], r["certified"], r["experts"], r["candidates"]]
                        for r in sorted(certifications, key=lambda r: r["module__code"])
                    ],
                    numeric={1, 2, 3},
                    empty=_("No trainers recorded."),
                )
            ],
            note=_("%(active)s trainers taught a workshop in this period.") % {"active": active},
        ),
    ]
