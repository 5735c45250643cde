from django.db.models import QuerySet

from .models import Module


def module_list(user, *, active_only: bool = False) -> QuerySet[Module]:
    """The module catalogue is reference data every role may read."""
    modules = Module.objects.all()
    return modules.filter(is_active=True) if active_only else modules


def entry_module() -> Module | None:
    return Module.objects.filter(is_entry=True, is_active=True).first()


def enrolment_cost_recovery(enrolments: QuerySet) -> dict:
    """Who paid for these enrolments, and the share covered by non-ILO sources (cost
    recovery: enterprise + sponsor + government over the total fee). One aggregate query;
    ``share`` is ``None`` when nothing was paid at all. The one home of this figure: pages,
    exports and PDF reports all call it."""
    from decimal import Decimal

    from django.db.models import DecimalField, Sum, Value
    from django.db.models.functions import Coalesce

    zero = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=2))
    sums = enrolments.order_by().aggregate(
        enterprise=Coalesce(Sum("paid_enterprise"), zero),
        sponsor=Coalesce(Sum("paid_sponsor"), zero),
        government=Coalesce(Sum("paid_government"), zero),
        ilo=Coalesce(Sum("paid_ilo"), zero),
    )
    non_ilo = sums["enterprise"] + sums["sponsor"] + sums["government"]
    total = non_ilo + sums["ilo"]
    share = (non_ilo / total).quantize(Decimal("0.0001")) if total else None
    return {**sums, "non_ilo": non_ilo, "total": total, "share": share}
