"""The querysets of one partner (or several) for one period, shared by the partner report, the
programme report and the dashboard."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    Case,
    Q,
    Value,
    When,
)
from django.utils import timezone

from enterprises.choices import SIZE_BANDS
from enterprises.models import EITMember, Enrolment, Enterprise, ImprovementProject, SuggestionCount
from enterprises.selectors import eit_active_q

from .base import in_period, overlaps


class Scope:
    """The querysets of one partner (or of several) for one period."""

    def __init__(
        self, partner_ids, period_from: date | None, period_to: date | None, enterprise_ids=None
    ):
        """``enterprise_ids`` (an enterprise group's): only these enterprises."""
        self.period_from, self.period_to = period_from, period_to
        enrolments = Enrolment.objects.filter(enterprise__partner_id__in=partner_ids)
        if enterprise_ids is not None:
            enrolments = enrolments.filter(enterprise_id__in=enterprise_ids)
        self.enrolments = enrolments.filter(
            overlaps(
                period_from, period_to, start="applied_on", ends=("completed_on", "withdrawn_on")
            )
        )
        # Enterprises reached in the period: those with an enrolment that meets it.
        self.enterprises = Enterprise.objects.filter(
            partner_id__in=partner_ids, pk__in=self.enrolments.values("enterprise_id")
        )
        self.projects = ImprovementProject.objects.filter(enterprise__in=self.enterprises)
        if period_from or period_to:
            self.projects = self.projects.filter(
                overlaps(period_from, period_to, start="start_date", ends=("end_date",))
            )
        today = period_to or timezone.localdate()
        self.members = EITMember.objects.filter(
            eit_active_q(today), enterprise__in=self.enterprises
        )
        self.suggestions = SuggestionCount.objects.filter(enterprise__in=self.enterprises).filter(
            in_period("month", period_from.replace(day=1) if period_from else None, period_to)
        )


def size_band_expression():
    """The SIZE_BANDS of enterprises/choices.py as SQL, so bands are counted in the database."""
    whens = []
    for code, _label, low, high in SIZE_BANDS:
        condition = Q(employees_total__gte=low)
        if high is not None:
            condition &= Q(employees_total__lte=high)
        whens.append(When(condition, then=Value(code)))
    return Case(*whens, default=Value(""))
