"""Assessment pages: record a baseline or progress assessment of one module's checklist,
read one (answers by theme and who changed them), correct one."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from catalogue.models import Module
from catalogue.selectors import checklist_current
from score_portal.access import Perm, can, require_perm
from score_portal.web import form_page

from .. import selectors
from ..forms.assessments import AssessmentForm
from ..models import Assessment
from ..selectors import assessments as selectors_assessments
from ..services import assessments as services_assessments


def _enterprise_page(enterprise) -> str:
    return reverse("enterprises:detail", args=[enterprise.pk])


@require_perm(Perm.VIEW)
def assessment_record(request, pk, module_pk):
    """A new assessment of the module for the enterprise: the baseline while there is none
    (a progress assessment may still be chosen), else a progress assessment."""
    enterprise = selectors.enterprise_get(request.user, pk, Perm.RECORD)
    module = get_object_or_404(Module, pk=module_pk, is_active=True)
    version = checklist_current(module)
    if version is None:
        raise Http404(_("This module has no checklist yet."))
    has_baseline = enterprise.assessments.filter(
        module=module, kind=Assessment.Kind.BASELINE
    ).exists()
    Kind = Assessment.Kind
    kinds = [Kind.PROGRESS] if has_baseline else [Kind.BASELINE, Kind.PROGRESS]
    if request.method == "GET" and request.GET.get("kind") == Kind.PROGRESS:
        kinds = [Kind.PROGRESS] + [k for k in kinds if k != Kind.PROGRESS]
    form = AssessmentForm(request.POST or None, version=version, kinds=kinds)

    def save(data):
        return services_assessments.assessment_record(
            acting_user=request.user,
            enterprise=enterprise,
            module=module,
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
        template="score_portal/form_page.html",
        once=True,
        context={
            "enterprise": enterprise,
            "back_url": _enterprise_page(enterprise),
            "title": _("Assessment of %(module)s") % {"module": f"{module.code} {module.name}"},
            "intro": _(
                "Checklist version %(number)s. Answer yes when the practice is in place today."
            )
            % {"number": version.number},
        },
        success_url=lambda a: reverse("enterprises:assessment-detail", args=[pk, a.pk]),
        success_message=_("Assessment saved."),
    )


@require_perm(Perm.VIEW)
def assessment_detail(request, pk, assessment_pk):
    enterprise = selectors.enterprise_get(request.user, pk)
    assessment = selectors_assessments.assessment_get(request.user, enterprise, assessment_pk)
    history = selectors_assessments.answer_history(assessment)
    items = selectors_assessments.item_names({record.item_id for record in history})
    return render(
        request,
        "enterprises/assessment_detail.html",
        {
            "enterprise": enterprise,
            "assessment": assessment,
            "themes": selectors_assessments.answers_by_theme(assessment),
            "history": [(record, items.get(record.item_id)) for record in history],
            "can_record": can(request.user, Perm.RECORD, enterprise),
        },
    )


@require_perm(Perm.VIEW)
def assessment_edit(request, pk, assessment_pk):
    enterprise = selectors.enterprise_get(request.user, pk, Perm.RECORD)
    assessment = selectors_assessments.assessment_get(
        request.user, enterprise, assessment_pk, Perm.RECORD
    )
    form = AssessmentForm(
        request.POST or None,
        version=assessment.version,
        answers={a.item_id: a.answer for a in assessment.answers.all()},
        initial={"assessed_on": assessment.assessed_on, "note": assessment.note},
    )
    detail = reverse("enterprises:assessment-detail", args=[pk, assessment.pk])
    return form_page(
        request,
        form,
        save=lambda data: services_assessments.assessment_update(
            acting_user=request.user,
            assessment=assessment,
            assessed_on=data["assessed_on"],
            note=data["note"],
            answers=form.answers(),
        ),
        template="score_portal/form_page.html",
        context={
            "enterprise": enterprise,
            "back_url": _enterprise_page(enterprise),
            "title": _("Correct the assessment"),
        },
        success_url=detail,
        success_message=_("Assessment saved."),
    )
