"""The enterprise report's delivery sections: its workshops, consulting visits and KPI
results in the period."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from enterprises.selectors.kpi import kpi_table
from score_portal.charts import trend_svg
from trainers.models import ConsultingVisit, VisitAction
from workshops.models import Participant, Workshop
from workshops.selectors import participant_counts

from ..base import chart, in_period, iso, section, table


def workshops_section(enterprise, period_from, period_to, data: dict) -> dict:
    """Workshops the enterprise's people attended, with its delegation by sex and role."""
    participants = Participant.objects.filter(enrolment__enterprise=enterprise).filter(
        in_period("workshop__start_date", period_from, period_to)
    )
    rows_by_workshop = (
        participants.order_by("workshop__start_date")
        .values(
            "workshop_id",
            "workshop__title",
            "workshop__start_date",
            "workshop__module__code",
            "workshop__status",
        )
        .annotate(
            total=Count("id"),
            women=Count("id", filter=Q(sex="F")),
            workers=Count("id", filter=Q(level="worker")),
            attended=Count("id", distinct=True, filter=Q(attendance__present=True)),
        )
    )
    status_labels = dict(Workshop.Status.choices)
    rows = [
        [
            iso(r["workshop__start_date"]),
            r["workshop__title"],
            r["workshop__module__code"],
            str(status_labels.get(r["workshop__status"], "")),
            r["total"],
            r["women"],
            r["total"] - r["women"],
            r["total"] - r["workers"],
            r["workers"],
            r["attended"],
        ]
        for r in rows_by_workshop
    ]
    counts = participant_counts(participants)
    data["workshops"] = {
        "workshops": len(rows),
        **{k: counts[k] for k in ("total", "women", "men", "managers", "workers")},
    }
    return section(
        key="workshops",
        title=_("Workshops attended"),
        tables=[
            table(
                title="",
                columns=[
                    _("Date"),
                    _("Workshop"),
                    _("Module"),
                    _("Status"),
                    _("Participants"),
                    _("Women"),
                    _("Men"),
                    pgettext("participants", "Managers"),
                    _("Workers"),
                    _("Attended"),
                ],
                rows=rows,
                numeric={4, 5, 6, 7, 8, 9},
                totals=[
                    _("Total"),
                    "",
                    "",
                    "",
                    counts["total"],
                    counts["women"],
                    counts["men"],
                    counts["managers"],
                    counts["workers"],
                    "",
                ]
                if rows
                else None,
                empty=_("No workshop participants recorded in this period."),
            )
        ],
    )


def visits_section(enterprise, period_from, period_to, data: dict) -> dict:
    """Consulting visits and the actions agreed, with how many were completed."""
    visits = ConsultingVisit.objects.filter(enrolment__enterprise=enterprise)
    if period_from or period_to:  # planned visits have no visit date yet: keep them
        visits = visits.filter(
            Q(visit_date__isnull=True) | in_period("visit_date", period_from, period_to)
        )
    visits = list(
        visits.select_related("enrolment__module", "trainer").order_by(
            "enrolment__module__order", "number"
        )
    )
    actions = list(
        VisitAction.objects.filter(visit__in=visits)
        .select_related("visit")
        .order_by("visit__number", "pk")
    )
    recorded = [v for v in visits if v.status == ConsultingVisit.Status.RECORDED]
    planned = [v for v in visits if v.status == ConsultingVisit.Status.PLANNED]
    done = sum(1 for a in actions if a.status == VisitAction.Status.DONE)
    data["visits"] = {
        "recorded": len(recorded),
        "planned": len(planned),
        "actions": len(actions),
        "actions_done": done,
    }
    visit_rows = [
        [
            v.enrolment.module.code,
            v.number,
            v.get_status_display(),
            iso(v.visit_date or v.planned_date),
            v.trainer.display_name,
            v.topics[:120],
        ]
        for v in visits
        if v.status != "cancelled"
    ]
    action_rows = [
        [a.visit.number, a.description, a.owner, iso(a.due_date), a.get_status_display()]
        for a in actions
    ]
    return section(
        key="visits",
        title=_("Consulting visits"),
        tables=[
            table(
                title=_("Visits"),
                columns=[
                    _("Module"),
                    _("Visit"),
                    _("Status"),
                    _("Date"),
                    _("Consultant"),
                    _("Topics covered"),
                ],
                rows=visit_rows,
                numeric={1},
                empty=_("No consulting visits."),
            ),
            table(
                title=_("Actions agreed"),
                columns=[_("Visit"), _("Action"), _("Owner"), _("Due"), _("Status")],
                rows=action_rows,
                numeric={0},
                empty=_("No actions agreed."),
            ),
        ],
        note=_("%(done)s of %(total)s actions agreed are done.")
        % {"done": done, "total": len(actions)}
        if actions
        else "",
    )


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def kpis_section(enterprise, data: dict) -> dict:
    """Baseline, latest and change per KPI (the same figures as the KPI page) and charts,
    then every reading with its review status and who verified it when."""
    rows, charts, improved = [], [], 0
    readings, verified = [], 0
    kpi_rows = kpi_table(enterprise)
    for row in kpi_rows:
        for reading in row.readings:
            verified += reading.is_verified
            readings.append(
                [
                    row.kpi.name,
                    reading.get_kind_display(),
                    iso(reading.period_end),
                    reading.value.normalize(),
                    reading.get_review_status_display(),
                    _person(reading.verified_by) if reading.is_verified else "",
                    iso(timezone.localdate(reading.verified_at)) if reading.is_verified else None,
                ]
            )
    for row in kpi_rows:
        improved += bool(row.improved)
        rows.append(
            [
                row.kpi.name,
                row.kpi.unit_label,
                row.baseline.value.normalize() if row.baseline else "",
                row.latest.value.normalize() if row.latest else "",
                f"{row.change:.1f}%" if row.change is not None else "",
                (_("improved") if row.improved else _("not improved"))
                if row.improved is not None
                else "",
            ]
        )
        if row.follow_ups:
            charts.append(
                chart(
                    title=row.kpi.name,
                    svg=trend_svg(
                        [(r.period_end, r.value) for r in row.follow_ups],
                        baseline=row.baseline.value if row.baseline else None,
                        unit=row.kpi.unit_label,
                        title=row.kpi.name,
                        baseline_label=_("Baseline"),
                        follow_up_label=_("Follow-up"),
                    ),
                )
            )
    data["kpis"] = {
        "reported": len(rows),
        "improved": improved,
        "readings": len(readings),
        "verified": verified,
    }
    return section(
        key="kpis",
        title=_("Key performance indicators"),
        tables=[
            table(
                title="",
                columns=[_("KPI"), _("Unit"), _("Baseline"), _("Latest"), _("Change"), _("Result")],
                rows=rows,
                numeric={2, 3, 4},
                empty=_("No KPI data recorded yet."),
            ),
            table(
                title=_("Readings and their review"),
                columns=[
                    _("KPI"),
                    _("Kind"),
                    _("Period to"),
                    _("Value"),
                    _("Review"),
                    _("Verified by"),
                    _("Verified on"),
                ],
                rows=readings,
                numeric={3},
                empty=_("No KPI data recorded yet."),
                pdf_limit=80,
            ),
        ],
        note=_("%(verified)s of %(total)s readings verified.")
        % {"verified": verified, "total": len(readings)}
        if readings
        else "",
        charts=charts[:6],
    )
