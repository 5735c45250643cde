from django.db.models import Count, OuterRef, QuerySet, Subquery

from .models import ChecklistItem, ChecklistVersion, EvaluationQuestion, KPIDefinition, Module


def module_list(user, *, active_only: bool = False) -> QuerySet[Module]:
    """The module catalogue is reference data every role may read."""
    modules = Module.objects.all()
    return modules.filter(is_active=True) if active_only else modules


def entry_module() -> Module | None:
    return Module.objects.filter(is_entry=True, is_active=True).first()


def kpi_definition_list(user) -> QuerySet[KPIDefinition]:
    """The KPI catalogue is reference data every role may read."""
    return KPIDefinition.objects.select_related("module")


def checklist_current(module: Module) -> ChecklistVersion | None:
    """The module's current checklist (its latest version), with its items, or ``None``."""
    return (
        ChecklistVersion.objects.filter(module=module)
        .select_related("module", "created_by")
        .prefetch_related("items")
        .order_by("-number")
        .first()
    )


def checklist_versions(module: Module) -> QuerySet[ChecklistVersion]:
    return (
        ChecklistVersion.objects.filter(module=module)
        .select_related("created_by")
        .annotate(item_count=Count("items"))
        .order_by("-number")
    )


def checklist_overview(user) -> list[tuple[Module, int, int]]:
    """Every module with its current version number and item count (0, 0 without one)."""
    latest = ChecklistVersion.objects.filter(module=OuterRef("pk")).order_by("-number")
    modules = Module.objects.annotate(
        version_number=Subquery(latest.values("number")[:1]),
        item_count=Subquery(
            ChecklistItem.objects.filter(version=Subquery(latest.values("pk")[:1]))
            .order_by()
            .values("version")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
    )
    return list(modules)  # type: ignore[arg-type]


def themes(items) -> list[tuple[str, list[ChecklistItem]]]:
    """Items grouped by theme in their order (a theme appears where its first item is)."""
    grouped: dict[str, list[ChecklistItem]] = {}
    for item in sorted(items, key=lambda i: (i.order, i.pk)):
        grouped.setdefault(item.theme, []).append(item)
    return list(grouped.items())


def evaluation_question_list(user, *, active_only: bool = False) -> QuerySet[EvaluationQuestion]:
    """The evaluation questions (every version) are reference data every role may read."""
    questions = EvaluationQuestion.objects.all()
    return questions.filter(is_active=True) if active_only else questions


def evaluation_form_questions() -> list[EvaluationQuestion]:
    """The questions on the public evaluation form today, in their order."""
    return list(EvaluationQuestion.objects.filter(is_active=True).order_by("order", "code"))
