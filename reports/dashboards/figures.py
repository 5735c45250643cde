"""The dashboard's figures: partners side by side, targets against actual figures, a province
breakdown, a twelve-month trend and, for one partner, what needs attention.

Every figure comes from aggregate queries over the user's scope, grouped by partner in the
database, and reuses the figures' one home (``participant_counts_by``, the KPI figures of
``enterprises.selectors.kpi``, the partner report's ``partner_figures`` for cost recovery).
The number of queries does not grow with the number of enterprises, workshops or visits.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import (
    Count,
    Q,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Module
from enterprises.models import Enterprise
from enterprises.selectors.kpi import kpi_figures_by_partner
from score_portal.access import access_for, scope
from score_portal.models import Partner
from trainers.models import Certification, ConsultingVisit, Trainer
from workshops.models import Participant, Workshop
from workshops.selectors import participant_counts_by

from ..builders.figures import partner_figures
from ..models import Target
from .common import (
    _url,
    year_bounds,
)
from .sections import attention, province_rows, trend

# --- Figures per partner ------------------------------------------------------------------


def partner_dashboard_figures(
    user, partner_ids: list[int], year: int, today: dt.date
) -> dict[int, dict]:
    """Every partner's figures for the year (and current standing), grouped in the database."""
    start, end = year_bounds(year)
    figures: dict[int, dict] = {
        pid: {
            "enterprises": {"total": 0, **dict.fromkeys(Enterprise.Status.values, 0)},
            "workshops_held": 0,
            "participants": None,
            "trained": {},
            "visits_done": 0,
            "visits_planned": 0,
            "visits_overdue": 0,
            "kpi": None,
            "cost_recovery": None,
            "certified": {},
            "certified_total": 0,
        }
        for pid in partner_ids
    }
    enterprises = scope(user, Enterprise.objects.all()).filter(partner_id__in=partner_ids)
    for row in (
        enterprises.order_by()
        .values("partner_id")
        .annotate(
            total=Count("id"),
            **{status: Count("id", filter=Q(status=status)) for status in Enterprise.Status.values},
        )
    ):
        figures[row.pop("partner_id")]["enterprises"] = row

    held = scope(user, Workshop.objects.all()).filter(
        partner_id__in=partner_ids, status=Workshop.Status.HELD, start_date__range=(start, end)
    )
    for row in held.order_by().values("partner_id").annotate(n=Count("id")):
        figures[row["partner_id"]]["workshops_held"] = row["n"]
    participants = scope(user, Participant.objects.all()).filter(workshop__in=held.values("pk"))
    for partner_id, counts in participant_counts_by(participants, "workshop__partner_id").items():
        figures[partner_id]["participants"] = counts
    for row in (
        participants.order_by()
        .values("workshop__partner_id", "workshop__module_id")
        .annotate(n=Count("enrolment__enterprise_id", distinct=True))
    ):
        figures[row["workshop__partner_id"]]["trained"][row["workshop__module_id"]] = row["n"]

    visits = scope(user, ConsultingVisit.objects.all()).filter(
        enrolment__enterprise__partner_id__in=partner_ids
    )
    for row in (
        visits.order_by()
        .values("enrolment__enterprise__partner_id")
        .annotate(
            done=Count(
                "id",
                filter=Q(status=ConsultingVisit.Status.RECORDED, visit_date__range=(start, end)),
            ),
            planned=Count(
                "id",
                filter=Q(status=ConsultingVisit.Status.PLANNED, planned_date__range=(start, end)),
            ),
            overdue=Count(
                "id", filter=Q(status=ConsultingVisit.Status.PLANNED, planned_date__lt=today)
            ),
        )
    ):
        figures[row["enrolment__enterprise__partner_id"]].update(
            visits_done=row["done"], visits_planned=row["planned"], visits_overdue=row["overdue"]
        )

    for partner_id, kpi in kpi_figures_by_partner(enterprises).items():
        figures[partner_id]["kpi"] = kpi
    # Cost recovery as the partner progress report computes it for the same period.
    for partner_id, item in partner_figures(partner_ids, start, end).items():
        figures[partner_id]["cost_recovery"] = item["cost_recovery"]

    links = Trainer.partners.through.objects.filter(
        partner_id__in=partner_ids,
        trainer__is_active=True,
        trainer__certifications__grade__in=Certification.QUALIFIED,
    ).filter(
        Q(trainer__certifications__valid_until__isnull=True)
        | Q(trainer__certifications__valid_until__gte=today)
    )
    for row in (
        links.order_by()
        .values("partner_id", "trainer__certifications__module_id")
        .annotate(n=Count("trainer_id", distinct=True))
    ):
        figures[row["partner_id"]]["certified"][row["trainer__certifications__module_id"]] = row[
            "n"
        ]
    for row in links.order_by().values("partner_id").annotate(n=Count("trainer_id", distinct=True)):
        figures[row["partner_id"]]["certified_total"] = row["n"]
    return figures


def comparison_rows(
    partners: list[Partner],
    figures: dict[int, dict],
    modules: list[Module],
    year: int,
    *,
    programme: bool,
) -> list[dict]:
    """The side-by-side table: one row per figure, one cell per partner, each cell linking
    to the list behind it where there is one."""

    def cell(value, kind="count", url=None):
        return {"value": value, "kind": kind, "url": url}

    def enterprises_url(partner, **query):
        return _url("enterprises:list", partner=partner.pk if programme else None, **query)

    rows = []

    def add(label, make, group=""):
        rows.append(
            {
                "label": label,
                "group": group,
                "cells": [make(partner, figures[partner.pk]) for partner in partners],
            }
        )

    group = _("Enterprises")
    add(
        _("Enterprises"),
        lambda p, f: cell(f["enterprises"]["total"], url=enterprises_url(p)),
        group,
    )
    for status, label in Enterprise.Status.choices:
        add(
            label,
            lambda p, f, s=status: cell(f["enterprises"][s], url=enterprises_url(p, status=s)),
            group,
        )
    past = _url("workshops:list", when="past")
    group = _("Workshops in %(year)s") % {"year": year}
    add(_("Workshops held"), lambda p, f: cell(f["workshops_held"], url=past), group)
    for key, label in (
        ("total", _("Participants")),
        ("women", _("Women")),
        ("men", _("Men")),
        ("managers", _("Managers")),
        ("workers", _("Workers")),
    ):
        add(label, lambda p, f, k=key: cell((f["participants"] or {}).get(k, 0), url=past), group)
    add(
        _("Share of women"),
        lambda p, f: cell((f["participants"] or {}).get("women_share"), "share"),
        group,
    )
    for module in modules:
        add(
            _("Enterprises trained, %(module)s") % {"module": module.code},
            lambda p, f, m=module: cell(
                f["trained"].get(m.pk, 0), url=_url("workshops:list", when="past", module=m.pk)
            ),
            group,
        )
    group = _("Consulting visits in %(year)s") % {"year": year}
    add(_("Visits recorded"), lambda p, f: cell(f["visits_done"]), group)
    add(_("Visits planned"), lambda p, f: cell(f["visits_planned"]), group)
    add(_("Planned visits overdue"), lambda p, f: cell(f["visits_overdue"]), group)
    group = _("Results")
    add(
        _("Enterprises improving"),
        lambda p, f: cell((f["kpi"] or {}).get("improving_share"), "share"),
        group,
    )
    add(
        _("Realised savings"),
        lambda p, f: cell((f["kpi"] or {}).get("savings_total", Decimal(0)), "money"),
        group,
    )
    add(
        _("KPI data coverage"),
        lambda p, f: cell((f["kpi"] or {}).get("coverage_share"), "share"),
        group,
    )
    add(
        _("Cost recovery (%(year)s)") % {"year": year},
        lambda p, f: cell(f["cost_recovery"], "share"),
        group,
    )
    group = _("Trainers")
    add(_("Certified trainers"), lambda p, f: cell(f["certified_total"]), group)
    for module in modules:
        add(
            _("Certified trainers, %(module)s") % {"module": module.code},
            lambda p, f, m=module: cell(f["certified"].get(m.pk, 0)),
            group,
        )
    return rows


# --- Targets against actual figures -------------------------------------------------------


def actual_for(metric: str, module_id: int | None, figures: dict) -> Decimal | int | None:
    """The actual figure that a target of ``metric`` is measured against. Shares come back
    as fractions (0–1); targets store them as percentages."""
    participants = figures["participants"] or {}
    kpi = figures["kpi"] or {}
    return {
        Target.Metric.ENTERPRISES_TRAINED: lambda: figures["trained"].get(module_id, 0),
        Target.Metric.PARTICIPANTS: lambda: participants.get("total", 0),
        Target.Metric.WOMEN_SHARE: lambda: participants.get("women_share"),
        Target.Metric.VISITS: lambda: figures["visits_done"],
        Target.Metric.CERTIFIED_TRAINERS: lambda: figures["certified_total"],
        Target.Metric.COST_RECOVERY: lambda: figures["cost_recovery"],
        Target.Metric.IMPROVING_SHARE: lambda: kpi.get("improving_share"),
    }[metric]()


def target_rows(user, partner_ids: list[int], year: int, figures: dict[int, dict]) -> list:
    targets = (
        scope(user, Target.objects.all())
        .filter(partner_id__in=partner_ids, year=year)
        .select_related("partner", "module")
        .order_by("partner__code", "metric", "module__order")
    )
    rows = []
    for target in targets:
        actual = actual_for(target.metric, target.module_id, figures[target.partner_id])
        if target.is_share:
            goal = target.value / 100
            achieved = (Decimal(actual) / goal) if actual is not None and goal else None
        else:
            goal = target.value
            achieved = (Decimal(actual) / goal) if goal else None
        rows.append(
            {
                "partner": target.partner,
                "target": target,
                "label": (
                    f"{target.get_metric_display()} · {target.module.code}"
                    if target.module_id
                    else target.get_metric_display()
                ),
                "goal": goal,
                "actual": actual,
                "is_share": target.is_share,
                "achieved": achieved,
                "met": achieved is not None and achieved >= 1,
            }
        )
    return rows


# --- Province breakdown and trend ---------------------------------------------------------


def dashboard_data(
    user, *, partners: list[Partner], year: int, today: dt.date | None = None
) -> dict:
    """Everything the dashboard shows for these partners (already in the user's scope)."""
    today = today or timezone.localdate()
    programme = access_for(user).sees_all()
    partner_ids = [partner.pk for partner in partners]
    modules = list(Module.objects.filter(is_active=True).order_by("order", "code"))
    figures = partner_dashboard_figures(user, partner_ids, year, today)
    return {
        "figures": figures,
        "modules": modules,
        "comparison": comparison_rows(partners, figures, modules, year, programme=programme),
        "targets": target_rows(user, partner_ids, year, figures),
        "provinces": province_rows(user, partner_ids, year, programme=programme),
        "trend": trend(user, partner_ids, year, today),
        "attention": attention(user, partner_ids[0], today) if len(partners) == 1 else None,
    }
