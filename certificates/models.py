"""Verifiable certificates: a participant's certificate of participation (workshop pack) or
a trainer's certification, each with an unguessable token (the QR code's link), a short code
to type, and a revocation with its reason. Every public check is logged."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalogue.models import Module
from score_portal.models import Partner
from trainers.models import Certification
from workshops.models import Participant

# Letters and digits a person cannot confuse when typing (no 0/O, 1/I/L, 5/S, 2/Z, 8/B).
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 10  # 25**10 ≈ 9.5e13 codes


def new_token() -> str:
    return secrets.token_urlsafe(24)  # 192 random bits, 32 characters


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


class IssuedCertificate(models.Model):
    class Kind(models.TextChoices):
        PARTICIPATION = "participation", _("Certificate of participation")
        TRAINER = "trainer", _("Trainer certification")

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    participant = models.OneToOneField(
        Participant,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="issued_certificate",
        verbose_name=_("participant"),
    )
    certification = models.OneToOneField(
        Certification,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="issued_certificate",
        verbose_name=_("trainer certification"),
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing partner")
    )
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="+")
    holder_name = models.CharField(_("holder"), max_length=200)
    issued_on = models.DateField(_("issued on"))
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    code = models.CharField(_("code"), max_length=16, unique=True, default=new_code)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revocation_reason = models.TextField(_("reason for revoking"), blank=True)
    history = HistoricalRecords(excluded_fields=["token"])

    PARTNER_PATH = "partner"
    ENTERPRISE_PATH = "participant__enrolment__enterprise"  # participation certificates

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("issued certificate")
        verbose_name_plural = _("issued certificates")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="participation", participant__isnull=False, certification__isnull=True)
                    | Q(kind="trainer", participant__isnull=True, certification__isnull=False)
                ),
                name="certificate_has_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="certificate_revocation_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.holder_name}"

    def status(self, on=None) -> str:
        """Valid, expired (a trainer certification past its validity) or revoked, today."""
        if self.revoked_at:
            return self.Status.REVOKED
        if self.kind == self.Kind.TRAINER and self.certification is not None:
            on = on or timezone.localdate()
            if not self.certification.is_qualified(on):
                return self.Status.EXPIRED
        return self.Status.VALID

    def status_label(self) -> str:
        return str(self.Status(self.status()).label)

    @property
    def valid_until(self):
        return self.certification.valid_until if self.certification_id else None


class VerificationCheck(models.Model):
    """One look at the public verification page: which certificate (none for an unknown
    token or code) and what it answered. The visitor's address is kept only as a salted hash."""

    certificate = models.ForeignKey(
        IssuedCertificate,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="checks",
    )
    checked_at = models.DateTimeField(default=timezone.now, db_index=True)
    result = models.CharField(max_length=20)  # valid / expired / revoked / unknown
    via = models.CharField(max_length=10, default="link")  # link (the QR code) or code
    client_hash = models.CharField(max_length=64, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-checked_at"]

    def __str__(self) -> str:
        return f"{self.checked_at:%Y-%m-%d %H:%M} {self.result}"
