from django.db.models import QuerySet

from .models import EvaluationQuestion, KPIDefinition, Module


def module_list(user, *, active_only: bool = False) -> QuerySet[Module]:
    """The module catalogue is reference data every role may read."""
    modules = Module.objects.all()
    return modules.filter(is_active=True) if active_only else modules


def entry_module() -> Module | None:
    return Module.objects.filter(is_entry=True, is_active=True).first()


def kpi_definition_list(user) -> QuerySet[KPIDefinition]:
    """The KPI catalogue is reference data every role may read."""
    return KPIDefinition.objects.select_related("module")


def evaluation_question_list(user, *, active_only: bool = False) -> QuerySet[EvaluationQuestion]:
    """The evaluation questions (every version) are reference data every role may read."""
    questions = EvaluationQuestion.objects.all()
    return questions.filter(is_active=True) if active_only else questions


def evaluation_form_questions() -> list[EvaluationQuestion]:
    """The questions on the public evaluation form today, in their order."""
    return list(EvaluationQuestion.objects.filter(is_active=True).order_by("order", "code"))
