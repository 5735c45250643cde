"""SCORE assessments of an enterprise: a baseline before its first workshop of a module and
progress assessments after it, each answering one version of the module's checklist."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalogue.models import ChecklistItem, ChecklistVersion, Module
from score_portal.dates import PAST, PlausibleDatesMixin


class Assessment(PlausibleDatesMixin, models.Model):
    """One enterprise's yes/no answers to one version of a module's checklist. The version is
    kept with the answers: a later edit of the checklist never changes what was answered."""

    DATE_RULES = {"assessed_on": PAST}

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Baseline assessment")
        PROGRESS = "progress", _("Progress assessment")

    class Source(models.TextChoices):
        TRAINER = "trainer", _("Trainer")
        STAFF = "staff", _("Partner staff")
        ENTERPRISE = "enterprise", _("Submitted by the enterprise")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("enterprise"),
    )
    module = models.ForeignKey(
        Module, on_delete=models.PROTECT, related_name="+", verbose_name=_("module")
    )
    version = models.ForeignKey(
        ChecklistVersion,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("checklist version"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    assessed_on = models.DateField(_("assessed on"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    PARTNER_PATH = "enterprise__partner"
    TRAINER_PATH = "enterprise__enrolments__assignments__trainer__user"
    ENTERPRISE_PATH = "enterprise"  # the enterprise's contact sees its assessments

    class Meta:
        ordering = ["module__order", "assessed_on", "pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "module"],
                condition=Q(kind="baseline"),
                name="assessment_one_baseline_per_module",
            )
        ]
        indexes = [models.Index(fields=["enterprise", "module", "kind", "assessed_on"])]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.module.code} · {self.get_kind_display()}"

    def clean(self):
        super().clean()
        if self.version_id and self.module_id and self.version.module_id != self.module_id:
            raise ValidationError({"version": _("This checklist belongs to another module.")})


class AssessmentAnswer(models.Model):
    """Yes or no to one practice (an item of the assessment's checklist version)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="answers", verbose_name=_("assessment")
    )
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("practice")
    )
    answer = models.BooleanField(_("in place"))
    history = HistoricalRecords()

    PARTNER_PATH = "assessment__enterprise__partner"
    TRAINER_PATH = "assessment__enterprise__enrolments__assignments__trainer__user"
    ENTERPRISE_PATH = "assessment__enterprise"

    class Meta:
        ordering = ["item__order", "item_id"]
        verbose_name = _("assessment answer")
        verbose_name_plural = _("assessment answers")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="assessment_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.item.key}: {'yes' if self.answer else 'no'}"
