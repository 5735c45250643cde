"""Training modules (reference data) and, later, enrolments and workshops."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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


class Enrolment(models.Model):
    """An enterprise enrolled in one module: its status flow and who pays for it."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        ENROLLED = "enrolled", _("Enrolled")
        IN_TRAINING = "in_training", _("In training")
        IN_CONSULTING = "in_consulting", _("In consulting")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    FLOW = [Status.APPLIED, Status.ENROLLED, Status.IN_TRAINING, Status.IN_CONSULTING,
            Status.COMPLETED]
    OPEN_STATUSES = [Status.APPLIED, Status.ENROLLED, Status.IN_TRAINING, Status.IN_CONSULTING]

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE,
                                   related_name="enrolments", verbose_name=_("enterprise"))
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="enrolments",
                               verbose_name=_("module"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.APPLIED)
    applied_on = models.DateField(_("applied on"))
    enrolled_on = models.DateField(_("enrolled on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    paid_enterprise = models.DecimalField(_("paid by the enterprise"), max_digits=12,
                                          decimal_places=2, default=Decimal(0))
    paid_sponsor = models.DecimalField(_("paid by a sponsor or lead buyer"), max_digits=12,
                                       decimal_places=2, default=Decimal(0))
    paid_government = models.DecimalField(_("paid by government"), max_digits=12,
                                          decimal_places=2, default=Decimal(0))
    paid_ilo = models.DecimalField(_("paid by the ILO or donors"), max_digits=12,
                                   decimal_places=2, default=Decimal(0))
    entry_override_reason = models.TextField(
        _("reason to start with this module"), blank=True,
        help_text=_("Needed when the enterprise has not taken the entry module."))
    entry_overridden_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                            null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    PARTNER_PATH = "enterprise__partner"

    class Meta:
        ordering = ["module__order", "-applied_on"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "module"],
                condition=Q(status__in=["applied", "enrolled", "in_training", "in_consulting"]),
                name="enrolment_one_open_per_module"),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | ~Q(withdrawal_reason=""),
                name="enrolment_withdrawal_needs_reason"),
            models.CheckConstraint(
                condition=Q(paid_enterprise__gte=0, paid_sponsor__gte=0, paid_government__gte=0,
                            paid_ilo__gte=0),
                name="enrolment_payments_not_negative"),
        ]
        indexes = [models.Index(fields=["module", "status"])]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.module.code}"

    @property
    def fee_total(self) -> Decimal:
        return self.paid_enterprise + self.paid_sponsor + self.paid_government + self.paid_ilo

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def next_statuses(self) -> list[str]:
        """Forward moves along the flow, plus withdrawal while open."""
        if not self.is_open:
            return []
        position = self.FLOW.index(self.status)
        return [*self.FLOW[position + 1:], self.Status.WITHDRAWN]
