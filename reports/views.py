from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from score_portal.access import Perm, require_perm
from workshops.selectors import workshop_get

from . import selectors, services
from .forms import ReportRequestForm
from .models import ReportRun


def _runs_context(request) -> dict:
    runs = list(selectors.report_run_list(request.user))
    return {"runs": runs, "polling": any(run.is_active for run in runs)}


@never_cache
@require_perm(Perm.REPORTS)
def run_list(request):
    return render(request, "reports/run_list.html", _runs_context(request))


@never_cache
@require_perm(Perm.REPORTS)
def run_table(request):
    """The runs table alone, polled by htmx every 2 s while a run is queued or running."""
    return render(request, "reports/_run_table.html", _runs_context(request))


@require_perm(Perm.REPORTS)
def run_create(request):
    form = ReportRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = services.report_request(
                acting_user=request.user,
                kind=data["kind"],
                partner=data["partner"] if data["kind"] == ReportRun.Kind.PARTNER else None,
                enterprise=(
                    data["enterprise"] if data["kind"] == ReportRun.Kind.ENTERPRISE else None
                ),
                group=data["group"] if data["kind"] == ReportRun.Kind.GROUP else None,
                period_from=data["period_from"],
                period_to=data["period_to"],
                language=data["language"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            _tell(request, outcome)
            return redirect("reports:run-list")
    return render(request, "reports/run_form.html", {"form": form})


@require_POST
@require_perm(Perm.REPORTS)
def workshop_pack(request, workshop_pk):
    """The attendance sheet and certificates of one workshop, built like any report."""
    workshop = workshop_get(request.user, workshop_pk)
    language = request.POST.get("language")
    if language not in ReportRun.Language.values:
        language = ReportRun.Language.EN
    _tell(
        request,
        services.report_request(
            acting_user=request.user,
            kind=ReportRun.Kind.WORKSHOP,
            workshop=workshop,
            language=language,
        ),
    )
    return redirect("reports:run-list")


@require_POST
@require_perm(Perm.REPORTS)
def group_report(request, group_pk):
    """The group report (PDF and XLSX) of one enterprise group, from the group's page."""
    from enterprises.selectors.groups import enterprise_group_get

    group = enterprise_group_get(request.user, group_pk, Perm.REPORTS)
    language = request.POST.get("language")
    if language not in ReportRun.Language.values:
        language = ReportRun.Language.EN
    _tell(
        request,
        services.report_request(
            acting_user=request.user, kind=ReportRun.Kind.GROUP, group=group, language=language
        ),
    )
    return redirect("reports:run-list")


def _tell(request, outcome) -> None:
    if outcome.joined:
        messages.info(
            request,
            _("The same report is already being prepared; you will find it in the list below."),
        )
    elif outcome.queued is False:
        messages.warning(
            request,
            _(
                "Your report is queued. The report service is not "
                "answering right now; the report will start when it is "
                "back. You can also try again later."
            ),
        )
    else:
        messages.success(request, _("Your report is being prepared."))


@require_perm(Perm.VIEW)  # no role: 403 before any lookup; then 404 out of scope, 403 in it
def run_retry(request, pk):
    """ "Try again" for a failed or stuck run; "regenerate" for a done one (fresh data)."""
    run = selectors.report_run_get(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _tell(request, services.report_retry(acting_user=request.user, run=run))
    return redirect("reports:run-list")


@require_perm(Perm.VIEW)
def run_download(request, pk, fmt="pdf"):
    """The report's file, after checking scope again: 404 out of scope, 403 without the
    reports permission, 404 while it is not built."""
    run = selectors.report_run_get(request.user, pk)
    field = run.file if fmt == "pdf" else run.xlsx_file
    if run.status != ReportRun.Status.DONE or not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=run.file_name(fmt),
        content_type="application/pdf"
        if fmt == "pdf"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
