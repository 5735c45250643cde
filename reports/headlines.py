"""The home panel's headline figures: six numbers over every partner the user may read."""

from decimal import Decimal

from django.db.models import Count, DecimalField, F, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from enterprises.models import Enrolment, Enterprise
from trainers.models import ConsultingVisit
from workshops.models import Participant, Workshop
from workshops.selectors import PARTICIPANT_COUNTS

from .builders.base import overlaps
from .dashboards import dashboard_partner_queryset, year_bounds


def _per_partner(queryset, partner_path: str, value, output=None):
    """A scalar subquery: ``value`` aggregated over ``queryset``'s rows of the outer partner."""
    inner = (
        queryset.filter(**{partner_path: OuterRef("pk")})
        .order_by()
        .values(partner_path)
        .annotate(v=value)
        .values("v")
    )
    zero = Value(Decimal(0), output_field=output) if output else Value(0)
    return Coalesce(Subquery(inner, output_field=output or IntegerField()), zero)


def headline_figures(user, *, year: int | None = None) -> dict:
    """Six figures over every partner the user may read, for the home page, in one query:
    each partner row carries its counts as subqueries, added up here. Same definitions as
    the dashboard (held workshops of the year, ``PARTICIPANT_COUNTS``, the cost recovery
    formula of ``enterprises.selectors.cost_recovery`` over enrolments meeting the year)."""
    today = timezone.localdate()
    year = year or today.year
    start, end = year_bounds(year)
    money = DecimalField(max_digits=16, decimal_places=2)
    held = Workshop.objects.filter(status=Workshop.Status.HELD, start_date__range=(start, end))
    participants = Participant.objects.filter(workshop__in=held.values("pk"))
    enrolments = Enrolment.objects.filter(
        overlaps(start, end, start="applied_on", ends=("completed_on", "withdrawn_on"))
    )
    non_ilo = F("paid_enterprise") + F("paid_sponsor") + F("paid_government")
    rows = list(
        dashboard_partner_queryset(user)
        .order_by()
        .annotate(
            active=_per_partner(
                Enterprise.objects.filter(status=Enterprise.Status.ACTIVE), "partner", Count("id")
            ),
            held=_per_partner(held, "partner", Count("id")),
            participants=_per_partner(
                participants, "workshop__partner", PARTICIPANT_COUNTS["total"]
            ),
            women=_per_partner(participants, "workshop__partner", PARTICIPANT_COUNTS["women"]),
            visits=_per_partner(
                ConsultingVisit.objects.filter(
                    status=ConsultingVisit.Status.RECORDED, visit_date__range=(start, end)
                ),
                "enrolment__enterprise__partner",
                Count("id"),
            ),
            non_ilo=_per_partner(enrolments, "enterprise__partner", Sum(non_ilo), money),
            paid=_per_partner(
                enrolments, "enterprise__partner", Sum(non_ilo + F("paid_ilo")), money
            ),
        )
        .values("active", "held", "participants", "women", "visits", "non_ilo", "paid")
    )
    total = {
        key: sum((row[key] for row in rows), 0)
        for key in ("active", "held", "participants", "women", "visits", "non_ilo", "paid")
    }
    return {
        "year": year,
        "active_enterprises": total["active"],
        "workshops_held": total["held"],
        "participants": total["participants"],
        "women_share": (total["women"] / total["participants"] if total["participants"] else None),
        "visits": total["visits"],
        "cost_recovery": total["non_ilo"] / total["paid"] if total["paid"] else None,
    }
