"""The dashboard (one page that adapts to the role) and the indicator register pages."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from score_portal.access import Perm, access_for, require_perm
from score_portal.models import Role
from score_portal.selectors import profile_of

from . import dashboards, selectors
from .forms import DashboardFilterForm

FIRST_YEAR = 2020


def _years() -> list[int]:
    return list(range(timezone.localdate().year + 1, FIRST_YEAR - 1, -1))


@require_perm(Perm.VIEW)
def dashboard(request):
    """Programme managers compare partners (or open their default partner); partner managers
    and staff see their partner and what needs attention. Trainers go to their home page."""
    access = access_for(request.user)
    if access.primary_role == Role.TRAINER:
        return redirect("home")
    partners = dashboards.dashboard_partners(request.user)
    year = timezone.localdate().year
    data = dict(request.GET.items())
    if "partner" not in data and access.programme:
        profile = profile_of(request.user)
        if profile and profile.default_partner_id:
            data["partner"] = str(profile.default_partner_id)
    data.setdefault("year", str(year))
    groups = list(selectors.report_groups(request.user).filter(partner__in=partners))
    form = DashboardFilterForm(data, partners=partners, years=_years(), groups=groups)
    selected = partners
    group = None
    if form.is_valid():
        year = form.cleaned_data["year"]
        if form.cleaned_data["partner"]:
            selected = [p for p in partners if str(p.pk) == form.cleaned_data["partner"]]
        group = next((g for g in groups if str(g.pk) == form.cleaned_data["group"]), None)
        if group is not None:
            # a group belongs to one partner: the dashboard is that partner's, with the
            # group's own figures on top
            selected = [p for p in partners if p.pk == group.partner_id]
    context = {
        "form": form,
        "year": year,
        "partners": selected,
        "single": selected[0] if len(selected) == 1 else None,
        "can_manage_targets": access.has_perm(Perm.MANAGE_TARGETS),
    }
    if selected:
        context.update(dashboards.dashboard_data(request.user, partners=selected, year=year))
    if group is not None:
        context["group"] = _group_block(request.user, group, year)
    return render(request, "reports/dashboard.html", context)


def _group_block(user, group, year: int) -> dict:
    """The group's figures and its enterprises compared, for the year (the register's)."""
    import datetime

    from enterprises.selectors.groups import group_enterprises

    from .groups import (
        GROUP_CODES,
        compare_cells,
        compare_columns,
        figure_rows,
        group_comparison,
        group_figures,
    )

    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    rows = group_comparison(
        user, group, list(group_enterprises(user, group)), period_from=start, period_to=end
    )
    return {
        "group": group,
        "figures": figure_rows(
            group_figures(user, group, period_from=start, period_to=end), GROUP_CODES
        ),
        "columns": compare_columns(),
        "rows": [{"enterprise": r["enterprise"], "cells": compare_cells(r)} for r in rows],
    }


@require_perm(Perm.VIEW)
def indicator_list(request):
    """The indicator register: every programme figure with its definition."""
    from .indicators.definitions import GROUPS, INDICATORS

    groups = [
        {"key": key, "label": label, "indicators": [i for i in INDICATORS if i.group == key]}
        for key, label in GROUPS.items()
    ]
    return render(request, "reports/indicator_list.html", {"groups": groups})


@require_perm(Perm.VIEW)
def indicator_detail(request, code: str):
    """One indicator's definition: numerator, denominator, unit, rounding, period rule and
    breakdowns, with a link to the list behind it."""
    from .indicators.definitions import DISAGGREGATIONS, GROUPS, REGISTER
    from .indicators.display import list_url

    indicator = REGISTER.get(code)
    if indicator is None:
        raise Http404
    return render(
        request,
        "reports/indicator_detail.html",
        {
            "indicator": indicator,
            "group": GROUPS[indicator.group],
            "breakdowns": [DISAGGREGATIONS[key] for key in indicator.by],
            "list_url": list_url(code),
        },
    )


@require_perm(Perm.VIEW)
def dashboard_attention(request, partner_pk: int):
    """What needs attention for one partner: loaded by the dashboard after the figures (a
    partial page); partners outside the user's dashboard answer 404."""
    partner = next(
        (p for p in dashboards.dashboard_partners(request.user) if p.pk == partner_pk), None
    )
    if partner is None:
        raise Http404
    attention = dashboards.attention(request.user, partner.pk, timezone.localdate())
    return render(request, "reports/_dashboard_attention.html", {"attention": attention})
