"""API tokens: a secret shown once, stored as its SHA-256 digest, found by its prefix.

A **personal** token acts as the person who created it (same scope, same 404/403 as their
pages). A **service** token is for a partner's other systems: creating one creates a service
user (no password, no login) holding one role at that partner, granted through
``score_portal.memberships`` like any other role; the token acts as that user. So history
names the service user as the author of every write made with it, and revoking the token
ends the service user's membership at once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from score_portal.models import Partner

PREFIX_LENGTH = 8


class ApiToken(models.Model):
    class Kind(models.TextChoices):
        PERSONAL = "personal", _("Personal")
        SERVICE = "service", _("Service")

    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is used for."))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PERSONAL)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("acts as"),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_tokens",
        verbose_name=_("partner"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, unique=True, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    PARTNER_PATH = "partner"

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                name="api_token_service_has_partner",
                condition=Q(kind="personal") | Q(partner__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… · {self.name}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
