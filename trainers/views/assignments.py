"""Consultant assignments: add and remove (posted from the enterprise page's section)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises.models import Enrolment
from score_portal.access import Perm, get_for_user, require_perm

from .. import selectors
from ..forms.assignments import AssignmentForm
from ..models import Assignment
from ..services import assignments as services


def _error_messages(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@require_POST
@require_perm(Perm.CHANGE)
def assignment_add(request, pk):
    enrolment = get_for_user(
        request.user, Enrolment.objects.select_related("enterprise"), Perm.CHANGE, pk=pk
    )
    form = AssignmentForm(
        request.POST,
        trainers=selectors.assignable_trainers(request.user, enrolment.enterprise.partner_id),
    )
    if not form.is_valid():
        messages.error(request, _("Choose an active trainer who serves this partner."))
    else:
        trainer = form.cleaned_data["trainer"]
        try:
            services.assignment_add(acting_user=request.user, enrolment=enrolment, trainer=trainer)
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            messages.success(
                request,
                _("%(name)s assigned to %(module)s.")
                % {"name": trainer, "module": enrolment.module.code},
            )
    return redirect("enterprises:detail", pk=enrolment.enterprise_id)


@require_POST
@require_perm(Perm.CHANGE)
def assignment_remove(request, pk):
    assignment = get_for_user(
        request.user,
        Assignment.objects.select_related("enrolment__enterprise", "trainer", "enrolment__module"),
        Perm.CHANGE,
        pk=pk,
    )
    enterprise_id = assignment.enrolment.enterprise_id
    try:
        services.assignment_remove(acting_user=request.user, assignment=assignment)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(
            request,
            _("%(name)s no longer consults on %(module)s.")
            % {"name": assignment.trainer, "module": assignment.enrolment.module.code},
        )
    return redirect("enterprises:detail", pk=enterprise_id)
