"""The enterprise contact's portal (``/my/``): their enterprise only, phone-first. Every view
needs ``Perm.ENTERPRISE`` (only contacts hold it: others get 403) and reads through
``contacts.selectors``; writes go through the services of the apps below."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalogue.selectors import checklist_current
from enterprises.forms.assessments import AssessmentForm
from enterprises.models import Assessment, Enterprise
from enterprises.services.assessments import assessment_record as assessment_record_service
from enterprises.services.review import kpi_reading_answer
from enterprises.services.submissions import (
    enterprise_kpi_reading_submit,
    enterprise_project_submit,
    enterprise_suggestions_submit,
)
from reports.models import ReportRun
from reports.services import report_request
from score_portal.access import Perm, get_for_user, require_perm
from score_portal.web import add_service_error, form_page
from trainers.services.visits import action_progress_report

from . import selectors
from .forms import (
    ActionProgressForm,
    AnswerForm,
    ProjectForm,
    ReadingForm,
    ReportForm,
    SuggestionsForm,
)


def _page(request, template, **context):
    enterprise = selectors.contact_enterprise(request)
    return render(request, f"contacts/{template}", {"enterprise": enterprise, **context})


@require_perm(Perm.ENTERPRISE)
def home(request):
    groups = list(selectors.contact_groups(request.user))
    enterprises = selectors.contact_enterprises(request.user)
    if not enterprises:
        if not groups:
            raise Http404
        # a group contact invited before the group's enterprises were added to it
        return render(request, "contacts/home_group_empty.html", {"groups": groups})
    enterprise = selectors.contact_enterprise(request)
    context = {
        "enterprise": enterprise,
        **selectors.schedule(request.user, enterprise),
        "open_actions": selectors.actions(request.user, enterprise).filter(status="open")[:5],
    }
    if groups:  # the group's secretary: every enterprise of the group first
        context["groups"] = groups
        context["group_overview"] = selectors.group_overview(request.user, enterprises)
    return render(request, "contacts/home.html", context)


@require_perm(Perm.ENTERPRISE)
@require_POST
def switch(request):
    """A group contact chooses the enterprise their pages are about (kept in the session)."""
    try:
        pk = int(request.POST.get("enterprise", ""))
    except ValueError:
        raise Http404 from None
    enterprise = get_for_user(request.user, Enterprise.objects.all(), Perm.ENTERPRISE, pk=pk)
    request.session[selectors.CHOSEN] = enterprise.pk
    target = request.POST.get("next", "")
    if not (
        target.startswith(reverse("contacts:home"))
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        target = reverse("contacts:home")
    return redirect(target)


@require_perm(Perm.ENTERPRISE)
def action_list(request):
    enterprise = selectors.contact_enterprise(request)
    return render(
        request,
        "contacts/action_list.html",
        {
            "enterprise": enterprise,
            "actions": selectors.actions(request.user, enterprise),
            "form": ActionProgressForm(),
        },
    )


@require_perm(Perm.ENTERPRISE)
@require_POST
def action_progress(request, pk):
    action = selectors.action_get(request.user, pk)
    form = ActionProgressForm(request.POST)
    if form.is_valid():
        try:
            action_progress_report(acting_user=request.user, action=action, **form.cleaned_data)
        except Exception as exc:  # a ValidationError from the service
            from django.core.exceptions import ValidationError

            if not isinstance(exc, ValidationError):
                raise
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your progress report was sent to the programme."))
    else:
        messages.error(request, _("Write what was done and choose a status."))
    return redirect(f"{reverse('contacts:actions')}#action-{action.pk}")


@require_perm(Perm.ENTERPRISE)
def kpi_trends(request):
    enterprise = selectors.contact_enterprise(request)
    return render(
        request,
        "contacts/kpi_trends.html",
        {
            "enterprise": enterprise,
            "trends": selectors.kpi_trends(request.user, enterprise),
            "returned": selectors.returned_readings(request.user, enterprise),
        },
    )


@require_perm(Perm.SUBMIT)
def reading_answer(request, pk):
    """A reading the programme returned for revision: the reviewer's comment, and the
    corrected value with an answer (it then waits for review again)."""
    enterprise = selectors.contact_enterprise(request)
    reading = selectors.returned_reading_get(request.user, enterprise, pk)
    form = AnswerForm(request.POST or None, initial={"value": reading.value})
    return form_page(
        request,
        form,
        save=lambda data: kpi_reading_answer(acting_user=request.user, reading=reading, **data),
        success_url=reverse("contacts:kpis"),
        template="contacts/answer.html",
        success_message=_("Thank you: the corrected reading waits for the programme again."),
        context={
            "title": _("Correct a returned reading"),
            "reading": reading,
            "back_url": reverse("contacts:kpis"),
        },
    )


@require_perm(Perm.ENTERPRISE)
def assessment_list(request):
    enterprise = selectors.contact_enterprise(request)
    return _page(
        request,
        "assessments.html",
        modules=selectors.assessment_overview(request.user, enterprise),
    )


@require_perm(Perm.SUBMIT)
def assessment_record(request, module_pk):
    """The enterprise's own assessment of a module's good practices: the baseline while
    there is none, then progress assessments (marked as submitted by the enterprise)."""
    enterprise = selectors.contact_enterprise(request)
    row = next(
        (
            r
            for r in selectors.assessment_overview(request.user, enterprise)
            if r["module"].pk == module_pk
        ),
        None,
    )
    version = checklist_current(row["module"]) if row else None
    if version is None:
        raise Http404
    Kind = Assessment.Kind
    kinds = [Kind.PROGRESS] if row["has_baseline"] else [Kind.BASELINE]
    form = AssessmentForm(request.POST or None, version=version, kinds=kinds)

    def save(data):
        return assessment_record_service(
            acting_user=request.user,
            enterprise=enterprise,
            module=row["module"],
            version=version,
            kind=data["kind"],
            assessed_on=data["assessed_on"],
            note=data["note"],
            answers=form.answers(),
        )

    return form_page(
        request,
        form,
        save=save,
        success_url=reverse("contacts:assessments"),
        template="contacts/form.html",
        success_message=_("Thank you: your assessment is saved."),
        context={
            "title": _("Assessment of %(module)s")
            % {"module": f"{row['module'].code} {row['module'].name}"},
            "back_url": reverse("contacts:assessments"),
        },
        once=True,
    )


@require_perm(Perm.SUBMIT)
def reading_submit(request):
    enterprise = selectors.contact_enterprise(request)
    form = ReadingForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda data: enterprise_kpi_reading_submit(
            acting_user=request.user, enterprise=enterprise, kind="follow_up", **data
        ),
        success_url=reverse("contacts:kpis"),
        template="contacts/form.html",
        success_message=_("Thank you: the reading waits for the programme to verify it."),
        context={"title": _("Submit a KPI reading"), "back_url": reverse("contacts:kpis")},
        once=True,
    )


@require_perm(Perm.ENTERPRISE)
def project_list(request):
    enterprise = selectors.contact_enterprise(request)
    return render(
        request,
        "contacts/project_list.html",
        {
            "enterprise": enterprise,
            "projects": selectors.projects(request.user, enterprise),
            "suggestions": selectors.suggestions(request.user, enterprise),
        },
    )


@require_perm(Perm.SUBMIT)
def project_submit(request):
    enterprise = selectors.contact_enterprise(request)
    form = ProjectForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda data: enterprise_project_submit(
            acting_user=request.user, enterprise=enterprise, **data
        ),
        success_url=reverse("contacts:projects"),
        template="contacts/form.html",
        success_message=_("Thank you: the project waits for the programme to verify it."),
        context={
            "title": _("Submit an improvement project"),
            "back_url": reverse("contacts:projects"),
        },
        once=True,
    )


@require_perm(Perm.SUBMIT)
def suggestions_submit(request):
    enterprise = selectors.contact_enterprise(request)
    form = SuggestionsForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda data: enterprise_suggestions_submit(
            acting_user=request.user, enterprise=enterprise, **data
        ),
        success_url=reverse("contacts:projects"),
        template="contacts/form.html",
        success_message=_("Thank you: the month waits for the programme to verify it."),
        context={
            "title": _("Submit a month of suggestions"),
            "back_url": reverse("contacts:projects"),
        },
    )


@require_perm(Perm.ENTERPRISE)
def certificate_list(request):
    enterprise = selectors.contact_enterprise(request)
    return render(
        request,
        "contacts/certificate_list.html",
        {
            "enterprise": enterprise,
            "certificates": selectors.certificates(request.user, enterprise),
        },
    )


def _report_page(request, template, target: dict, runs, redirect_to: str, **context):
    """A contact's report page: request one (``target``: the enterprise's, or a group's) in
    a language, and the list of those requested so far."""
    from django.core.exceptions import ValidationError

    form = ReportForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            report_request(
                acting_user=request.user, language=form.cleaned_data["language"], **target
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, _("Your report is being prepared; this page shows when it is ready.")
            )
            return redirect(redirect_to)
    return render(
        request,
        template,
        {"form": form, "runs": runs, **context},
        status=400 if request.method == "POST" else 200,
    )


@require_perm(Perm.ENTERPRISE)
def report_list(request):
    """The enterprise's progress report; a group contact also finds their groups' here."""
    enterprise = selectors.contact_enterprise(request)
    return _report_page(
        request,
        "contacts/report_list.html",
        {"kind": ReportRun.Kind.ENTERPRISE, "enterprise": enterprise},
        selectors.report_runs(request.user, enterprise),
        reverse("contacts:reports"),
        enterprise=enterprise,
        groups=selectors.contact_groups(request.user),
    )


@require_perm(Perm.ENTERPRISE)
def group_reports(request, group_pk):
    """A group contact's report of their group (any other group: 404)."""
    group = selectors.contact_group_get(request.user, group_pk)
    return _report_page(
        request,
        "contacts/group_reports.html",
        {"kind": ReportRun.Kind.GROUP, "group": group},
        selectors.group_report_runs(request.user, group),
        reverse("contacts:group-reports", args=[group.pk]),
        group=group,
    )


@require_perm(Perm.ENTERPRISE)
def report_download(request, pk):
    run = selectors.report_run_get(request.user, pk)
    if run.status != ReportRun.Status.DONE or not run.file:
        raise Http404
    try:
        handle = run.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle, as_attachment=True, filename=run.file_name("pdf"), content_type="application/pdf"
    )
