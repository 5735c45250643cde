"""Workshop evaluation results across workshops: per module and per trainer, for the
results page. Scoped by the access module (trainers: the workshops they teach), anonymous
(only counts and comments, never a person), and read through the same selectors and the
same "satisfied" rule as the workshop page and the indicator register."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, QuerySet

from score_portal.access import scope
from workshops.models import EvaluationResponse, Workshop
from workshops.selectors import evaluation_summary, overall_answers, satisfied_q


def evaluation_responses(
    user,
    *,
    partner_id: int | None = None,
    module_id: int | None = None,
    trainer_id: int | None = None,
    period_from: dt.date | None = None,
    period_to: dt.date | None = None,
) -> QuerySet[EvaluationResponse]:
    """The responses the user may see, to workshops (not cancelled) matching the filters;
    the period applies to the workshop's first day."""
    responses = scope(user, EvaluationResponse.objects.all()).exclude(
        workshop__status=Workshop.Status.CANCELLED
    )
    if partner_id:
        responses = responses.filter(workshop__partner_id=partner_id)
    if module_id:
        responses = responses.filter(workshop__module_id=module_id)
    if trainer_id:
        responses = responses.filter(
            workshop__in=Workshop.objects.filter(trainer_links__trainer_id=trainer_id)
        )
    if period_from:
        responses = responses.filter(workshop__start_date__gte=period_from)
    if period_to:
        responses = responses.filter(workshop__start_date__lte=period_to)
    return responses


def _rows(responses, group: str, labels: dict) -> list[dict]:
    """Respondents and satisfied per value of ``group`` (a path from an overall answer),
    one grouped query; groups below the anonymity threshold show no share."""
    rows = []
    for row in (
        overall_answers(responses)
        .order_by()
        .values(group)
        .annotate(
            rated=Count("response", distinct=True), satisfied=Count("id", filter=satisfied_q())
        )
    ):
        key = row[group]
        if key not in labels:
            continue
        shown = row["rated"] >= settings.EVALUATION_MIN_RESPONDENTS
        rows.append(
            {
                "label": labels[key],
                "key": key,
                "rated": row["rated"],
                "satisfied": row["satisfied"] if shown else None,
                "share": row["satisfied"] / row["rated"] if shown and row["rated"] else None,
            }
        )
    return sorted(rows, key=lambda r: str(r["label"]))


def evaluation_results(user, *, modules, trainers, **filters) -> dict:
    """The summary of the filtered responses, and the overall satisfaction per module and
    per trainer (``modules`` and ``trainers``: the objects the user may filter by)."""
    responses = evaluation_responses(user, **filters)
    return {
        "summary": evaluation_summary(responses),
        "by_module": _rows(
            responses,
            "response__workshop__module_id",
            {m.pk: f"{m.code} {m.name}" for m in modules},
        ),
        "by_trainer": _rows(
            responses,
            "response__workshop__trainer_links__trainer_id",
            {t.pk: t.display_name for t in trainers},
        ),
    }


__all__ = ["evaluation_responses", "evaluation_results"]
