"""Enrolments: an enterprise in one module, its status flow and who pays for it."""

from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalogue.models import Module
from score_portal.dates import PAST, PlausibleDatesMixin

from .enterprises import Enterprise


class Enrolment(PlausibleDatesMixin, models.Model):
    """An enterprise enrolled in one module: its status flow and who pays for it."""

    DATE_RULES = {
        "applied_on": PAST,
        "enrolled_on": PAST,
        "completed_on": PAST,
        "withdrawn_on": PAST,
    }

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        ENROLLED = "enrolled", _("Enrolled")
        IN_TRAINING = "in_training", _("In training")
        IN_CONSULTING = "in_consulting", _("In consulting")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    FLOW = [
        Status.APPLIED,
        Status.ENROLLED,
        Status.IN_TRAINING,
        Status.IN_CONSULTING,
        Status.COMPLETED,
    ]
    OPEN_STATUSES = [Status.APPLIED, Status.ENROLLED, Status.IN_TRAINING, Status.IN_CONSULTING]
    # Trained: the classroom part is done (the enterprise is in consulting or has completed).
    TRAINED_STATUSES = [Status.IN_CONSULTING, Status.COMPLETED]

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("enterprise"),
    )
    module = models.ForeignKey(
        Module, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("module")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.APPLIED
    )
    applied_on = models.DateField(_("applied on"))
    enrolled_on = models.DateField(_("enrolled on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    paid_enterprise = models.DecimalField(
        _("paid by the enterprise"), max_digits=12, decimal_places=2, default=Decimal(0)
    )
    paid_sponsor = models.DecimalField(
        _("paid by a sponsor or lead buyer"), max_digits=12, decimal_places=2, default=Decimal(0)
    )
    paid_government = models.DecimalField(
        _("paid by government"), max_digits=12, decimal_places=2, default=Decimal(0)
    )
    paid_ilo = models.DecimalField(
        _("paid by the ILO or donors"), max_digits=12, decimal_places=2, default=Decimal(0)
    )
    entry_override_reason = models.TextField(
        _("reason to start with this module"),
        blank=True,
        help_text=_("Needed when the enterprise has not taken the entry module."),
    )
    entry_overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(table_name="workshops_historicalenrolment")

    PARTNER_PATH = "enterprise__partner"
    TRAINER_PATH = "assignments__trainer__user"  # the enrolments they consult
    ENTERPRISE_PATH = "enterprise"

    class Meta:
        db_table = "workshops_enrolment"  # the table it had in workshops, kept with its rows
        ordering = ["module__order", "-applied_on"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "module"],
                condition=Q(status__in=["applied", "enrolled", "in_training", "in_consulting"]),
                name="enrolment_one_open_per_module",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | ~Q(withdrawal_reason=""),
                name="enrolment_withdrawal_needs_reason",
            ),
            models.CheckConstraint(
                condition=Q(
                    paid_enterprise__gte=0,
                    paid_sponsor__gte=0,
                    paid_government__gte=0,
                    paid_ilo__gte=0,
                ),
                name="enrolment_payments_not_negative",
            ),
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
        position = self.FLOW.index(self.Status(self.status))
        return [*self.FLOW[position + 1 :], self.Status.WITHDRAWN]


# Enrolment statuses in which the enterprise takes part in the programme.
TAKING_PART = [
    Enrolment.Status.ENROLLED,
    Enrolment.Status.IN_TRAINING,
    Enrolment.Status.IN_CONSULTING,
]
# Statuses a person may give an enterprise by hand, and only while it has no enrolment.
MANUAL_STATUSES = [Enterprise.Status.PROSPECT, Enterprise.Status.WITHDRAWN]


def enterprise_status_for(enrolment_statuses: Iterable[str], current: str = "") -> str:
    """The one rule of an enterprise's status: it follows its enrolments.

    * an enrolment enrolled, in training or in consulting → active;
    * otherwise an enrolment completed → completed (an application to a further module
      keeps it completed until that enrolment starts);
    * otherwise an enrolment applied for → prospect (it applied, it is not yet enrolled);
    * otherwise (every enrolment withdrawn) → withdrawn;
    * no enrolment → prospect, or withdrawn if set so by hand (a prospect that declined):
      the only statuses given by hand (``MANUAL_STATUSES``).
    """
    statuses = set(enrolment_statuses)
    if statuses & set(TAKING_PART):
        return Enterprise.Status.ACTIVE
    if Enrolment.Status.COMPLETED in statuses:
        return Enterprise.Status.COMPLETED
    if Enrolment.Status.APPLIED in statuses:
        return Enterprise.Status.PROSPECT
    if Enrolment.Status.WITHDRAWN in statuses:
        return Enterprise.Status.WITHDRAWN
    if current == Enterprise.Status.WITHDRAWN:
        return Enterprise.Status.WITHDRAWN
    return Enterprise.Status.PROSPECT
