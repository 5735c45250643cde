"""Reads over enrolments."""

from decimal import Decimal

from django.db.models import QuerySet, Sum


def cost_recovery(enrolments) -> dict:
    """Share of training cost paid by non-ILO sources (enterprise, sponsor, government).

    The one home of this figure, used by pages, exports and PDF reports: takes an Enrolment
    queryset (then it aggregates in the database, one query) or an iterable of enrolments.
    Returns the sums per payer, ``non_ilo``, ``ilo``, ``total`` and ``share`` (``None`` when
    nothing was paid)."""
    payers = ("enterprise", "sponsor", "government", "ilo")
    if isinstance(enrolments, QuerySet):
        sums = enrolments.order_by().aggregate(**{payer: Sum(f"paid_{payer}") for payer in payers})
        sums = {payer: sums[payer] or Decimal(0) for payer in payers}
    else:
        enrolments = list(enrolments)
        sums = {
            payer: sum((getattr(e, f"paid_{payer}") for e in enrolments), Decimal(0))
            for payer in payers
        }
    non_ilo = sums["enterprise"] + sums["sponsor"] + sums["government"]
    total = non_ilo + sums["ilo"]
    return {
        **sums,
        "non_ilo": non_ilo,
        "total": total,
        "share": (non_ilo / total) if total else None,
    }
