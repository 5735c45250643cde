"""Writes for workshop evaluations: issuing each participant's token and recording an
anonymous response. The public form has no user: ``evaluation_submit`` is the one write
without an ``acting_user``, and what it writes carries no person (see the models)."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import EvaluationQuestion
from score_portal.services import bulk_create_as

from ..models import EvaluationAnswer, EvaluationResponse, EvaluationToken, Participant, Workshop
from ..selectors.evaluations import evaluation_window


class EvaluationRefused(ValidationError):
    """The form is refused for this token: ``code`` is "used", "not_yet" or "closed"."""


def _new_token() -> str:
    return secrets.token_urlsafe(12)  # 16 characters, 96 bits: unguessable, short in a QR


def evaluation_tokens_issue(
    *, acting_user, workshop: Workshop, participants: list[Participant]
) -> dict[int, EvaluationToken]:
    """The evaluation token of each of ``participants`` (``{participant_id: token}``),
    issued once: printing the slips again prints the same links. Called by the workshop
    pack's builder and the workshop page, which checked access."""
    existing = {
        t.participant_id: t for t in EvaluationToken.objects.filter(participant__in=participants)
    }
    missing = [
        EvaluationToken(workshop=workshop, participant=person, token=_new_token())
        for person in participants
        if person.pk not in existing
    ]
    if missing:
        bulk_create_as(EvaluationToken, missing, acting_user, ignore_conflicts=True)
        existing = {
            t.participant_id: t
            for t in EvaluationToken.objects.filter(participant__in=participants)
        }
    return existing


def _answer(question: EvaluationQuestion, value) -> EvaluationAnswer | None:
    if question.kind == EvaluationQuestion.Kind.RATING:
        return EvaluationAnswer(question=question, rating=int(value)) if value else None
    if question.kind == EvaluationQuestion.Kind.YES_NO:
        return EvaluationAnswer(question=question, yes=value == "yes") if value else None
    comment = (value or "").strip()
    return EvaluationAnswer(question=question, comment=comment) if comment else None


@transaction.atomic
def evaluation_submit(
    *, token: str, answers: dict[int, object], questions, language: str = ""
) -> EvaluationResponse:
    """Record one participant's answers (``{question_id: value}`` as the form cleaned them)
    and mark their token used, in one transaction. The token row is locked, so two
    submissions at once record one response. Raises ``EvaluationRefused`` when the token was
    used or the form is not open; an unknown token is ``EvaluationToken.DoesNotExist``."""
    key = EvaluationToken.objects.select_for_update().select_related("workshop").get(token=token)
    if key.used_on:
        raise EvaluationRefused(_("This evaluation has already been answered."), code="used")
    today = timezone.localdate()
    window = evaluation_window(key.workshop, today)
    if window != "open":
        raise EvaluationRefused(_("The evaluation is not open."), code=window)
    response = EvaluationResponse.objects.create(
        workshop=key.workshop, submitted_on=today, language=language[:10]
    )
    rows = [_answer(question, answers.get(question.pk)) for question in questions]
    rows = [row for row in rows if row is not None]
    for row in rows:
        row.response = response
        row.full_clean()
    EvaluationAnswer.objects.bulk_create(rows)
    key.used_on = today
    key.save(update_fields=["used_on"])
    return response
