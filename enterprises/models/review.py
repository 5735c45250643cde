"""The data review loop's comment thread: a reviewer returns a reading for revision with a
comment, its author answers (and corrects it). Comments are never edited: the thread is the
history of the review."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

COMMENT_MAX_LENGTH = 1000


class ReadingComment(models.Model):
    class Kind(models.TextChoices):
        RETURN = "return", _("Returned for revision")
        ANSWER = "answer", _("Answer")

    reading = models.ForeignKey(
        "enterprises.KPIReading",
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("KPI reading"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    created = models.DateTimeField(_("written at"), auto_now_add=True)
    history = HistoricalRecords()

    PARTNER_PATH = "reading__enterprise__partner"
    TRAINER_PATH = "reading__enterprise__enrolments__assignments__trainer__user"

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("reading comment")
        verbose_name_plural = _("reading comments")
        indexes = [models.Index(fields=["reading", "created"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="reading_comment_not_empty")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.reading_id}: {self.text[:40]}"
