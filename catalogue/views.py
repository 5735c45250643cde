"""Catalogue pages: the module list and the KPI catalogue, read by every role and edited by
programme managers."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from score_portal.access import Perm, access_for, require_perm
from score_portal.web import form_page

from . import selectors, services
from .forms import EvaluationQuestionForm, KPIDefinitionForm, ModuleForm
from .models import EvaluationQuestion, KPIDefinition, Module


@require_perm(Perm.VIEW)
def module_list(request):
    return render(
        request,
        "catalogue/module_list.html",
        {
            "modules": selectors.module_list(request.user),
            "can_manage": access_for(request.user).has_perm(Perm.MANAGE_CATALOGUE),
        },
    )


@require_perm(Perm.MANAGE_CATALOGUE)
def module_edit(request, pk=None):
    module = get_object_or_404(Module, pk=pk) if pk else None
    form = ModuleForm(request.POST or None, instance=module)
    return form_page(
        request,
        form,
        template="catalogue/module_form.html",
        context={"module": module},
        save=lambda data: services.module_save(acting_user=request.user, module=module, **data),
        success_url=reverse("catalogue:module-list"),
        success_message=lambda m: _("Module %(code)s saved.") % {"code": m.code},
    )


@require_perm(Perm.VIEW)
def kpi_list(request):
    return render(
        request,
        "catalogue/kpi_list.html",
        {
            "kpis": selectors.kpi_definition_list(request.user),
            "can_manage": access_for(request.user).has_perm(Perm.MANAGE_CATALOGUE),
        },
    )


@require_perm(Perm.MANAGE_CATALOGUE)
def kpi_edit(request, kpi_pk=None):
    kpi = get_object_or_404(KPIDefinition, pk=kpi_pk) if kpi_pk else None
    form = KPIDefinitionForm(request.POST or None, instance=kpi)
    return form_page(
        request,
        form,
        template="score_portal/form_page.html",
        save=lambda data: services.kpi_definition_save(acting_user=request.user, kpi=kpi, **data),
        context={
            "title": _("Edit KPI") if kpi else _("Add a KPI"),
            "back_url": reverse("catalogue:kpi-list"),
        },
        success_url=reverse("catalogue:kpi-list"),
        success_message=_("KPI saved."),
    )


@require_perm(Perm.VIEW)
def evaluation_question_list(request):
    """Every version of every question: retired versions stay listed, greyed, because
    earlier answers point at them."""
    return render(
        request,
        "catalogue/evaluation_question_list.html",
        {
            "questions": selectors.evaluation_question_list(request.user),
            "can_manage": access_for(request.user).has_perm(Perm.MANAGE_CATALOGUE),
        },
    )


@require_perm(Perm.MANAGE_CATALOGUE)
def evaluation_question_edit(request, question_pk=None):
    question = get_object_or_404(EvaluationQuestion, pk=question_pk) if question_pk else None
    form = EvaluationQuestionForm(request.POST or None, instance=question)
    return form_page(
        request,
        form,
        template="score_portal/form_page.html",
        save=lambda data: services.evaluation_question_save(
            acting_user=request.user, question=question, **data
        ),
        context={
            "title": _("Edit an evaluation question")
            if question
            else _("Add an evaluation question"),
            "back_url": reverse("catalogue:evaluation-question-list"),
            "intro": _(
                "Changing the wording or the kind of answer adds a new version of the "
                "question; answers already given keep the version participants read."
            ),
        },
        success_url=reverse("catalogue:evaluation-question-list"),
        success_message=_("Evaluation question saved."),
    )
