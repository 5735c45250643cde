"""Writes for verifiable certificates: issuing (idempotent: a certificate keeps its token and
code for ever), revoking with a reason, and logging each public check."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from score_portal.access import Perm
from score_portal.services import require, save_as
from trainers.models import Certification
from workshops.models import Participant, Workshop

from .models import IssuedCertificate, VerificationCheck


def _get_or_issue(lookup: dict, defaults: dict, acting_user) -> IssuedCertificate:
    found = IssuedCertificate.objects.filter(**lookup).first()
    if found:
        return found
    certificate = IssuedCertificate(**lookup, **defaults)
    certificate.full_clean()
    try:
        with transaction.atomic():
            return save_as(certificate, acting_user)
    except IntegrityError:  # issued at the same moment by another worker
        return IssuedCertificate.objects.get(**lookup)


def participation_certificates_issue(
    *, acting_user, workshop: Workshop, participants: list[Participant]
) -> dict[int, IssuedCertificate]:
    """The certificates of participation of ``participants`` (who attended), issued once:
    building the pack again prints the same codes."""
    existing = {
        c.participant_id: c for c in IssuedCertificate.objects.filter(participant__in=participants)
    }
    issued = {}
    for person in participants:
        issued[person.pk] = existing.get(person.pk) or _get_or_issue(
            {"participant": person},
            {
                "kind": IssuedCertificate.Kind.PARTICIPATION,
                "partner_id": workshop.partner_id,
                "module_id": workshop.module_id,
                "holder_name": person.name,
                "issued_on": workshop.end_date,
            },
            acting_user,
        )
    return issued


def trainer_certificate_issue(*, acting_user, certification: Certification) -> IssuedCertificate:
    """The verifiable certificate of a certified or expert trainer, issued once."""
    if certification.grade not in Certification.QUALIFIED:
        raise ValidationError(_("Only a certified or expert trainer receives a certificate."))
    partner_ids = certification.trainer.partner_ids()
    if not partner_ids:
        raise ValidationError(_("The trainer serves no partner to issue the certificate."))
    allowed = [pid for pid in partner_ids if _may_change(acting_user, pid)]
    if not allowed:
        require(acting_user, Perm.CHANGE, partner_ids[0])
    return _get_or_issue(
        {"certification": certification},
        {
            "kind": IssuedCertificate.Kind.TRAINER,
            "partner_id": allowed[0],
            "module_id": certification.module_id,
            "holder_name": certification.trainer.name,
            "issued_on": certification.decision_date or timezone.localdate(),
        },
        acting_user,
    )


def _may_change(user, partner_id) -> bool:
    from score_portal.access import access_for

    return access_for(user).has_perm(Perm.CHANGE, partner_id)


@transaction.atomic
def certificate_revoke(*, acting_user, certificate: IssuedCertificate, reason: str):
    """Revoke a certificate (for ever; its history keeps who and why)."""
    require(acting_user, Perm.CHANGE, certificate.partner_id)
    certificate = IssuedCertificate.objects.select_for_update().get(pk=certificate.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for revoking.")})
    if certificate.revoked_at:
        raise ValidationError(_("This certificate is already revoked."))
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = acting_user
    certificate.revocation_reason = reason
    certificate.full_clean()
    return save_as(certificate, acting_user)


def _client_hash(address: str) -> str:
    if not address:
        return ""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


def verification_record(
    *, certificate: IssuedCertificate | None, via: str, address: str = "", user_agent: str = ""
) -> VerificationCheck:
    """Log one public check (anonymous: there is no acting user)."""
    return VerificationCheck.objects.create(
        certificate=certificate,
        result=certificate.status() if certificate else "unknown",
        via=via,
        client_hash=_client_hash(address),
        user_agent=user_agent[:200],
    )
