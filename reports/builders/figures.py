"""Headline figures of several partners side by side (the programme report and the
dashboard), grouped in the database."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from .scope import Scope


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
