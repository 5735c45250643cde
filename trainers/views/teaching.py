"""Workshop pages that need the trainer layer: who teaches, and completing the workshop
(which plans the consulting visits)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from score_portal.access import Perm, require_perm
from score_portal.web import form_page
from workshops.selectors import (
    attending_enterprise_count,
    baseline_warning,
    enterprises_without_baseline,
    workshop_get,
)

from ..forms.teaching import WorkshopTrainersForm
from ..services import teaching as services


@require_perm(Perm.VIEW)
def workshop_trainers(request, pk):
    workshop = workshop_get(request.user, pk, Perm.CHANGE)
    current = [link.trainer for link in workshop.trainer_links.select_related("trainer")]
    lead = next((link.trainer for link in workshop.trainer_links.all() if link.is_lead), None)
    form = WorkshopTrainersForm(
        request.POST or None, workshop=workshop, initial={"trainers": current, "lead": lead}
    )

    def save(data):
        warnings = services.workshop_set_trainers(
            acting_user=request.user,
            workshop=workshop,
            trainers=list(data["trainers"]),
            lead=data.get("lead"),
            reason=data.get("reason", ""),
        )
        for warning in warnings:
            messages.warning(request, warning)
        return workshop

    return form_page(
        request,
        form,
        save=save,
        template="score_portal/form_page.html",
        context={
            "title": _("Trainers of %(title)s") % {"title": workshop.title},
            "intro": _(
                "A trainer should be certified for %(module)s, or a "
                "candidate working with a certified co-trainer."
            )
            % {"module": workshop.module.code},
            "back_url": reverse("workshops:detail", args=[pk]),
        },
        success_url=reverse("workshops:detail", args=[pk]),
        success_message=_("Trainers saved."),
    )


@require_perm(Perm.VIEW)
def workshop_complete(request, pk):
    """GET shows what completing will do; POST does it."""
    workshop = workshop_get(request.user, pk, Perm.CHANGE)
    error = None
    if request.method == "POST":
        try:
            result = services.workshop_complete(acting_user=request.user, workshop=workshop)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _(
                    "Workshop completed. Enterprises moving to consulting: %(enterprises)d. "
                    "Visits planned: %(visits)d."
                )
                % result,
            )
            if missing := enterprises_without_baseline(workshop):
                messages.warning(request, baseline_warning(workshop, missing))
            return redirect("workshops:detail", pk=pk)
    return render(
        request,
        "trainers/workshop_complete.html",
        {
            "workshop": workshop,
            "error": error,
            "attending": attending_enterprise_count(workshop),
            "visits_each": workshop.module.planned_visits,
            "offsets": workshop.module.visit_plan(),
            "baseline_warning": (
                baseline_warning(workshop, missing)
                if (missing := enterprises_without_baseline(workshop))
                else ""
            ),
        },
        status=400 if error else 200,
    )
