"""Writes for the catalogue: modules, KPI definitions, evaluation questions and assessment
checklists. Only programme managers (the
"manage catalogue" permission) write here; each write runs in one transaction and keeps its
author in the history."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from score_portal.access import Perm
from score_portal.services import assign, bulk_create_as, delete_as, require, save_as

from .models import ChecklistItem, ChecklistVersion, EvaluationQuestion, KPIDefinition, Module

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


CHECKLIST_ITEM_FIELDS = ("theme_en", "theme_zh", "name_en", "name_zh", "order")


def _next_version(acting_user, module: Module, change: str, key: str) -> ChecklistVersion:
    """Copy the module's current checklist into a new version (the next number); the current
    one stays as it is, with the answers given on it. Locks the module row so two editors
    cannot both make version n+1."""
    Module.objects.select_for_update().get(pk=module.pk)
    current = ChecklistVersion.objects.filter(module=module).order_by("-number").first()
    version = ChecklistVersion(
        module=module,
        number=(current.number + 1) if current else 1,
        change=change,
        changed_key=key,
        created_by=acting_user,
    )
    save_as(version, acting_user)
    if current is not None:
        bulk_create_as(
            ChecklistItem,
            [
                ChecklistItem(
                    version=version,
                    key=item.key,
                    **{name: getattr(item, name) for name in CHECKLIST_ITEM_FIELDS},
                )
                for item in current.items.all()
            ],
            acting_user,
        )
    return version


def _check_current(module: Module, item: ChecklistItem) -> None:
    current = ChecklistVersion.objects.filter(module=module).order_by("-number").first()
    if current is None or item.version_id != current.pk:
        raise ValidationError(
            _("Only practices of the current version of this module's checklist can change.")
        )


def _new_key(module: Module) -> str:
    used = set(ChecklistItem.objects.filter(version__module=module).values_list("key", flat=True))
    prefix = slugify(module.code)[:20] or "item"
    number = len(used) + 1
    while f"{prefix}-{number}" in used:
        number += 1
    return f"{prefix}-{number}"


@transaction.atomic
def checklist_item_save(
    *, acting_user, module: Module, item: ChecklistItem | None = None, **data
) -> ChecklistItem:
    """Add a practice to the module's checklist (no ``item``) or reword one. Either way the
    change goes into a new version: answers given on the current version keep the wording
    they answered. A reworded practice keeps its ``key`` (it is the same practice)."""
    require(acting_user, Perm.MANAGE_CATALOGUE)
    if item is not None:
        # as saved (a bound ModelForm has already written the new words onto the instance)
        item = ChecklistItem.objects.select_related("version").get(pk=item.pk)
        _check_current(module, item)
    candidate = ChecklistItem(key=item.key if item else "x")
    assign(candidate, data, CHECKLIST_ITEM_FIELDS)
    candidate.full_clean(exclude=["version", "key"])
    if item is not None:
        unchanged = all(getattr(item, n) == getattr(candidate, n) for n in CHECKLIST_ITEM_FIELDS)
        if unchanged:
            return item
    Change = ChecklistVersion.Change
    key = item.key if item is not None else _new_key(module)
    version = _next_version(acting_user, module, Change.CHANGED if item else Change.ADDED, key)
    if item is not None:
        saved = version.items.get(key=item.key)
        assign(saved, data, CHECKLIST_ITEM_FIELDS)
    else:
        saved = ChecklistItem(version=version, key=key)
        assign(saved, data, CHECKLIST_ITEM_FIELDS)
    saved.full_clean()
    return save_as(saved, acting_user)


@transaction.atomic
def checklist_item_remove(*, acting_user, module: Module, item: ChecklistItem) -> ChecklistVersion:
    """Take a practice out of the module's checklist: a new version without it (answers
    given on earlier versions keep it)."""
    require(acting_user, Perm.MANAGE_CATALOGUE)
    _check_current(module, item)
    if item.version.items.count() <= 1:
        raise ValidationError(_("A checklist keeps at least one practice."))
    version = _next_version(acting_user, module, ChecklistVersion.Change.REMOVED, item.key)
    removed = version.items.get(key=item.key)
    delete_as(removed, acting_user)
    return version


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
    following = EvaluationQuestion(code=question.code, version=latest.version + 1)  # type: ignore[union-attr]
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
