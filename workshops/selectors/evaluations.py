"""Reads for workshop evaluations: when the form is open, the token behind a link, and the
anonymous summary of a set of responses (what the workshop page, the results page and the
"participant satisfaction" indicator all read)."""

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from catalogue.models import EvaluationQuestion

from ..models import EvaluationAnswer, EvaluationResponse, EvaluationToken, Workshop

# Satisfied: 4 or 5 on the overall question (the programme's "88–91 % satisfied").
SATISFIED_RATINGS = (4, 5)
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def evaluation_window(workshop: Workshop, today: dt.date) -> str:
    """ "open" from the workshop's last day until ``EVALUATION_OPEN_DAYS`` after it;
    "not_yet" before; "closed" after, or when the workshop was cancelled."""
    if workshop.status == Workshop.Status.CANCELLED:
        return "closed"
    if today < workshop.end_date:
        return "not_yet"
    if today > workshop.end_date + dt.timedelta(days=settings.EVALUATION_OPEN_DAYS):
        return "closed"
    return "open"


def evaluation_token_get(token: str) -> EvaluationToken:
    """The token behind a link; anything else (garbage, unknown) is 404."""
    if not TOKEN_SHAPE.match(token or ""):
        raise Http404
    try:
        return EvaluationToken.objects.select_related("workshop__module", "workshop__partner").get(
            token=token
        )
    except EvaluationToken.DoesNotExist:
        raise Http404 from None


def evaluation_url(token: EvaluationToken, language: str = "") -> str:
    """The absolute link printed on a participant's slip (this portal's host only), in the
    language of the pack it is printed in."""
    url = settings.PORTAL_URL.rstrip("/") + reverse("workshops:evaluate", args=[token.token])
    return f"{url}?lang={language}" if language else url


def overall_answers(responses) -> QuerySet:
    """The answers to the overall question (any version) of these responses."""
    return EvaluationAnswer.objects.filter(
        response__in=responses,
        question__code=EvaluationQuestion.OVERALL,
        rating__isnull=False,
    )


def satisfied_q(prefix: str = "") -> Q:
    """An answer (reached through ``prefix``) rates the overall question 4 or 5."""
    return Q(**{f"{prefix}rating__in": SATISFIED_RATINGS})


def evaluation_summary(responses: QuerySet[EvaluationResponse], *, participants: int | None = None):
    """The anonymous summary of ``responses``: respondents, satisfied share, and per
    question (each version apart) the distribution of ratings, the yes share and the
    comments in alphabetical order (never in the order they came, never with a name).
    Below ``EVALUATION_MIN_RESPONDENTS`` the answers are withheld (``shown`` is False): with
    one or two respondents anyone who knows who answered would know what they said.
    Four queries whatever the number of responses."""
    respondents = responses.count()
    summary: dict[str, Any] = {
        "respondents": respondents,
        "participants": participants,
        "shown": respondents >= settings.EVALUATION_MIN_RESPONDENTS,
        "min_respondents": settings.EVALUATION_MIN_RESPONDENTS,
        "questions": [],
        "satisfied": 0,
        "rated": 0,
        "satisfied_share": None,
    }
    if not summary["shown"]:
        return summary
    counts = (
        EvaluationAnswer.objects.filter(response__in=responses)
        .exclude(question__kind=EvaluationQuestion.Kind.TEXT)
        .order_by()
        .values("question_id", "rating", "yes")
        .annotate(n=Count("id"))
    )
    by_question: dict = {}
    for row in counts:
        by_question.setdefault(row["question_id"], []).append(row)
    comments: dict = {}
    for question_id, comment in (
        EvaluationAnswer.objects.filter(response__in=responses)
        .exclude(comment="")
        .order_by("comment")
        .values_list("question_id", "comment")
    ):
        comments.setdefault(question_id, []).append(comment)
    asked = set(by_question) | set(comments)
    for question in EvaluationQuestion.objects.filter(pk__in=asked).order_by(
        "order", "code", "-version"
    ):
        rows = by_question.get(question.pk, [])
        item = {"question": question, "answered": sum(r["n"] for r in rows)}
        if question.kind == EvaluationQuestion.Kind.RATING:
            dist = dict.fromkeys(range(1, 6), 0)
            for row in rows:
                dist[row["rating"]] += row["n"]
            total = sum(dist.values())
            item["distribution"] = [
                {"rating": n, "count": c, "share": c / total if total else None}
                for n, c in dist.items()
            ]
            item["mean"] = sum(n * c for n, c in dist.items()) / total if total else None
            item["satisfied"] = sum(dist[n] for n in SATISFIED_RATINGS)
            if question.code == EvaluationQuestion.OVERALL:
                summary["satisfied"] += item["satisfied"]
                summary["rated"] += total
        elif question.kind == EvaluationQuestion.Kind.YES_NO:
            yes = sum(r["n"] for r in rows if r["yes"])
            item["yes"] = yes
            item["yes_share"] = yes / item["answered"] if item["answered"] else None
        else:
            item["comments"] = comments.get(question.pk, [])
            item["answered"] = len(item["comments"])
        summary["questions"].append(item)
    if summary["rated"]:
        summary["satisfied_share"] = summary["satisfied"] / summary["rated"]
    return summary


def workshop_evaluation(workshop: Workshop) -> dict:
    """The evaluation of one workshop for its page (the caller checked access): the
    summary and how many of its participants answered (a count, never who)."""
    summary = evaluation_summary(
        EvaluationResponse.objects.filter(workshop=workshop),
        participants=workshop.participants.count(),
    )
    summary["used"] = EvaluationToken.objects.filter(
        workshop=workshop, used_on__isnull=False
    ).count()
    return summary
