"""Demo SCORE assessments: a baseline for most enrolled enterprises (some missing, so the
workshop warning shows) and a progress assessment after the module for most trained ones,
with practices adopted in between (the adoption indicator has something to count)."""

import datetime

from django.utils import timezone

from catalogue.models import ChecklistVersion
from demo.context import SeedContext
from enterprises.models import Assessment, AssessmentAnswer, Enrolment


def seed_assessments(ctx: SeedContext) -> None:
    rng = ctx.rng
    today = timezone.localdate()
    enterprises = ctx.shared.get("new_enterprises", [])
    versions = {}
    for version in ChecklistVersion.objects.prefetch_related("items").order_by("number"):
        versions[version.module_id] = version  # the latest number wins
    enrolments = (
        Enrolment.objects.filter(enterprise__in=enterprises, module_id__in=versions)
        .exclude(status__in=[Enrolment.Status.APPLIED, Enrolment.Status.WITHDRAWN])
        .order_by("pk")
    )
    assessments, answers = [], []
    for enrolment in enrolments:
        if rng.random() > 0.8:
            continue  # no baseline yet: the data gap the warning is for
        version = versions[enrolment.module_id]
        items = list(version.items.all())
        start = enrolment.enrolled_on or enrolment.applied_on
        baseline_day = min(start + datetime.timedelta(days=rng.randint(3, 14)), today)
        before = {item.pk: rng.random() < 0.3 for item in items}
        assessments.append(
            (
                Assessment(
                    enterprise_id=enrolment.enterprise_id,
                    module_id=enrolment.module_id,
                    version=version,
                    kind=Assessment.Kind.BASELINE,
                    assessed_on=baseline_day,
                    source=Assessment.Source.STAFF,
                ),
                before,
            )
        )
        progress_day = baseline_day + datetime.timedelta(days=rng.randint(100, 160))
        trained = enrolment.status in Enrolment.TRAINED_STATUSES
        if trained and progress_day <= today and rng.random() < 0.85:
            after = {
                pk: (rng.random() < 0.95) if yes else (rng.random() < 0.15)
                for pk, yes in before.items()
            }
            assessments.append(
                (
                    Assessment(
                        enterprise_id=enrolment.enterprise_id,
                        module_id=enrolment.module_id,
                        version=version,
                        kind=Assessment.Kind.PROGRESS,
                        assessed_on=progress_day,
                        source=Assessment.Source.TRAINER,
                    ),
                    after,
                )
            )
    created = Assessment.objects.bulk_create([a for a, _ in assessments], batch_size=2000)
    for assessment, (_, given) in zip(created, assessments, strict=True):
        answers.extend(
            AssessmentAnswer(assessment=assessment, item_id=pk, answer=value)
            for pk, value in given.items()
        )
    AssessmentAnswer.objects.bulk_create(answers, batch_size=5000)
    ctx.log(f"Assessments: {len(created)} new, {len(answers)} answers.")
