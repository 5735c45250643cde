"""Catalogue pages: the module list and the KPI catalogue, read by every role and edited by
programme managers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from score_portal.access import Perm, access_for, require_perm
from score_portal.web import bad_value_message, form_page

from . import selectors, services
from .forms import ChecklistItemForm, EvaluationQuestionForm, KPIDefinitionForm, ModuleForm
from .models import ChecklistItem, EvaluationQuestion, KPIDefinition, Module


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


@require_perm(Perm.VIEW)
def checklist_list(request):
    return render(
        request,
        "catalogue/checklist_list.html",
        {
            "modules": selectors.checklist_overview(request.user),
            "can_manage": access_for(request.user).has_perm(Perm.MANAGE_CATALOGUE),
        },
    )


@require_perm(Perm.VIEW)
def checklist_detail(request, module_pk):
    """A module's checklist: the current version (or ``?version=N``), its practices by theme
    and every version with what changed."""
    module = get_object_or_404(Module, pk=module_pk)
    versions = list(selectors.checklist_versions(module))
    current = versions[0] if versions else None
    shown = current
    raw = request.GET.get("version", "")
    if raw:
        shown = next((v for v in versions if str(v.number) == raw), None)
        if shown is None:
            bad_value_message(request, label=_("Version"), value=raw)
            shown = current
    items = list(shown.items.all()) if shown else []
    names = {
        item.key: item
        for item in ChecklistItem.objects.filter(
            version__module=module, key__in={v.changed_key for v in versions}
        ).order_by("version__number")
    }
    return render(
        request,
        "catalogue/checklist_detail.html",
        {
            "module": module,
            "versions": [(v, names.get(v.changed_key)) for v in versions],
            "current": current,
            "shown": shown,
            "themes": selectors.themes(items),
            "can_manage": access_for(request.user).has_perm(Perm.MANAGE_CATALOGUE)
            and shown is not None
            and shown == current,
            # a module without a checklist: its first practice makes version 1
            "can_add": access_for(request.user).has_perm(Perm.MANAGE_CATALOGUE),
        },
    )


def _current_item(module, item_pk):
    current = selectors.checklist_current(module)
    if current is None:
        raise Http404
    return get_object_or_404(current.items, pk=item_pk)


@require_perm(Perm.MANAGE_CATALOGUE)
def checklist_item_edit(request, module_pk, item_pk=None):
    module = get_object_or_404(Module, pk=module_pk)
    item = _current_item(module, item_pk) if item_pk else None
    form = ChecklistItemForm(request.POST or None, instance=item)
    back = reverse("catalogue:checklist-detail", args=[module.pk])
    return form_page(
        request,
        form,
        template="score_portal/form_page.html",
        save=lambda data: services.checklist_item_save(
            acting_user=request.user, module=module, item=item, **data
        ),
        context={
            "title": _("Reword a practice") if item else _("Add a practice"),
            "intro": _(
                "Saving makes a new version of the checklist. Assessments already answered "
                "keep the version they answered."
            ),
            "back_url": back,
        },
        success_url=back,
        success_message=_("Checklist saved as a new version."),
        once=item is None,
    )


@require_perm(Perm.MANAGE_CATALOGUE)  # others: 403 before any lookup; then POST only
def checklist_item_remove(request, module_pk, item_pk):
    module = get_object_or_404(Module, pk=module_pk)
    item = _current_item(module, item_pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.checklist_item_remove(acting_user=request.user, module=module, item=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Practice removed: the checklist has a new version."))
    return redirect("catalogue:checklist-detail", module_pk=module.pk)
