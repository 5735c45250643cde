"""Enterprise groups: a provincial investment group (transport, airports) whose subsidiaries
a partner enrols as pilot enterprises and follows together."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from score_portal.models import LocalNameMixin, Partner


class EnterpriseGroup(LocalNameMixin, models.Model):
    """A group of enterprises of one partner (the provincial partner enrols a provincial
    group's subsidiaries). Its enterprises are ``group.enterprises``: a group contact's
    membership speaks for all of them (``score_portal.access``)."""

    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="enterprise_groups",
        verbose_name=_("partner"),
    )
    name = models.CharField(_("name"), max_length=200)
    name_zh = models.CharField(_("name in Chinese"), max_length=200, blank=True)
    code = models.SlugField(
        _("code"),
        max_length=30,
        blank=True,
        help_text=_("Optional short code, for example ZJ-TRANSPORT."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    PARTNER_PATH = "partner"
    # A trainer sees the groups of the enterprises they consult.
    TRAINER_PATH = "enterprises__enrolments__assignments__trainer__user"
    GROUP_PATH = "id"  # a group's contact sees their group (score_portal.access)

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise group")
        verbose_name_plural = _("enterprise groups")
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "partner", name="enterprise_group_name_unique_per_partner"
            ),
            models.UniqueConstraint(
                fields=["partner", "code"],
                condition=~Q(code=""),
                name="enterprise_group_code_unique_per_partner",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        self.name = (self.name or "").strip()
        self.name_zh = (self.name_zh or "").strip()
        self.code = (self.code or "").strip().upper()
        errors = {}
        if self.partner_id:
            others = EnterpriseGroup.objects.filter(partner_id=self.partner_id).exclude(pk=self.pk)
            if self.name and others.filter(name__iexact=self.name).exists():
                errors["name"] = _("This partner already has a group with this name.")
            if self.code and others.filter(code=self.code).exists():
                errors["code"] = _("This partner already has a group with this code.")
        if errors:
            raise ValidationError(errors)
