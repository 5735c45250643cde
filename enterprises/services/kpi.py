"""Writes for KPI readings (the KPI catalogue is written in ``catalogue.services``).

Readings are recorded by partner staff and by the trainers assigned to the enterprise;
partner staff verify them. A verified reading is locked: changing it needs an unlock with a
reason (kept in the history) or a new reading."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from score_portal.access import Perm, scope
from score_portal.services import assign, require, save_as
from score_portal.uploads import check_upload

from ..models import EVIDENCE_EXTENSIONS, Enterprise, KPIReading

READING_FIELDS = ("kpi", "kind", "period_start", "period_end", "value", "source", "note")
# An unlock's reason is the history record's change reason: simple_history's 100 characters.
UNLOCK_REASON_MAX_LENGTH = 100


def _require_recorder(user, enterprise: Enterprise) -> None:
    """Staff of the partner, or a trainer assigned to this enterprise."""
    require(user, Perm.RECORD, enterprise.partner_id)
    if not scope(user, Enterprise.objects.filter(pk=enterprise.pk)).exists():
        raise PermissionDenied


def _check_baseline(reading: KPIReading) -> None:
    if reading.kind != KPIReading.Kind.BASELINE:
        return
    other = KPIReading.objects.filter(
        enterprise=reading.enterprise, kpi=reading.kpi, kind=KPIReading.Kind.BASELINE
    ).exclude(pk=reading.pk)
    if other.exists():
        raise ValidationError(
            {
                "kind": _(
                    "%(kpi)s already has a baseline for this enterprise: correct that one instead."
                )
                % {"kpi": reading.kpi.name}
            }
        )


@transaction.atomic
def kpi_reading_record(*, acting_user, enterprise: Enterprise, evidence=None, **data) -> KPIReading:
    """Record a baseline or follow-up reading, optionally with an evidence file."""
    _require_recorder(acting_user, enterprise)
    reading = KPIReading(enterprise=enterprise, recorded_by=acting_user)
    assign(reading, data, READING_FIELDS)
    if not reading.kpi.is_active:
        raise ValidationError({"kpi": _("This KPI is no longer in use.")})
    _check_baseline(reading)
    if evidence:
        check_upload(evidence, allowed=EVIDENCE_EXTENSIONS)
        reading.evidence = evidence
    reading.full_clean()
    save_as(reading, acting_user)
    return reading


@transaction.atomic
def kpi_reading_update(*, acting_user, reading: KPIReading, evidence=None, **data) -> KPIReading:
    _require_recorder(acting_user, reading.enterprise)
    reading = KPIReading.objects.select_for_update().get(pk=reading.pk)
    if reading.is_verified:
        raise ValidationError(
            _(
                "This reading is verified and locked. Record a new reading, "
                "or ask partner staff to unlock it with a reason."
            )
        )
    assign(reading, data, READING_FIELDS)
    _check_baseline(reading)
    if evidence:
        check_upload(evidence, allowed=EVIDENCE_EXTENSIONS)
        reading.evidence = evidence
    reading.full_clean()
    save_as(reading, acting_user)
    return reading


@transaction.atomic
def kpi_readings_verify(*, acting_user, readings) -> int:
    """Verify (and so lock) readings; returns how many were newly verified."""
    count = 0
    now = timezone.now()
    for reading in readings.select_for_update().select_related("enterprise"):
        require(acting_user, Perm.VERIFY, reading.enterprise.partner_id)
        if reading.is_verified:
            continue
        reading.verified_by, reading.verified_at = acting_user, now
        save_as(reading, acting_user)
        count += 1
    return count


@transaction.atomic
def kpi_reading_unlock(*, acting_user, reading: KPIReading, reason: str) -> KPIReading:
    require(acting_user, Perm.VERIFY, reading.enterprise.partner_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for unlocking.")})
    if len(reason) > UNLOCK_REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("Keep the reason to %(max)d characters.")
                % {"max": UNLOCK_REASON_MAX_LENGTH}
            }
        )
    reading = KPIReading.objects.select_for_update().get(pk=reading.pk)
    reading.verified_by, reading.verified_at = None, None
    reading._change_reason = reason  # type: ignore[attr-defined]  # simple-history reads it
    save_as(reading, acting_user)
    return reading
