"""Writes for the catalogue: modules and KPI definitions. Only programme managers (the
"manage catalogue" permission) write here; each write runs in one transaction and keeps its
author in the history."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from score_portal.access import Perm
from score_portal.services import assign, require, save_as

from .models import EvaluationQuestion, KPIDefinition, Module

MODULE_FIELDS = (
    "code",
    "name_en",
    "name_zh",
    "description",
    "classroom_days",
    "planned_visits",
    "is_entry",
    "is_active",
    "order",
)


@transaction.atomic
def module_save(*, acting_user, module: Module | None = None, **data) -> Module:
    """Create (no ``module``) or update a module. Making it the entry module takes that flag
    from the previous entry module in the same transaction."""
    require(acting_user, Perm.MANAGE_CATALOGUE)
    module = module or Module()
    assign(module, data, MODULE_FIELDS)
    if module.is_entry:
        for previous in Module.objects.filter(is_entry=True).exclude(pk=module.pk):
            previous.is_entry = False
            save_as(previous, acting_user, update_fields=["is_entry"])
    module.full_clean()
    return save_as(module, acting_user)


KPI_FIELDS = (
    "code",
    "name_en",
    "name_zh",
    "unit",
    "unit_zh",
    "direction",
    "normalisation",
    "module",
    "plausible_min",
    "plausible_max",
    "headline",
    "is_active",
    "order",
)


@transaction.atomic
def kpi_definition_save(*, acting_user, kpi: KPIDefinition | None = None, **data) -> KPIDefinition:
    require(acting_user, Perm.MANAGE_CATALOGUE)
    kpi = kpi or KPIDefinition()
    assign(kpi, data, KPI_FIELDS)
    kpi.full_clean()
    return save_as(kpi, acting_user)


QUESTION_FIELDS = ("code", "kind", "text_en", "text_zh", "required", "is_active", "order")
# What an answer means: changing one of these makes a new version of the question.
QUESTION_MEANING = ("kind", "text_en", "text_zh")


@transaction.atomic
def evaluation_question_save(
    *, acting_user, question: EvaluationQuestion | None = None, **data
) -> EvaluationQuestion:
    """Create a question (version 1) or change one. Changing its wording or its kind
    retires the current version (off the form, kept for the answers given to it) and adds
    the next version under the same code; changing only the order, "required" or "on the
    form" updates the current version in place. The code of an existing question is kept."""
    require(acting_user, Perm.MANAGE_CATALOGUE)
    data.pop("version", None)
    if question is None:
        code = data.get("code", "")
        if EvaluationQuestion.objects.filter(code=code).exists():
            raise ValidationError({"code": _("A question with this code already exists.")})
        question = EvaluationQuestion()
        assign(question, data, QUESTION_FIELDS)
        question.full_clean()
        return save_as(question, acting_user)
    question = EvaluationQuestion.objects.select_for_update().get(pk=question.pk)
    data.pop("code", None)
    changes_meaning = any(
        name in data and data[name] != getattr(question, name) for name in QUESTION_MEANING
    )
    if not changes_meaning:
        assign(question, data, QUESTION_FIELDS)
        question.full_clean()
        return save_as(question, acting_user)
    latest = EvaluationQuestion.objects.filter(code=question.code).order_by("-version").first()
    following = EvaluationQuestion(code=question.code, version=latest.version + 1)
    for name in QUESTION_FIELDS:
        setattr(following, name, getattr(question, name))
    assign(following, data, QUESTION_FIELDS)
    following.code = question.code
    if following.is_active:
        for current in EvaluationQuestion.objects.filter(code=question.code, is_active=True):
            current.is_active = False
            save_as(current, acting_user, update_fields=["is_active"])
    following.full_clean()
    return save_as(following, acting_user)
