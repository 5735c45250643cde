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

    The one home of this figure, used by pages, exports and PDF reports: takes an Enrolment
    queryset (then it aggregates in the database, one query) or an iterable of enrolments.
    Returns the sums per payer, ``non_ilo``, ``ilo``, ``total`` and ``share`` (``None`` when
    nothing was paid)."""
    from decimal import Decimal

    from django.db.models import Sum

    payers = ("enterprise", "sponsor", "government", "ilo")
    if isinstance(enrolments, QuerySet):
        sums = enrolments.order_by().aggregate(
            **{payer: Sum(f"paid_{payer}") for payer in payers})
        sums = {payer: sums[payer] or Decimal(0) for payer in payers}
    else:
        enrolments = list(enrolments)
        sums = {payer: sum((getattr(e, f"paid_{payer}") for e in enrolments), Decimal(0))
                for payer in payers}
    non_ilo = sums["enterprise"] + sums["sponsor"] + sums["government"]
    total = non_ilo + sums["ilo"]
    return {**sums, "non_ilo": non_ilo, "total": total,
            "share": (non_ilo / total) if total else None}
