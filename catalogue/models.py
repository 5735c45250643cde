"""Reference data every other app builds on: the SCORE training modules and the KPI
catalogue. The lowest domain layer: it imports nothing but ``score_portal``."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from score_portal.models import BilingualNameMixin


def validate_offsets(value: str) -> None:
    from django.core.exceptions import ValidationError

    try:
        offsets = [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise ValidationError(
            _("Use whole numbers separated by commas, e.g. 14,35,60,90.")
        ) from None
    if any(day < 0 or day > 730 for day in offsets) or offsets != sorted(offsets):
        raise ValidationError(_("Days must be between 0 and 730 and in increasing order."))


class Module(BilingualNameMixin, models.Model):
    """A SCORE training module. Reference data, not an enum: the set differs by country."""

    code = models.CharField(
        _("code"), max_length=20, unique=True, help_text=_("Short code, for example M1.")
    )
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    classroom_days = models.PositiveSmallIntegerField(
        _("classroom days"), default=2, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    planned_visits = models.PositiveSmallIntegerField(
        _("planned consulting visits"),
        default=4,
        validators=[MinValueValidator(0), MaxValueValidator(12)],
    )
    is_entry = models.BooleanField(
        _("entry module"),
        default=False,
        help_text=_("Enterprises start with this module unless a programme manager overrides."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    visit_offsets = models.CharField(
        _("visit plan (days after the workshop)"),
        max_length=100,
        default="14,35,60,90",
        validators=[validate_offsets],
        help_text=_(
            "Comma-separated days after the workshop's last day, one per planned "
            "visit, for example 14,35,60,90. Missing ones continue every 30 days."
        ),
    )
    cert_min_workshops = models.PositiveSmallIntegerField(
        _("workshops needed for certification"),
        default=1,
        help_text=_("Supervised workshops a candidate must have delivered."),
    )
    cert_min_enterprises = models.PositiveSmallIntegerField(
        _("enterprises visited for certification"),
        default=2,
        help_text=_("Distinct enterprises a candidate must have visited in this module."),
    )
    certification_validity_months = models.PositiveSmallIntegerField(
        _("certification valid for (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Empty: the portal's default validity."),
    )
    history = HistoricalRecords()

    class Meta:
        db_table = "workshops_module"  # its table from before the catalogue app
        ordering = ["order", "code"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [
            models.UniqueConstraint(Lower("code"), name="module_code_unique_ci"),
            models.UniqueConstraint(
                fields=["is_entry"], condition=models.Q(is_entry=True), name="module_single_entry"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self):
        # Said in words before the constraint would say "Constraint “module_code_unique_ci”
        # is violated." (a database name is no message).
        if self.code and Module.objects.filter(code__iexact=self.code).exclude(pk=self.pk).exists():
            raise ValidationError({"code": _("A module with this code already exists.")})

    @property
    def validity_months(self) -> int:
        """How long a certification in this module stays valid (the module's own period,
        else the portal's default ``CERTIFICATION_VALIDITY_MONTHS``)."""
        return self.certification_validity_months or settings.CERTIFICATION_VALIDITY_MONTHS

    def visit_plan(self) -> list[int]:
        """Day offsets of the planned visits after a workshop, one per planned visit."""
        offsets = [int(part) for part in self.visit_offsets.split(",") if part.strip()]
        while len(offsets) < self.planned_visits:
            offsets.append((offsets[-1] if offsets else 0) + 30)
        return offsets[: self.planned_visits]


class KPIDefinition(BilingualNameMixin, models.Model):
    class Direction(models.TextChoices):
        UP = "up", _("Higher is better")
        DOWN = "down", _("Lower is better")

    class Normalisation(models.TextChoices):
        NONE = "none", _("Not normalised")
        PER_WORKER = "per_worker", _("Per worker")
        PER_OUTPUT = "per_output", _("Per unit of output")
        PER_200K_HOURS = "per_200k_hours", _("Per 200,000 hours worked")
        SHARE = "share", _("Share (%)")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    unit = models.CharField(_("unit (English)"), max_length=40)
    unit_zh = models.CharField(
        _("unit (Chinese)"),
        max_length=40,
        blank=True,
        help_text=_("As Chinese reports write it, e.g. 件/人/月; empty: the English unit."),
    )
    direction = models.CharField(_("better when"), max_length=4, choices=Direction.choices)
    normalisation = models.CharField(
        _("normalisation"), max_length=20, choices=Normalisation.choices, default=Normalisation.NONE
    )
    module = models.ForeignKey(
        Module,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("related module"),
    )
    plausible_min = models.DecimalField(
        _("plausible minimum"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    plausible_max = models.DecimalField(
        _("plausible maximum"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    headline = models.CharField(
        _("headline group"),
        max_length=20,
        blank=True,
        help_text=_("Groups KPIs for programme figures: cost, defects, energy, waste, accidents."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    history = HistoricalRecords()

    class Meta:
        db_table = "enterprises_kpidefinition"  # its table from before the catalogue app
        ordering = ["order", "code"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        constraints = [
            models.CheckConstraint(
                condition=Q(plausible_min__isnull=True)
                | Q(plausible_max__isnull=True)
                | Q(plausible_max__gte=F("plausible_min")),
                name="kpi_plausible_range_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit_label})"

    @property
    def unit_label(self) -> str:
        """The unit in the active language (like ``name``): "units/worker/month", "件/人/月"."""
        language = (get_language() or "en").lower()
        if language.startswith("zh") and self.unit_zh:
            return self.unit_zh
        return self.unit


class ChecklistVersion(models.Model):
    """One version of a module's SCORE assessment checklist (yes/no good practices).
    Published versions are never changed: editing the checklist creates the next version
    (``catalogue.services.checklist_item_save``), so an answer keeps pointing at the wording
    the enterprise answered."""

    module = models.ForeignKey(
        Module,
        on_delete=models.PROTECT,
        related_name="checklist_versions",
        verbose_name=_("module"),
    )

    class Change(models.TextChoices):
        INITIAL = "initial", _("First version")
        ADDED = "added", _("Practice added")
        CHANGED = "changed", _("Practice reworded")
        REMOVED = "removed", _("Practice removed")

    number = models.PositiveSmallIntegerField(_("version"))
    change = models.CharField(
        _("what changed"), max_length=10, choices=Change.choices, default=Change.INITIAL
    )
    changed_key = models.SlugField(_("practice changed"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["module__order", "module__code", "-number"]
        verbose_name = _("checklist version")
        verbose_name_plural = _("checklist versions")
        constraints = [
            models.UniqueConstraint(fields=["module", "number"], name="checklist_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.module.code} v{self.number}"


class ChecklistItem(BilingualNameMixin, models.Model):
    """One yes/no good practice of a checklist version. ``key`` names the practice across
    versions (a reworded item keeps its key), so a baseline answered on version 1 and a
    progress assessment on version 2 are compared practice by practice."""

    version = models.ForeignKey(
        ChecklistVersion,
        on_delete=models.PROTECT,
        related_name="items",
        verbose_name=_("checklist version"),
    )
    key = models.SlugField(_("key"), max_length=40)
    theme_en = models.CharField(_("theme (English)"), max_length=120)
    theme_zh = models.CharField(_("theme (Chinese)"), max_length=120)
    name_en = models.CharField(_("good practice (English)"), max_length=300)
    name_zh = models.CharField(_("good practice (Chinese)"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "order", "pk"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="checklist_item_key_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def theme(self) -> str:
        language = (get_language() or "en").lower()
        if language.startswith("zh") and self.theme_zh:
            return self.theme_zh
        return self.theme_en or self.theme_zh


class EvaluationQuestion(models.Model):
    """One question of the workshop evaluation form participants answer (reference data,
    in English and Chinese). Append-only in meaning: changing a question's wording or kind
    retires it and adds its next version under the same ``code``, so every answer keeps
    pointing at the words the participant read (``evaluation_question_save``)."""

    class Kind(models.TextChoices):
        RATING = "rating", _("Rating from 1 to 5")
        YES_NO = "yes_no", _("Yes or no")
        TEXT = "text", _("Free comment")

    # The question the "participant satisfaction" indicator reads (rated 4 or 5: satisfied).
    OVERALL = "overall"

    code = models.SlugField(
        _("code"),
        max_length=40,
        help_text=_("Stays the same across versions, for example overall."),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    kind = models.CharField(_("kind of answer"), max_length=10, choices=Kind.choices)
    text_en = models.CharField(_("question (English)"), max_length=300)
    text_zh = models.CharField(_("question (Chinese)"), max_length=300)
    required = models.BooleanField(_("answer required"), default=True)
    is_active = models.BooleanField(_("on the form"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code", "-version"]
        verbose_name = _("evaluation question")
        verbose_name_plural = _("evaluation questions")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="evaluation_question_code_version"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(is_active=True),
                name="evaluation_question_one_active_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def text(self) -> str:
        """The question in the active language."""
        language = (get_language() or "en").lower()
        if language.startswith("zh") and self.text_zh:
            return self.text_zh
        return self.text_en
