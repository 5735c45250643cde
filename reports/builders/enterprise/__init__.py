"""Enterprise progress report: profile, modules, EIT, improvement projects, suggestions and
next steps of one enterprise."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from enterprises.choices import (
    PROVINCE_LABELS,
    SECTOR_LABELS,
    SIZE_BAND_LABELS,
    size_band,
)
from enterprises.models import EITMember, Enrolment, Enterprise, ImprovementProject, SuggestionCount
from enterprises.selectors import cost_recovery, eit_active_q, eit_composition, project_savings

from ..base import chart, header, in_period, iso, money, overlaps, percent, section, table
from .delivery import kpis_section, visits_section, workshops_section


def build_enterprise(
    *,
    enterprise_id: int,
    period_from: date | None = None,
    period_to: date | None = None,
    language: str = "en",
    progress=lambda percent: None,
) -> dict:
    enterprise = Enterprise.objects.select_related("partner", "group").get(pk=enterprise_id)
    enrolments = (
        Enrolment.objects.filter(enterprise=enterprise)
        .filter(
            overlaps(
                period_from, period_to, start="applied_on", ends=("completed_on", "withdrawn_on")
            )
        )
        .select_related("module")
        .order_by("module__order", "applied_on")
    )
    members = EITMember.objects.filter(
        eit_active_q(period_to or timezone.localdate()), enterprise=enterprise
    )
    projects = ImprovementProject.objects.filter(enterprise=enterprise)
    if period_from or period_to:
        projects = projects.filter(
            overlaps(period_from, period_to, start="start_date", ends=("end_date",))
        )
    suggestions = SuggestionCount.objects.filter(enterprise=enterprise).filter(
        in_period("month", period_from.replace(day=1) if period_from else None, period_to)
    )

    context = header(
        kind="enterprise",
        title=_("Enterprise progress report"),
        scope_name=enterprise.display_name,
        period_from=period_from,
        period_to=period_to,
        language=language,
    )
    context["partner_name"] = enterprise.partner.name
    data: dict = {}
    sections = []

    sections.append(_profile(enterprise, data))
    progress(20)
    sections.append(_modules(enrolments, data))
    progress(35)
    sections.append(_eit(members, data))
    progress(50)
    sections.append(_projects(projects, data))
    progress(65)
    sections.append(_suggestions(suggestions, data))
    progress(70)
    sections.append(workshops_section(enterprise, period_from, period_to, data))
    sections.append(visits_section(enterprise, period_from, period_to, data))
    progress(80)
    sections.append(kpis_section(enterprise, data))
    progress(85)
    sections.append(_next_steps(enrolments, data))

    context["data"] = data
    context["sections"] = sections
    context["figures"] = [
        {"label": _("Modules enrolled"), "value": data["enrolments"]["total"]},
        {"label": _("Modules completed"), "value": data["enrolments"]["completed"]},
        {"label": _("EIT members"), "value": data["eit"]["total"]},
        {"label": _("Improvement projects"), "value": data["projects"]["total"]},
        {"label": _("Suggestions made"), "value": data["suggestions"]["made"]},
        {"label": _("Suggestions implemented"), "value": data["suggestions"]["implemented"]},
        {"label": _("Consulting visits"), "value": data["visits"]["recorded"]},
        {"label": _("KPIs improved"), "value": data["kpis"]["improved"]},
    ]
    return context


def _profile(enterprise: Enterprise, data: dict) -> dict:
    band = size_band(enterprise.employees_total)
    data["profile"] = {
        "name": enterprise.name,
        "name_zh": enterprise.name_zh,
        "employees": enterprise.employees_total,
        "women": enterprise.employees_women,
        "size_band": band or "",
    }
    rows = [
        [_("Name"), enterprise.name],
        [_("Name in Chinese"), enterprise.name_zh],
        [_("Implementing partner"), enterprise.partner.name],
        [_("Unified Social Credit Code"), enterprise.credit_code],
        [_("Sector"), str(SECTOR_LABELS.get(enterprise.sector, ""))],
        [_("Province"), str(PROVINCE_LABELS.get(enterprise.province, enterprise.province))],
        [_("City"), enterprise.city],
        [
            _("Employees"),
            enterprise.employees_total if enterprise.employees_total is not None else "",
        ],
        [
            _("Of whom women"),
            enterprise.employees_women if enterprise.employees_women is not None else "",
        ],
        [_("Size band"), str(SIZE_BAND_LABELS.get(band, ""))],
        [_("Ownership"), enterprise.get_ownership_display() if enterprise.ownership else ""],
        [_("Enterprise group"), enterprise.group.display_name if enterprise.group_id else ""],
        [_("Lead buyer"), enterprise.lead_buyer],
        [_("Status"), enterprise.get_status_display()],
    ]
    return section(
        key="profile",
        title=_("Enterprise profile"),
        tables=[
            table(
                title="",
                columns=[_("Item"), _("Value")],
                rows=[row for row in rows if row[1] not in ("", None)],
            )
        ],
    )


def _modules(enrolments, data: dict) -> dict:
    rows = []
    counts = {"total": 0, "completed": 0, "open": 0, "withdrawn": 0}
    for enrolment in enrolments:
        counts["total"] += 1
        if enrolment.status == Enrolment.Status.COMPLETED:
            counts["completed"] += 1
        elif enrolment.status == Enrolment.Status.WITHDRAWN:
            counts["withdrawn"] += 1
        else:
            counts["open"] += 1
        rows.append(
            [
                f"{enrolment.module.code} {enrolment.module.name}",
                enrolment.get_status_display(),
                iso(enrolment.applied_on),
                iso(enrolment.enrolled_on),
                iso(enrolment.completed_on or enrolment.withdrawn_on),
                money(enrolment.fee_total),
                enrolment.currency,
            ]
        )
    recovery = cost_recovery(enrolments)
    data["enrolments"] = counts
    data["cost_recovery"] = recovery
    return section(
        key="modules",
        title=_("Modules and enrolment status"),
        tables=[
            table(
                title="",
                columns=[
                    _("Module"),
                    _("Status"),
                    _("Applied"),
                    _("Enrolled"),
                    _("Completed or withdrawn"),
                    _("Fee"),
                    _("Currency"),
                ],
                rows=rows,
                numeric={5},
                empty=_("No enrolments in this period."),
            )
        ],
        note=_("Share of fees paid by non-ILO sources (cost recovery): %(share)s.")
        % {"share": percent(recovery["share"])},
    )


def _eit(members, data: dict) -> dict:
    composition = eit_composition(members)
    by_role = {}
    for row in members.order_by().values("role", "level", "sex"):
        counts = by_role.setdefault(row["role"], {"manager": 0, "worker": 0, "F": 0, "M": 0})
        counts[row["level"]] += 1
        counts[row["sex"]] += 1
    rows = []
    for role, label in EITMember.Role.choices:
        counts = by_role.get(role)
        if counts:
            rows.append(
                [
                    str(label),
                    counts["manager"],
                    counts["worker"],
                    counts["F"],
                    counts["M"],
                    counts["manager"] + counts["worker"],
                ]
            )
    data["eit"] = {**composition, "by_role": {role: dict(c) for role, c in by_role.items()}}
    totals = [
        _("Total"),
        composition["total"] - composition["workers"],
        composition["workers"],
        composition["women"],
        composition["total"] - composition["women"],
        composition["total"],
    ]
    people = [
        [m.name, m.get_role_display(), m.get_level_display(), m.get_sex_display(), m.department]
        for m in members.order_by("role", "name")
    ]
    return section(
        key="eit",
        title=_("Enterprise Improvement Team"),
        tables=[
            table(
                title=_("Members by role"),
                columns=[
                    _("Role"),
                    pgettext("EIT members", "Managers"),
                    _("Workers"),
                    _("Women"),
                    _("Men"),
                    _("Total"),
                ],
                rows=rows,
                numeric={1, 2, 3, 4, 5},
                totals=totals if rows else None,
                empty=_("No EIT members recorded."),
            ),
            table(
                title=_("Members"),
                columns=[
                    pgettext("person", "Name"),
                    _("Role"),
                    _("Manager or worker"),
                    _("Sex"),
                    _("Department"),
                ],
                rows=people,
                empty=_("No EIT members recorded."),
            ),
        ],
        note=_("Women: %(women)s; workers: %(workers)s.")
        % {
            "women": percent(composition["share_women"]),
            "workers": percent(composition["share_workers"]),
        },
    )


def _projects(projects, data: dict) -> dict:
    savings = project_savings(projects)
    rows = [
        [
            p.title,
            p.module.code if p.module_id else "",
            p.get_status_display(),
            iso(p.start_date),
            iso(p.end_date),
            money(p.estimated_saving) if p.estimated_saving is not None else "",
            money(p.realised_saving) if p.realised_saving is not None else "",
            p.currency,
        ]
        for p in projects.select_related("module").order_by("start_date", "title")
    ]
    data["projects"] = {
        "total": sum(r["projects"] for r in savings),
        "completed": sum(r["completed"] for r in savings),
        "by_currency": {r["currency"]: r for r in savings},
    }
    totals = [
        [_("Total"), "", "", "", "", money(r["estimated"]), money(r["realised"]), r["currency"]]
        for r in savings
    ]
    return section(
        key="projects",
        title=_("Improvement projects"),
        tables=[
            table(
                title="",
                columns=[
                    _("Project"),
                    _("Module"),
                    _("Status"),
                    _("Start"),
                    _("End"),
                    _("Estimated saving"),
                    _("Realised saving"),
                    _("Currency"),
                ],
                rows=rows + totals[1:],
                totals=totals[0] if totals else None,
                numeric={5, 6},
                empty=_("No improvement projects in this period."),
            )
        ],
    )


def _suggestions(suggestions, data: dict) -> dict:
    months = list(suggestions.order_by("month").values_list("month", "made", "implemented"))
    made = sum(m for _month, m, _i in months)
    implemented = sum(i for _month, _m, i in months)
    data["suggestions"] = {
        "made": made,
        "implemented": implemented,
        "by_month": [
            {"month": f"{month:%Y-%m}", "made": m, "implemented": i} for month, m, i in months
        ],
    }
    rows = [[f"{month:%Y-%m}", m, i, percent(i / m if m else None)] for month, m, i in months]
    charts = []
    if months:
        from score_portal.charts import bar_chart

        charts.append(
            chart(
                title=_("Worker suggestions per month"),
                svg=bar_chart(
                    categories=[f"{month:%Y-%m}" for month, _m, _i in months],
                    series={
                        _("Made"): [m for _month, m, _i in months],
                        _("Implemented"): [i for _month, _m, i in months],
                    },
                ),
            )
        )
    return section(
        key="suggestions",
        title=_("Worker suggestions"),
        tables=[
            table(
                title="",
                columns=[_("Month"), _("Made"), _("Implemented"), _("Implemented share")],
                rows=rows,
                numeric={1, 2, 3},
                totals=[
                    _("Total"),
                    made,
                    implemented,
                    percent(implemented / made if made else None),
                ]
                if rows
                else None,
                empty=_("No suggestions recorded in this period."),
            )
        ],
        charts=charts,
    )


def _next_steps(enrolments, data: dict) -> dict:
    status_labels = dict(Enrolment.Status.choices)
    steps = []
    for enrolment in enrolments:
        if not enrolment.is_open:
            continue
        following = enrolment.next_statuses()[0]
        steps.append(
            [
                f"{enrolment.module.code} {enrolment.module.name}",
                enrolment.get_status_display(),
                str(status_labels[following]),
            ]
        )
    data["next_steps"] = [{"module": row[0], "status": row[1], "next": row[2]} for row in steps]
    return section(
        key="next_steps",
        title=_("Next steps"),
        tables=[
            table(
                title="",
                columns=[_("Module"), _("Current status"), _("Next step")],
                rows=steps,
                empty=_("No open enrolments."),
            )
        ],
    )
