"""The dashboard (one page that adapts to the role) and the yearly targets pages."""

from decimal import Decimal

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Module
from score_portal.access import Perm, access_for, get_for_user, require_perm
from score_portal.models import Partner, Role
from score_portal.selectors import profile_of
from score_portal.web import form_page

from . import dashboards, selectors, targets
from .forms import DashboardFilterForm, TargetGridForm, field_name
from .models import Target

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
def target_list(request):
    """Every partner's targets for a year: programme managers set them, others read them."""
    access = access_for(request.user)
    year = request.GET.get("year", "")
    year = (
        int(year)
        if year.isdigit() and FIRST_YEAR <= int(year) <= 2100
        else timezone.localdate().year
    )
    rows = list(targets.target_list(request.user, year=year))
    partners = dashboards.dashboard_partners(request.user)
    by_partner = {partner.pk: {"partner": partner, "targets": []} for partner in partners}
    for target in rows:
        by_partner.setdefault(target.partner_id, {"partner": target.partner, "targets": []})
        by_partner[target.partner_id]["targets"].append(target)
    return render(
        request,
        "reports/target_list.html",
        {
            "year": year,
            "years": _years(),
            "groups": list(by_partner.values()),
            "can_manage": access.has_perm(Perm.MANAGE_TARGETS),
        },
    )


@require_perm(Perm.MANAGE_TARGETS)
def target_edit(request, partner_pk: int, year: int):
    """A partner's targets for one year, as one grid of numbers."""
    partner = get_for_user(request.user, Partner.objects.all(), Perm.MANAGE_TARGETS, pk=partner_pk)
    if not FIRST_YEAR <= year <= 2100:
        raise Http404
    modules = list(Module.objects.filter(is_active=True).order_by("order", "code"))
    rows = targets.target_grid_keys(modules)
    # Counts without decimals and shares with one, as the grid's fields expect them.
    initial = {
        field_name(metric, module_id): value.quantize(
            Decimal("0.1") if metric in Target.SHARES else Decimal(1)
        )
        for (metric, module_id), value in targets.target_values(
            request.user, partner=partner, year=year
        ).items()
    }
    form = TargetGridForm(request.POST or None, rows=rows, initial=initial)
    return form_page(
        request,
        form,
        template="reports/target_form.html",
        context={"partner": partner, "year": year},
        save=lambda data: targets.targets_set(
            acting_user=request.user, partner=partner, year=year, values=form.values()
        ),
        success_url=f"{reverse('reports:target-list')}?year={year}",
        success_message=_("Targets saved."),
    )


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
