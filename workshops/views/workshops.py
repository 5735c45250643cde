"""Workshop pages: list, calendar, detail, schedule, invite, cancel."""

import calendar
import datetime

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.selectors import module_list
from score_portal.access import Perm, access_for, partners_for, require_perm
from score_portal.home import sections_for
from score_portal.query import query_id, query_month
from score_portal.web import bad_value_message, form_page

from .. import selectors, services
from ..forms import (
    CancelForm,
    InviteForm,
    WorkshopForm,
)
from ..models import Workshop


@require_perm(Perm.VIEW)
def workshop_list(request):
    today = timezone.localdate()
    when = request.GET.get("when", "upcoming")
    workshops = selectors.workshop_list(request.user)
    if when == "upcoming":
        workshops = (
            workshops.filter(end_date__gte=today)
            .exclude(status=Workshop.Status.CANCELLED)
            .order_by("start_date", "pk")
        )
    elif when == "past":
        workshops = workshops.filter(end_date__lt=today).order_by("-start_date", "pk")
    else:
        if when != "all":
            bad_value_message(request, label=_("When"), value=when)
        when = "all"
        workshops = workshops.order_by("-start_date", "pk")
    modules = module_list(request.user, active_only=True)
    module = query_id(request.GET, "module")
    raw_module = request.GET.get("module", "")
    if raw_module and (module is None or module not in {m.pk for m in modules}):
        bad_value_message(request, label=_("Module"), value=raw_module)
        module = None
    if module is not None:
        workshops = workshops.filter(module_id=module)
    page = Paginator(workshops, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workshops/workshop_list.html",
        {
            "page": page,
            "when": when,
            "query": query.urlencode(),
            "module": module,
            "modules": modules,
            "can_change": access_for(request.user).has_perm(Perm.CHANGE),
        },
    )


@require_perm(Perm.VIEW)
def workshop_calendar(request):
    """A month of workshops; ?month=YYYY-MM, default this month."""
    today = timezone.localdate()
    first = query_month(request.GET, "month", default=today.replace(day=1))
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    workshops = list(
        selectors.workshop_list(request.user)
        .filter(start_date__lte=last, end_date__gte=first)
        .exclude(status=Workshop.Status.CANCELLED)
        .order_by("start_date")
    )
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        weeks.append(
            [
                {
                    "date": day,
                    "in_month": day.month == first.month,
                    "is_today": day == today,
                    "workshops": [w for w in workshops if w.start_date <= day <= w.end_date],
                }
                for day in week
            ]
        )
    previous_month = (first - datetime.timedelta(days=1)).replace(day=1)
    next_month = last + datetime.timedelta(days=1)
    return render(
        request,
        "workshops/workshop_calendar.html",
        {
            "weeks": weeks,
            "month": first,
            "previous_month": previous_month,
            "next_month": next_month,
            "workshops": workshops,
        },
    )


@require_perm(Perm.CHANGE)
def workshop_create(request):
    form = WorkshopForm(
        request.POST or None, partner_choices=partners_for(request.user, Perm.CHANGE)
    )

    def save(data):
        return services.workshop_save(acting_user=request.user, partner=data.pop("partner"), **data)

    return form_page(
        request,
        form,
        save=save,
        template="score_portal/form_page.html",
        context={"title": _("Schedule a workshop")},
        success_url=lambda w: reverse("workshops:detail", args=[w.pk]),
        success_message=_("Workshop saved."),
        once=True,
    )


@require_perm(Perm.VIEW)
def workshop_detail(request, pk):
    workshop = selectors.workshop_get(request.user, pk)
    access = access_for(request.user)
    no_baseline = (
        selectors.enterprises_without_baseline(workshop)
        if workshop.status != Workshop.Status.CANCELLED
        else []
    )
    return render(
        request,
        "workshops/workshop_detail.html",
        {
            "workshop": workshop,
            "delegations": selectors.delegations(workshop),
            "counts": selectors.participant_counts(workshop.participants.all()),
            "can_change": access.has_perm(Perm.CHANGE, workshop.partner_id),
            "can_record": access.has_perm(Perm.RECORD, workshop.partner_id),
            "is_open": workshop.status in {Workshop.Status.PLANNED, Workshop.Status.OPEN},
            "sections": sections_for("workshop", request, workshop),
            "evaluation": selectors.workshop_evaluation(workshop),
            "baseline_warning": (
                selectors.baseline_warning(workshop, no_baseline) if no_baseline else ""
            ),
        },
    )


def _workshop_page(workshop) -> str:
    return reverse("workshops:detail", args=[workshop.pk])


def _workshop_form_page(request, workshop, form, save, title, message=None, once=False):
    return form_page(
        request,
        form,
        save=save,
        template="score_portal/form_page.html",
        once=once,
        context={"title": title, "workshop": workshop, "back_url": _workshop_page(workshop)},
        success_url=_workshop_page(workshop),
        success_message=message or _("Saved."),
    )


@require_perm(Perm.VIEW)
def workshop_edit(request, pk):
    workshop = selectors.workshop_get(request.user, pk, Perm.CHANGE)
    form = WorkshopForm(request.POST or None, instance=workshop)
    return _workshop_form_page(
        request,
        workshop,
        form,
        lambda data: services.workshop_save(acting_user=request.user, workshop=workshop, **data),
        _("Edit workshop"),
        _("Workshop saved."),
    )


@require_perm(Perm.VIEW)
def workshop_invite(request, pk):
    workshop = selectors.workshop_get(request.user, pk, Perm.CHANGE)
    form = InviteForm(request.POST or None, queryset=selectors.invitable_enrolments(workshop))
    return _workshop_form_page(
        request,
        workshop,
        form,
        lambda data: services.workshop_invite(
            acting_user=request.user, workshop=workshop, enrolments=data["enrolments"]
        ),
        _("Invite enterprises"),
        _("Enterprises invited."),
    )


@require_perm(Perm.VIEW)
def workshop_cancel(request, pk):
    workshop = selectors.workshop_get(request.user, pk, Perm.CHANGE)
    form = CancelForm(request.POST or None)
    return _workshop_form_page(
        request,
        workshop,
        form,
        lambda data: services.workshop_cancel(acting_user=request.user, workshop=workshop, **data),
        _("Cancel the workshop"),
        _("Workshop cancelled."),
    )
