"""Attendance-sheet imports of a workshop: upload, preview (with progress), confirm."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render

from score_portal.access import Perm, access_for, get_for_user, require_perm

from .. import selectors
from ..forms import SheetUploadForm
from ..models import Attendance, Participant, ParticipantImport
from ..services import imports


@require_perm(Perm.VIEW)
def sheet_upload(request, pk):
    workshop = selectors.workshop_get(request.user, pk, Perm.CHANGE)
    form = SheetUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.participant_import_create(
                acting_user=request.user,
                workshop=workshop,
                name=form.cleaned_data["file"].name,
                data=form.data_bytes,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("workshops:sheet-job", pk=workshop.pk, job_pk=job.pk)
    jobs = workshop.participant_imports.select_related("requested_by")[:10]
    return render(
        request,
        "workshops/sheet_upload.html",
        {"workshop": workshop, "form": form, "jobs": jobs},
    )


def _job_for(request, pk, job_pk) -> ParticipantImport:
    """Out of scope → 404; a trainer or manager of the partner → 403."""
    if not access_for(request.user).has_perm(Perm.VIEW):
        raise PermissionDenied
    workshop = selectors.workshop_get(request.user, pk, Perm.CHANGE)
    return get_for_user(
        request.user,
        ParticipantImport.objects.select_related("workshop", "workshop__partner"),
        Perm.CHANGE,
        pk=job_pk,
        workshop=workshop,
    )


@require_perm(Perm.VIEW)
def sheet_job(request, pk, job_pk):
    job = _job_for(request, pk, job_pk)
    days = job.result.get("days", [])
    sexes, levels = dict(Participant.Sex.choices), dict(Participant.Level.choices)
    statuses = dict(Attendance.Status.choices)
    # The enterprise as the reader calls it (the job may have run in another language).
    names = {
        e.pk: e.enterprise.display_name
        for e in job.workshop.invitations.select_related("enterprise")
    }
    rows = [
        {
            **row,
            "enterprise": names.get(row.get("enrolment_id"), row.get("enterprise", "")),
            "sex_label": sexes.get(row.get("sex"), ""),
            "level_label": levels.get(row.get("level"), ""),
            "marks": [statuses.get(row.get("days", {}).get(day), "") for day in days],
        }
        for row in job.result.get("rows", [])
    ]
    return render(
        request,
        "workshops/sheet_job.html",
        {"job": job, "workshop": job.workshop, "rows": rows, "days": days},
    )


@require_perm(Perm.VIEW)
def sheet_job_progress(request, pk, job_pk):
    """The progress bar alone, polled by htmx; a finished job reloads the whole page."""
    job = _job_for(request, pk, job_pk)
    response = render(request, "workshops/_sheet_progress.html", {"job": job})
    if job.is_finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@require_perm(Perm.VIEW)
def sheet_job_confirm(request, pk, job_pk):
    job = _job_for(request, pk, job_pk)  # before the method check: strangers get 404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        imports.participant_import_confirm(acting_user=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("workshops:sheet-job", pk=job.workshop_id, job_pk=job.pk)
