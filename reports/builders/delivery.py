"""The delivery sections of the partner report: workshops and participants, visits done
versus planned, KPI results and trainers certified, in a fixed number of queries."""

from __future__ import annotations

from django.db.models import (
    Count,
    Q,
)
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from enterprises.selectors.kpi import improvement_pairs as kpi_pairs
from enterprises.selectors.kpi import programme_figures
from trainers.models import Certification, ConsultingVisit, WorkshopTrainer
from workshops.models import Participant, Workshop
from workshops.selectors import participant_counts

from .base import in_period, percent, section, table
from .scope import Scope


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
