"""Reads over enrolments."""

from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet, Sum

PAYERS = ("enterprise", "sponsor", "government", "ilo")


def programme_currency() -> str:
    """Fees are compared in the programme's currency (``SCORE_PROGRAMME_CURRENCY``)."""
    return getattr(settings, "SCORE_PROGRAMME_CURRENCY", "CNY")


def in_programme_currency() -> Q:
    return Q(currency=programme_currency())


def cost_recovery(enrolments) -> dict:
    """Share of training cost paid by non-ILO sources (enterprise, sponsor, government).

    The one formula of this figure (the indicator register's ``cost_recovery`` computes it
    grouped, with the same rule): fees in the programme currency only, so that amounts of
    different currencies are never added up. Takes an Enrolment queryset (aggregated in the
    database, one query) or an iterable of enrolments. Returns the sums per payer,
    ``non_ilo``, ``ilo``, ``total``, ``share`` (``None`` when nothing was paid) and
    ``currency``."""
    currency = programme_currency()
    if isinstance(enrolments, QuerySet):
        sums = (
            enrolments.filter(in_programme_currency())
            .order_by()
            .aggregate(**{payer: Sum(f"paid_{payer}") for payer in PAYERS})
        )
        sums = {payer: sums[payer] or Decimal(0) for payer in PAYERS}
    else:
        enrolments = [e for e in enrolments if e.currency == currency]
        sums = {
            payer: sum((getattr(e, f"paid_{payer}") for e in enrolments), Decimal(0))
            for payer in PAYERS
        }
    non_ilo = sums["enterprise"] + sums["sponsor"] + sums["government"]
    total = non_ilo + sums["ilo"]
    return {
        **sums,
        "non_ilo": non_ilo,
        "total": total,
        "share": (non_ilo / total) if total else None,
        "currency": currency,
    }
