"""How rows meet a period: the two rules every figure uses."""

from __future__ import annotations

from datetime import date

from django.db.models import Q


def overlaps(
    period_from: date | None, period_to: date | None, *, start: str, ends: tuple[str, ...] = ()
) -> Q:
    """Rows whose [start, first non-empty end] interval meets the period (open ends count)."""
    q = Q()
    if period_to:
        q &= Q(**{f"{start}__lte": period_to})
    if period_from and ends:
        ended_before = Q()
        for end in ends:
            ended_before |= Q(**{f"{end}__lt": period_from})
        q &= ~ended_before
    elif period_from:
        q &= Q(**{f"{start}__gte": period_from})
    return q


def in_period(field: str, period_from: date | None, period_to: date | None) -> Q:
    q = Q()
    if period_from:
        q &= Q(**{f"{field}__gte": period_from})
    if period_to:
        q &= Q(**{f"{field}__lte": period_to})
    return q


def enrolments_meeting(period_from: date | None, period_to: date | None) -> Q:
    """Enrolments meeting the period: applied on or before its last day, not completed or
    withdrawn before its first day (the rule of "reached in the period")."""
    return overlaps(
        period_from, period_to, start="applied_on", ends=("completed_on", "withdrawn_on")
    )
