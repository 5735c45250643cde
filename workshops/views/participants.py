"""Pages for delegations, participants and the attendance grid of a workshop."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from score_portal.access import Perm, require_perm

from .. import selectors, services
from ..forms import (
    DelegationForm,
    ParticipantForm,
)
from ..models import Attendance
from .workshops import _workshop_form_page, _workshop_page


@require_perm(Perm.VIEW)
def delegation_add(request, pk, enrolment_pk):
    workshop = selectors.workshop_get(request.user, pk, Perm.CHANGE)
    enrolment = get_object_or_404(
        workshop.invitations.select_related("enterprise"), pk=enrolment_pk
    )
    form = DelegationForm(request.POST or None)
    return _workshop_form_page(
        request,
        workshop,
        form,
        lambda data: services.delegation_add(
            acting_user=request.user, workshop=workshop, enrolment=enrolment, people=data["people"]
        ),
        _("Participants from %(enterprise)s") % {"enterprise": enrolment.enterprise.display_name},
        _("Participants added."),
        once=True,
    )


@require_perm(Perm.VIEW)
def participant_edit(request, pk, participant_pk):
    workshop = selectors.workshop_get(request.user, pk, Perm.CHANGE)
    participant = get_object_or_404(workshop.participants, pk=participant_pk)
    form = ParticipantForm(request.POST or None, instance=participant)
    return _workshop_form_page(
        request,
        workshop,
        form,
        lambda data: services.participant_save(
            acting_user=request.user, workshop=workshop, participant=participant, **data
        ),
        _("Edit participant"),
    )


@require_POST
@require_perm(Perm.VIEW)
def participant_delete(request, pk, participant_pk):
    workshop = selectors.workshop_get(request.user, pk, Perm.CHANGE)
    participant = get_object_or_404(workshop.participants, pk=participant_pk)
    try:
        services.participant_delete(acting_user=request.user, participant=participant)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Participant removed."))
    return redirect(_workshop_page(workshop))


def _everyone_present_day(value: str, days):
    by_code = {f"{day:%Y%m%d}": day for day in days}
    return by_code.get(value, value) if value else None


def _baseline_warning(workshop) -> str:
    missing = selectors.enterprises_without_baseline(workshop)
    return selectors.baseline_warning(workshop, missing) if missing else ""


def _warn_without_baseline(request, workshop) -> None:
    """Recording attendance starts the classroom workshop: say so when an enterprise of it
    has no baseline assessment yet (recording goes ahead; the baseline is still due)."""
    warning = _baseline_warning(workshop)
    if warning:
        messages.warning(request, warning)


@require_perm(Perm.VIEW)
def attendance(request, pk):
    """The whole grid on one page: present, late, excused or absent per participant and day,
    with a button per day that marks everyone present (saving the grid as it stands)."""
    workshop = selectors.workshop_get(request.user, pk, Perm.RECORD)
    days = workshop.days
    participants = list(
        workshop.participants.select_related("enrolment__enterprise")
        .prefetch_related("attendance")
        .order_by("enrolment__enterprise__name", "name")
    )
    error = None
    posted: dict[str, str] = {}
    if request.method == "POST":
        by_key = {f"p{p.pk}_{day:%Y%m%d}": (p.pk, day) for p in participants for day in days}
        statuses = {}
        for key, cell in by_key.items():
            value = request.POST.get(key, "")
            if value:
                posted[key] = value
                # "on": a ticked checkbox (the grid before statuses, scripts and imports)
                statuses[cell] = Attendance.Status.PRESENT if value == "on" else value
        everyone = _everyone_present_day(request.POST.get("everyone_present", ""), days)
        try:
            changed = services.attendance_record(
                acting_user=request.user,
                workshop=workshop,
                statuses=statuses,
                everyone_present_on=everyone,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                ngettext(
                    "Attendance saved (%(count)d change).",
                    "Attendance saved (%(count)d changes).",
                    changed,
                )
                % {"count": changed},
            )
            _warn_without_baseline(request, workshop)
            if everyone is not None:
                return redirect("workshops:attendance", pk=workshop.pk)
            return redirect(_workshop_page(workshop))
    rows = []
    for participant in participants:
        marks = {a.day: a.mark for a in participant.attendance.all()}
        rows.append(
            {
                "participant": participant,
                "cells": [
                    {
                        "day": day,
                        "name": f"p{participant.pk}_{day:%Y%m%d}",
                        "status": posted.get(f"p{participant.pk}_{day:%Y%m%d}")
                        or marks.get(day, ""),
                    }
                    for day in days
                ],
            }
        )
    return render(
        request,
        "workshops/attendance.html",
        {
            "workshop": workshop,
            "days": [{"day": day, "code": f"{day:%Y%m%d}"} for day in days],
            "rows": rows,
            "statuses": Attendance.Status.choices,
            "error": error,
            "baseline_warning": _baseline_warning(workshop),
        },
        status=400 if error else 200,
    )
