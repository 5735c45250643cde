"""Consulting visits: record (from a planned visit or a new one), see, cancel."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enrolment
from score_portal.access import Perm, can, get_for_user, require_perm
from score_portal.web import form_page

from .. import selectors
from ..forms.visit_readings import add_row_error, visit_readings
from ..forms.visits import VisitCancelForm, VisitForm, VisitPlanFilterForm
from ..models import ConsultingVisit, Trainer
from ..services import visits as services


def _visit_for(user, pk, perm=Perm.VIEW) -> ConsultingVisit:
    return get_for_user(
        user,
        ConsultingVisit.objects.select_related(
            "enrolment__enterprise__partner", "enrolment__module", "trainer"
        ),
        perm,
        pk=pk,
    )


def _record_page(request, visit: ConsultingVisit):
    enterprise = visit.enrolment.enterprise
    open_actions = services.open_actions_before(visit)
    form = VisitForm(
        request.POST or None,
        request.FILES or None,
        instance=visit if visit.pk else None,
        enterprise=enterprise,
        open_actions=open_actions,
        # Today, never the planned date: a planned date in the future would be refused on
        # saving ("cannot be recorded in the future"); the planned date is shown beside it.
        initial={"visit_date": visit.visit_date or timezone.localdate()},
    )

    visit_date = visit.visit_date or timezone.localdate()
    readings = visit_readings(
        request.POST or None, request.FILES or None, enterprise=enterprise, visit_date=visit_date
    )

    def save(_data):
        if not readings.is_valid():
            raise ValidationError(_("Some KPI readings need attention: see below."))
        try:
            saved, _readings = services.visit_record_with_readings(
                acting_user=request.user,
                visit=visit,
                readings=readings.readings(),
                **form.service_data(),
            )
        except services.ReadingErrors as exc:
            for prefix, error in exc.rows.items():
                add_row_error(readings, prefix, error)
            raise
        return saved

    title = _("Visit %(number)d to %(enterprise)s (%(module)s)") % {
        "number": visit.number,
        "enterprise": enterprise.display_name,
        "module": visit.enrolment.module.code,
    }
    return form_page(
        request,
        form,
        save=save,
        template="trainers/visit_form.html",
        context={
            "title": title,
            "visit": visit,
            "enterprise": enterprise,
            "open_actions": open_actions,
            "readings": readings,
        },
        success_url=lambda v: reverse("trainers:visits:detail", args=[v.pk]),
        success_message=_("Visit saved. Its KPI readings and photos too, if any."),
        once=True,
    )


@require_perm(Perm.VIEW)
def visit_record(request, pk):
    """Record a planned visit, or correct a recorded one (partner staff)."""
    return _record_page(request, _visit_for(request.user, pk, Perm.RECORD))


@require_perm(Perm.VIEW)
def visit_new(request, enrolment_pk):
    """Record the next visit of an enrolment: its earliest planned visit, else a new one."""
    enrolment = get_for_user(
        request.user,
        Enrolment.objects.select_related("enterprise", "module"),
        Perm.RECORD,
        pk=enrolment_pk,
    )
    trainer = (
        Trainer.objects.filter(user=request.user).first()
        or Trainer.objects.filter(assignments__enrolment=enrolment).first()
    )
    if trainer is None:
        messages.error(request, _("Assign a consultant to this enrolment first."))
        return redirect("enterprises:detail", pk=enrolment.enterprise_id)
    if not services.enrolment_takes_visits(enrolment):
        messages.error(
            request,
            _("This enrolment is %(status)s: it takes no more visits.")
            % {"status": enrolment.get_status_display()},
        )
        return redirect("enterprises:detail", pk=enrolment.enterprise_id)
    visit = services.next_visit(enrolment, trainer)
    return _record_page(request, visit)


@require_perm(Perm.VIEW)
def visit_detail(request, pk):
    visit = _visit_for(request.user, pk)
    return render(
        request,
        "trainers/visit_detail.html",
        {
            "visit": visit,
            "enterprise": visit.enrolment.enterprise,
            "actions": visit.actions.prefetch_related("progress_reports__submitted_by"),
            "reviewed": visit.reviewed_actions.select_related("visit"),
            "present": visit.eit_present.all(),
            "files": visit.files.all(),
            "can_record": can(request.user, Perm.RECORD, visit),
            "history": visit.history.select_related("history_user")[:20],
        },
    )


@require_perm(Perm.VIEW)
def visit_cancel(request, pk):
    visit = _visit_for(request.user, pk, Perm.RECORD)
    form = VisitCancelForm(request.POST or None)
    return form_page(
        request,
        form,
        template="score_portal/form_page.html",
        save=lambda data: services.visit_cancel(acting_user=request.user, visit=visit, **data),
        context={
            "title": _("Cancel visit %(number)d") % {"number": visit.number},
            "enterprise": visit.enrolment.enterprise,
            "back_url": reverse("trainers:visits:detail", args=[visit.pk]),
        },
        success_url=reverse("trainers:visits:detail", args=[visit.pk]),
        success_message=_("Visit cancelled."),
    )


@require_perm(Perm.VIEW)
def visit_plan(request):
    """The planned consulting visits per week, for staff and managers (scoped to their
    partner), with the consultant's name; a trainer sees their own."""
    form = VisitPlanFilterForm(request.GET or None, trainers=selectors.plan_trainers(request.user))
    trainer = form.cleaned_data["trainer"] if form.is_valid() else None
    if form.is_bound and not form.is_valid():
        messages.error(
            request,
            _("The consultant %(value)s is not one you can see: showing every consultant.")
            % {"value": request.GET.get("trainer", "")},
        )
    plan = selectors.visit_plan(request.user, trainer=trainer)
    return render(
        request, "trainers/visit_plan.html", {"form": form, "plan": plan, "trainer": trainer}
    )


@require_perm(Perm.VIEW)
def visit_file(request, pk, file_pk):
    """A visit's photo or file, only through the visit's access check."""
    visit = _visit_for(request.user, pk)
    item = get_object_or_404(visit.files.all(), pk=file_pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=item.name)
