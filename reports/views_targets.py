"""The targets pages: every partner's targets of a year, a partner's target grid, copying
last year's targets, targets against actuals (indicators × partners, indicators × periods)
and the logframe spreadsheet. Programme managers set targets (MANAGE_TARGETS); everyone
else with a role reads those of their partners."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Module
from score_portal import spreadsheets
from score_portal.access import Perm, access_for, get_for_user, require_perm
from score_portal.models import Partner

from . import dashboards, targets
from .forms import TargetCopyForm, TargetGridForm, TargetPeriodForm, TargetSpanForm, field_name
from .models import Target
from .targets.actuals import grid_by_partner, grid_by_period, period_label
from .targets.logframe import logframe_xlsx
from .targets.selectors import as_entered

FIRST_YEAR = 2020


def _years() -> list[int]:
    return list(range(timezone.localdate().year + 1, FIRST_YEAR - 1, -1))


def _year(value: str, default: int) -> int:
    return int(value) if value.isdigit() and FIRST_YEAR <= int(value) <= 2100 else default


def _partner(request, partner_pk: int, perm: str = Perm.VIEW) -> Partner:
    return get_for_user(request.user, Partner.objects.all(), perm, pk=partner_pk)


@require_perm(Perm.VIEW)
def target_list(request):
    """Every partner's targets for a year: programme managers set them, others read them."""
    access = access_for(request.user)
    year = _year(request.GET.get("year", ""), timezone.localdate().year)
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
    """A partner's targets for one year as one grid: indicators (by sex where they have it)
    down, the whole year and its quarters across. ``?module=`` shows the indicators that
    have a figure per module, for that module."""
    partner = _partner(request, partner_pk, Perm.MANAGE_TARGETS)
    if not FIRST_YEAR <= year <= 2100:
        raise Http404
    modules = list(Module.objects.filter(is_active=True).order_by("order", "code"))
    module_pk = request.GET.get("module", "")
    module = None
    if module_pk:
        module = next((m for m in modules if str(m.pk) == module_pk), None)
        if module is None:
            raise Http404
    rows = targets.target_grid_rows(module)
    existing = targets.target_values(request.user, partner=partner, year=year)
    initial = {}
    for (code, module_id, sex, quarter), target in existing.items():
        initial[field_name(code, module_id, sex, quarter)] = as_entered(target)
        initial[field_name(code, module_id, sex)] = target.kind
    form = TargetGridForm(request.POST or None, rows=rows, initial=initial)
    url = reverse("reports:target-edit", args=[partner.pk, year])
    if request.method == "POST" and form.is_valid():
        try:
            targets.targets_set(
                acting_user=request.user,
                partner=partner,
                year=year,
                values=form.values(),
                kinds=form.kinds(),
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Targets saved."))
            return redirect(f"{url}?module={module.pk}" if module else url)
    return render(
        request,
        "reports/target_form.html",
        {
            "form": form,
            "grid": form.grid(),
            "partner": partner,
            "year": year,
            "modules": modules,
            "module": module,
            "quarters": [label for _q, label in Target.Quarter.choices],
        },
        status=400 if request.method == "POST" else 200,
    )


@require_perm(Perm.MANAGE_TARGETS)
def target_copy(request, partner_pk: int, year: int):
    """Copy a partner's targets of last year (or another year) into ``year``: the page says
    what will be created and which targets already hold another value (kept unless the
    person ticks "replace"); nothing is written before the person confirms."""
    partner = _partner(request, partner_pk, Perm.MANAGE_TARGETS)
    if not FIRST_YEAR <= year <= 2100:
        raise Http404
    years = [y for y in _years() if y != year] or [year - 1]
    data = request.POST if request.method == "POST" else None
    form = TargetCopyForm(
        data, years=years, initial={"from_year": year - 1 if year - 1 in years else years[0]}
    )
    source_year = year - 1
    if request.method == "GET" and request.GET.get("from_year"):
        source_year = _year(request.GET["from_year"], year - 1)
        form = TargetCopyForm(None, years=years, initial={"from_year": source_year})
    if request.method == "POST" and form.is_valid():
        source_year = form.cleaned_data["from_year"]
        try:
            plan = targets.targets_copy_year(
                acting_user=request.user,
                partner=partner,
                from_year=source_year,
                to_year=year,
                replace=form.cleaned_data["replace"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            replaced = len(plan.conflicts) if form.cleaned_data["replace"] else 0
            messages.success(
                request,
                _("%(created)s targets copied from %(year)s, %(replaced)s replaced, %(kept)s kept.")
                % {
                    "created": len(plan.create),
                    "year": source_year,
                    "replaced": replaced,
                    "kept": len(plan.conflicts) - replaced,
                },
            )
            return redirect("reports:target-edit", partner.pk, year)
    plan = targets.targets_copy_plan(
        acting_user=request.user, partner=partner, from_year=source_year, to_year=year
    )
    return render(
        request,
        "reports/target_copy.html",
        {"form": form, "partner": partner, "year": year, "plan": plan},
        status=400 if request.method == "POST" else 200,
    )


@require_perm(Perm.VIEW)
def target_actuals(request):
    """Targets against actuals, indicators × partners, for a year or one of its quarters."""
    partners = dashboards.dashboard_partners(request.user)
    today = timezone.localdate()
    data = {"year": str(today.year), "quarter": "0", **request.GET.dict()}
    form = TargetPeriodForm(data, years=_years())
    period = (today.year, 0)
    if form.is_valid():
        period = (form.cleaned_data["year"], form.cleaned_data["quarter"] or 0)
    lines = grid_by_partner(request.user, partners, period) if partners else []
    return render(
        request,
        "reports/target_actuals.html",
        {
            "form": form,
            "partners": partners,
            "lines": lines,
            "period": period,
            "period_label": period_label(period),
        },
    )


def _span(request):
    today = timezone.localdate()
    data = {
        "year_from": str(today.year - 2),
        "year_to": str(today.year),
        "step": "year",
        **request.GET.dict(),
    }
    form = TargetSpanForm(data, years=sorted(_years()))
    if form.is_valid():
        return form, form.periods()
    return form, [(year, 0) for year in range(today.year - 2, today.year + 1)]


@require_perm(Perm.VIEW)
def target_partner(request, partner_pk: int):
    """One partner's indicators over time: baseline, then target and actual per period."""
    partner = _partner(request, partner_pk)
    form, periods = _span(request)
    lines = grid_by_period(request.user, partner, periods)
    query = request.GET.urlencode()
    return render(
        request,
        "reports/target_partner.html",
        {
            "form": form,
            "partner": partner,
            "periods": [period_label(period) for period in periods],
            "lines": lines,
            "xlsx_url": reverse("reports:target-partner-xlsx", args=[partner.pk])
            + (f"?{query}" if query else ""),
        },
    )


@require_perm(Perm.VIEW)
def target_partner_xlsx(request, partner_pk: int):
    """The same table as a logframe spreadsheet, in the person's language."""
    partner = _partner(request, partner_pk)
    _form, periods = _span(request)
    lines = grid_by_period(request.user, partner, periods)
    response = HttpResponse(
        logframe_xlsx(partner, periods, lines), content_type=spreadsheets.CONTENT_TYPE
    )
    response["Content-Disposition"] = (
        f'attachment; filename="logframe-{partner.code}-{periods[0][0]}-{periods[-1][0]}.xlsx"'
    )
    return response
