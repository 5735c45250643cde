"""Reads for SCORE assessments: an enterprise's assessments, the practices adopted since its
baseline and which enterprises lack a baseline (the workshop warning).

"Adopted" has one definition here (``adopted_keys``): a practice answered "no" at the
baseline and "yes" at the latest progress assessment of the module, compared practice by
practice (``ChecklistItem.key``) whatever the versions answered. The indicator register
counts with the same function."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from catalogue.models import ChecklistItem
from score_portal.access import Perm, get_for_user, scope

from ..models import Assessment, AssessmentAnswer, Enterprise


def assessment_list(user) -> QuerySet[Assessment]:
    return scope(user, Assessment.objects.all())


def assessment_get(user, enterprise: Enterprise, pk: int, perm: str = Perm.VIEW) -> Assessment:
    return get_for_user(
        user,
        Assessment.objects.filter(enterprise=enterprise).select_related(
            "module", "version", "author", "enterprise__partner"
        ),
        perm,
        pk=pk,
    )


def latest_first(assessments):
    return sorted(assessments, key=lambda a: (a.assessed_on, a.pk), reverse=True)


def adopted_keys(baseline: dict[str, bool], latest: dict[str, bool]) -> set[str]:
    """Practices (keys) answered no at the baseline and yes at the latest assessment."""
    return {key for key, value in latest.items() if value and baseline.get(key) is False}


@dataclass
class ModuleAdoption:
    module: object
    baseline: Assessment | None = None
    latest: Assessment | None = None
    progress: list = field(default_factory=list)
    adopted: list = field(default_factory=list)  # ChecklistItem of the latest assessment
    in_place_baseline: int = 0
    baseline_practices: int = 0
    in_place_latest: int = 0
    latest_practices: int = 0


def adoption_by_module(enterprise: Enterprise) -> list[ModuleAdoption]:
    """Per module assessed: baseline, progress assessments (latest first) and the practices
    adopted since the baseline. Two queries whatever the number of assessments."""
    assessments = list(
        enterprise.assessments.select_related("module", "version", "author").prefetch_related(
            Prefetch("answers", queryset=AssessmentAnswer.objects.select_related("item"))
        )
    )
    rows: dict[int, ModuleAdoption] = {}
    for assessment in assessments:
        row = rows.setdefault(assessment.module_id, ModuleAdoption(module=assessment.module))
        if assessment.kind == Assessment.Kind.BASELINE:
            row.baseline = assessment
        else:
            row.progress.append(assessment)
    for row in rows.values():
        row.progress = latest_first(row.progress)
        row.latest = row.progress[0] if row.progress else None
        if row.baseline is not None:
            answers = list(row.baseline.answers.all())
            row.in_place_baseline = sum(a.answer for a in answers)
            row.baseline_practices = len(answers)
        if row.latest is not None:
            answers = list(row.latest.answers.all())
            row.in_place_latest = sum(a.answer for a in answers)
            row.latest_practices = len(answers)
        if row.baseline is not None and row.latest is not None:
            keys = adopted_keys(answer_map(row.baseline), answer_map(row.latest))
            row.adopted = sorted(
                (a.item for a in row.latest.answers.all() if a.item.key in keys),
                key=lambda item: (item.order, item.pk),
            )
    return sorted(rows.values(), key=lambda r: (r.module.order, r.module.code))  # type: ignore[attr-defined]


def answer_map(assessment: Assessment) -> dict[str, bool]:
    return {answer.item.key: answer.answer for answer in assessment.answers.all()}


def answers_by_theme(assessment: Assessment) -> list[tuple[str, list[AssessmentAnswer]]]:
    grouped: dict[str, list[AssessmentAnswer]] = {}
    answers = assessment.answers.select_related("item").order_by("item__order", "item_id")
    for answer in answers:
        grouped.setdefault(answer.item.theme, []).append(answer)
    return list(grouped.items())


def answer_history(assessment: Assessment) -> list:
    """Every saved state of the assessment's answers, newest first, with its author."""
    return list(
        AssessmentAnswer.history.filter(assessment_id=assessment.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def item_names(item_ids) -> dict[int, ChecklistItem]:
    return ChecklistItem.objects.in_bulk(list(item_ids))


def enterprise_ids_without_baseline(enterprise_ids, module_id: int) -> set[int]:
    """Of these enterprises, those with no baseline assessment of the module."""
    ids = set(enterprise_ids)
    with_baseline = set(
        Assessment.objects.filter(
            enterprise_id__in=ids, module_id=module_id, kind=Assessment.Kind.BASELINE
        ).values_list("enterprise_id", flat=True)
    )
    return ids - with_baseline
