"""Training modules (reference data) and, later, enrolments and workshops."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from score_portal.models import BilingualNameMixin


class Module(BilingualNameMixin, models.Model):
    """A SCORE training module. Reference data, not an enum: the set differs by country."""

    code = models.CharField(_("code"), max_length=20, unique=True,
                            help_text=_("Short code, for example M1."))
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    classroom_days = models.PositiveSmallIntegerField(
        _("classroom days"), default=2, validators=[MinValueValidator(1), MaxValueValidator(10)])
    planned_visits = models.PositiveSmallIntegerField(
        _("planned consulting visits"), default=4,
        validators=[MinValueValidator(0), MaxValueValidator(12)])
    is_entry = models.BooleanField(
        _("entry module"), default=False,
        help_text=_("Enterprises start with this module unless a programme manager overrides."))
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [
            models.UniqueConstraint(Lower("code"), name="module_code_unique_ci"),
            models.UniqueConstraint(fields=["is_entry"], condition=models.Q(is_entry=True),
                                    name="module_single_entry"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
