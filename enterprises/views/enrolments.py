"""Pages that enrol an enterprise in a module and move its enrolments along."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _

from score_portal.access import Perm, access_for, get_for_user, require_perm
from score_portal.web import form_page

from ..forms.enrolments import EnrolmentForm, EnrolmentTransitionForm
from ..models import Enrolment
from ..selectors.enterprises import enterprise_get
from ..services import enrolments as services


def _enterprise_page(enterprise) -> str:
    return reverse("enterprises:detail", args=[enterprise.pk])


@require_perm(Perm.VIEW)
def enrolment_create(request, enterprise_pk):
    """Staff enrol an enterprise; a programme manager may only override the entry rule."""
    access = access_for(request.user)
    enterprise = enterprise_get(request.user, enterprise_pk)
    can_override = access.has_perm(Perm.OVERRIDE)
    if not (access.has_perm(Perm.CHANGE, enterprise.partner_id) or can_override):
        raise PermissionDenied
    form = EnrolmentForm(request.POST or None, can_override=can_override)
    return form_page(
        request,
        form,
        template="score_portal/form_page.html",
        context={
            "title": _("Enrol in a module"),
            "enterprise": enterprise,
            "back_url": _enterprise_page(enterprise),
        },
        save=lambda data: services.enrolment_create(
            acting_user=request.user,
            enterprise=enterprise,
            override_reason=data.pop("override_reason", ""),
            **data,
        ),
        success_url=_enterprise_page(enterprise),
        success_message=_("Enrolment saved."),
        once=True,
    )


@require_perm(Perm.VIEW)
def enrolment_edit(request, pk):
    enrolment = get_for_user(
        request.user, Enrolment.objects.select_related("enterprise", "module"), Perm.CHANGE, pk=pk
    )
    form = EnrolmentForm(request.POST or None, instance=enrolment, editing=True)
    return form_page(
        request,
        form,
        template="score_portal/form_page.html",
        context={
            "title": _("Enrolment in %(module)s") % {"module": enrolment.module.code},
            "enterprise": enrolment.enterprise,
            "back_url": _enterprise_page(enrolment.enterprise),
        },
        save=lambda data: services.enrolment_update(
            acting_user=request.user, enrolment=enrolment, **data
        ),
        success_url=_enterprise_page(enrolment.enterprise),
        success_message=_("Saved."),
    )


@require_perm(Perm.VIEW)
def enrolment_transition(request, pk):
    enrolment = get_for_user(
        request.user, Enrolment.objects.select_related("enterprise", "module"), Perm.CHANGE, pk=pk
    )
    form = EnrolmentTransitionForm(request.POST or None, enrolment=enrolment)
    return form_page(
        request,
        form,
        template="score_portal/form_page.html",
        context={
            "title": _("Change the status of %(module)s (now: %(status)s)")
            % {"module": enrolment.module.code, "status": enrolment.get_status_display()},
            "enterprise": enrolment.enterprise,
            "back_url": _enterprise_page(enrolment.enterprise),
        },
        save=lambda data: services.enrolment_transition(
            acting_user=request.user, enrolment=enrolment, **data
        ),
        success_url=_enterprise_page(enrolment.enterprise),
        success_message=_("Status changed."),
    )
