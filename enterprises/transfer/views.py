"""Import and export pages for enterprises: template, upload, preview, progress, export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from score_portal.access import Perm, access_for, get_for_user, require_perm, scope
from score_portal.spreadsheets import CONTENT_TYPE

from ..models import ExportJob, ImportJob
from . import jobs as import_jobs
from .exporting import (
    CONTENT_TYPES,
    FORMATS,
    XLSX,
    export_enterprises,
    export_job_create,
    filtered_enterprises,
    runs_inline,
)
from .forms import ImportUploadForm
from .template import template_workbook

ROWS_PER_PAGE = 200


@require_perm(Perm.CHANGE)
def import_template(request):
    response = HttpResponse(
        template_workbook(),
        content_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    )
    response["Content-Disposition"] = 'attachment; filename="enterprise-import-template.xlsx"'
    return response


@require_perm(Perm.CHANGE)
def import_upload(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        job = import_jobs.import_job_create(
            acting_user=request.user,
            partner=form.cleaned_data["partner"],
            name=form.cleaned_data["file"].name,
            data=form.data_bytes,
        )
        return redirect("enterprises:transfer:job", pk=job.pk)
    jobs = scope(request.user, ImportJob.objects.select_related("partner"), Perm.CHANGE).filter(
        requested_by=request.user
    )[:10]
    return render(request, "enterprises/transfer/import_upload.html", {"form": form, "jobs": jobs})


def _job_for(request, pk) -> ImportJob:
    """Out of scope → 404; a partner's manager or trainer → 403; a user without any role is
    refused before the lookup."""
    access = access_for(request.user)
    if not access.has_perm(Perm.VIEW):
        raise PermissionDenied
    # A programme manager sees imports to grant an override of wrong check characters.
    perm = Perm.OVERRIDE if access.sees_all(Perm.OVERRIDE) else Perm.CHANGE
    return get_for_user(request.user, ImportJob.objects.select_related("partner"), perm, pk=pk)


@login_required
def job_detail(request, pk):
    job = _job_for(request, pk)
    rows = job.result.get("rows", [])
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "enterprises/transfer/job_detail.html",
        {
            "job": job,
            "page": page,
            "background": import_jobs.runs_in_background(job),
            "can_change": access_for(request.user).has_perm(Perm.CHANGE, job.partner_id),
            "can_override": access_for(request.user).has_perm(Perm.OVERRIDE, job.partner_id),
        },
    )


@login_required
def job_progress(request, pk):
    """The progress bar alone, polled by htmx; a finished job reloads the whole page."""
    job = _job_for(request, pk)
    response = render(request, "enterprises/transfer/_job_progress.html", {"job": job})
    if job.is_finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@login_required
def job_confirm(request, pk):
    job = _job_for(request, pk)  # before the method check, so strangers get 404 whatever
    if not access_for(request.user).has_perm(Perm.CHANGE, job.partner_id):
        raise PermissionDenied  # a programme manager sees the job but does not import
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        job = import_jobs.import_job_confirm(
            acting_user=request.user, job=job, partial=request.POST.get("partial") == "1"
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        if job.status == ImportJob.Status.APPLIED:
            messages.success(
                request,
                _("Import finished: %(new)s new, %(update)s updated, %(unchanged)s unchanged.")
                % job.counts,
            )
        elif job.status == ImportJob.Status.FAILED:
            messages.error(request, job.error)
    return redirect("enterprises:transfer:job", pk=job.pk)


@login_required
def job_rejected_rows(request, pk):
    """The rows a partial import left out, with their errors, to correct and upload again."""
    job = _job_for(request, pk)
    if not job.errors_file:
        raise Http404
    with job.errors_file.open("rb") as handle:
        data = handle.read()
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="rejected-rows.xlsx"'
    return response


@login_required
def job_override(request, pk):
    """A programme manager accepts wrong check characters for this import, with a reason."""
    job = _job_for(request, pk)
    if not access_for(request.user).has_perm(Perm.OVERRIDE, job.partner_id):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        import_jobs.import_job_override(
            acting_user=request.user, job=job, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Override recorded: the preview runs again."))
    return redirect("enterprises:transfer:job", pk=job.pk)


def _filtered_enterprises(request):
    """Exactly the list page's search and filters; ``selected`` narrows to chosen rows.
    None when a filter value was not understood (the list page then names it)."""
    return filtered_enterprises(request.user, request.GET)


@require_perm(Perm.VIEW)
def export(request):
    fmt = request.GET.get("format", XLSX)
    if fmt not in FORMATS:
        fmt = XLSX
    enterprises = _filtered_enterprises(request)
    if enterprises is None:  # never a file of everything for a filter that was not applied
        messages.error(request, _("Nothing was exported: correct the filter first."))
        query = request.GET.copy()
        query.pop("format", None)
        return redirect(f"{reverse('enterprises:list')}?{query.urlencode()}")
    if not runs_inline(enterprises):
        job = export_job_create(acting_user=request.user, params=request.GET, fmt=fmt)
        return redirect("enterprises:transfer:export-job", pk=job.pk)
    data, content_type, filename = export_enterprises(enterprises, fmt)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _export_for(request, pk) -> ExportJob:
    """Only the person who asked for an export sees it (everyone else: 404)."""
    return get_object_or_404(ExportJob, pk=pk, requested_by=request.user)


@require_perm(Perm.VIEW)
def export_job(request, pk):
    job = _export_for(request, pk)
    recent = ExportJob.objects.filter(requested_by=request.user).exclude(pk=job.pk)[:5]
    return render(request, "enterprises/transfer/export_job.html", {"job": job, "recent": recent})


@require_perm(Perm.VIEW)
def export_job_progress(request, pk):
    """The progress bar alone, polled by htmx; a finished job reloads the whole page."""
    job = _export_for(request, pk)
    response = render(request, "enterprises/transfer/_export_progress.html", {"job": job})
    if job.is_finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@require_perm(Perm.VIEW)
def export_job_download(request, pk):
    job = _export_for(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except OSError:  # deleted after IMPORT_FILE_RETENTION_DAYS, or lost with its disk
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=job.file_name,
        content_type=CONTENT_TYPES[job.format],
    )
    return response
