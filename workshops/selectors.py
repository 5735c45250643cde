from django.db.models import QuerySet

from .models import Module


def module_list(user, *, active_only: bool = False) -> QuerySet[Module]:
    """The module catalogue is reference data every role may read."""
    modules = Module.objects.all()
    return modules.filter(is_active=True) if active_only else modules


def entry_module() -> Module | None:
    return Module.objects.filter(is_entry=True, is_active=True).first()


def cost_recovery(enrolments) -> dict:
    """Share of training cost paid by non-ILO sources (enterprise, sponsor, government).

    The one home of this figure: takes an iterable of enrolments or an Enrolment queryset
    (then it aggregates in the database)."""
    from decimal import Decimal

    from django.db.models import QuerySet, Sum

    if isinstance(enrolments, QuerySet):
        sums = enrolments.aggregate(e=Sum("paid_enterprise"), s=Sum("paid_sponsor"),
                                    g=Sum("paid_government"), i=Sum("paid_ilo"))
        local = sum((sums[k] or Decimal(0)) for k in "esg")
        ilo = sums["i"] or Decimal(0)
    else:
        local = sum((e.paid_enterprise + e.paid_sponsor + e.paid_government
                     for e in enrolments), Decimal(0))
        ilo = sum((e.paid_ilo for e in enrolments), Decimal(0))
    total = local + ilo
    return {"total": total, "non_ilo": local, "ilo": ilo,
            "share": (local / total) if total else None}
