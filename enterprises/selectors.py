"""Reads and derived figures for enterprises and their improvement work."""

from decimal import Decimal
from statistics import median

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce


def project_savings(projects: QuerySet) -> list[dict]:
    """Improvement projects and their savings, per currency (sums never mix currencies):
    count, completed, estimated total, realised total and median realised saving. Realised
    savings count only completed projects (as on the enterprise page). Two queries whatever
    the number of projects."""
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=16, decimal_places=2))
    done = Q(status="completed")
    rows = list(
        projects.order_by().values("currency").annotate(
            projects=Count("id"),
            completed=Count("id", filter=done),
            estimated=Coalesce(Sum("estimated_saving"), zero),
            realised=Coalesce(Sum("realised_saving", filter=done), zero),
        ).order_by("currency"))
    realised_values: dict[str, list[Decimal]] = {}
    for currency, value in (projects.order_by().filter(done, realised_saving__isnull=False)
                            .values_list("currency", "realised_saving")):
        realised_values.setdefault(currency, []).append(value)
    for row in rows:
        values = realised_values.get(row["currency"])
        row["median_realised"] = (Decimal(median(values)).quantize(Decimal("0.01"))
                                  if values else None)
    return rows


def eit_composition(members: QuerySet) -> dict:
    """Size of Enterprise Improvement Teams and the shares of women and of workers."""
    counts = members.order_by().aggregate(
        total=Count("id"),
        women=Count("id", filter=Q(sex="F")),
        workers=Count("id", filter=Q(level="worker")),
    )
    total = counts["total"]
    counts["share_women"] = round(counts["women"] / total, 4) if total else None
    counts["share_workers"] = round(counts["workers"] / total, 4) if total else None
    return counts
