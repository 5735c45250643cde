"""Workshop evaluations: a token per participant (the link or QR code on their slip), and
the anonymous responses.

Anonymity is kept by the shape of the data: a response has no link to the participant or
to the token that opened the form, and both sides keep only the *day* (a used token says
"used on", a response says "submitted on"), so rows cannot be matched by time. Neither
table has a history (a history row would carry the exact time)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalogue.models import EvaluationQuestion

from .participants import Participant
from .workshops import Workshop


class EvaluationToken(models.Model):
    """The one-use key of one participant to the evaluation form of their workshop."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="+")
    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="evaluation_token"
    )
    token = models.CharField(max_length=64, unique=True)
    used_on = models.DateField(null=True, blank=True)

    PARTNER_PATH = "workshop__partner"

    class Meta:
        verbose_name = _("evaluation token")
        verbose_name_plural = _("evaluation tokens")

    def __str__(self) -> str:
        return f"{self.workshop_id}: {'used' if self.used_on else 'unused'}"


class EvaluationResponse(models.Model):
    """One participant's answers, without who they are."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="evaluation_responses"
    )
    submitted_on = models.DateField()
    language = models.CharField(max_length=10, blank=True)

    PARTNER_PATH = "workshop__partner"
    TRAINER_PATH = "workshop__trainer_links__trainer__user"

    class Meta:
        verbose_name = _("evaluation response")
        verbose_name_plural = _("evaluation responses")
        indexes = [models.Index(fields=["workshop"])]

    def __str__(self) -> str:
        return f"{self.workshop_id} {self.submitted_on}"


class EvaluationAnswer(models.Model):
    """The answer to one question (the version the participant read)."""

    response = models.ForeignKey(
        EvaluationResponse, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(EvaluationQuestion, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    yes = models.BooleanField(null=True, blank=True)
    comment = models.TextField(blank=True, max_length=2000)

    PARTNER_PATH = "response__workshop__partner"

    class Meta:
        verbose_name = _("evaluation answer")
        verbose_name_plural = _("evaluation answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="evaluation_answer_once_per_question"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="evaluation_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.rating or self.yes or self.comment[:20]}"
