"""Writes for KPI readings (the KPI catalogue is written in ``catalogue.services``).

Readings are recorded by partner staff and by the trainers assigned to the enterprise;
partner staff review them (``services.review``: verify, return for revision, answer). A
verified reading is locked: changing it needs an unlock with a reason (kept in the history)
or a new reading."""

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from catalogue.models import KPIDefinition
from score_portal import events
from score_portal.access import Perm, scope
from score_portal.figures_cache import figures_changed
from score_portal.services import assign, delete_as, require, save_as
from score_portal.uploads import check_upload

from ..models import EVIDENCE_EXTENSIONS, Enterprise, KPILatest, KPIReading

READING_FIELDS = ("kpi", "kind", "period_start", "period_end", "value", "source", "note")
# An unlock's reason is the history record's change reason: simple_history's 100 characters.
UNLOCK_REASON_MAX_LENGTH = 100
# An unusual value's confirmation reason is kept the same way.
UNUSUAL_REASON_MAX_LENGTH = 100
# A value that moved more than this (percent) from the previous reading needs confirming.
FAR_FROM_PREVIOUS = Decimal(80)


def previous_reading(
    enterprise: Enterprise, kpi: KPIDefinition, exclude_pk: int | None = None
) -> KPIReading | None:
    """The enterprise's latest reading of ``kpi`` (the one a new value is compared with)."""
    readings = KPIReading.objects.filter(enterprise=enterprise, kpi=kpi)
    if exclude_pk:
        readings = readings.exclude(pk=exclude_pk)
    return readings.order_by("-period_end", "-pk").first()


def unusual_value_reasons(kpi: KPIDefinition, value, previous_value=None) -> list[str]:
    """Why ``value`` looks unusual for ``kpi`` (translated): outside the catalogue's plausible
    range, or far from the previous reading. Empty when it looks ordinary. The phone's
    offline form applies the same rule (static/js/kpi-check.js)."""
    try:
        value = Decimal(value)
    except (TypeError, ArithmeticError, ValueError):
        return []  # not a number: the model's own validation says so
    if not value.is_finite():
        return []
    reasons = []
    low, high = kpi.plausible_min, kpi.plausible_max
    if (low is not None and value < low) or (high is not None and value > high):
        reasons.append(
            _("%(value)s is outside the plausible range of %(kpi)s (%(low)s to %(high)s).")
            % {
                "value": value.normalize(),
                "kpi": kpi.name,
                "low": low.normalize() if low is not None else "…",
                "high": high.normalize() if high is not None else "…",
            }
        )
    if previous_value is not None and Decimal(previous_value) != 0:
        previous_value = Decimal(previous_value)
        change = abs(value - previous_value) / abs(previous_value) * 100
        if change > FAR_FROM_PREVIOUS:
            reasons.append(
                _(
                    "%(value)s is more than %(limit)s%% away from the previous reading "
                    "(%(previous)s)."
                )
                % {
                    "value": value.normalize(),
                    "limit": FAR_FROM_PREVIOUS.normalize(),
                    "previous": previous_value.normalize(),
                }
            )
    return reasons


def _check_unusual(reading: KPIReading, confirm_unusual: bool, unusual_reason: str) -> None:
    """An unusual value is saved only with an explicit confirmation and a reason, which the
    reading's history keeps."""
    previous = previous_reading(reading.enterprise, reading.kpi, exclude_pk=reading.pk)
    reasons = unusual_value_reasons(
        reading.kpi, reading.value, previous.value if previous else None
    )
    if not reasons:
        return
    unusual_reason = (unusual_reason or "").strip()
    errors: dict[str, list] = {}
    if not confirm_unusual:
        errors["confirm_unusual"] = [
            _("Tick to confirm this unusual value, and give the reason."),
        ]
    if not unusual_reason:
        errors["unusual_reason"] = [_("Give the reason for this unusual value.")]
    elif len(unusual_reason) > UNUSUAL_REASON_MAX_LENGTH:
        errors["unusual_reason"] = [
            _("Keep the reason to %(max)d characters.") % {"max": UNUSUAL_REASON_MAX_LENGTH}
        ]
    if errors:
        errors["value"] = reasons
        raise ValidationError(errors)
    reading._change_reason = unusual_reason  # type: ignore[attr-defined]  # simple-history reads it


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
def kpi_reading_record(
    *,
    acting_user,
    enterprise: Enterprise,
    evidence=None,
    confirm_unusual: bool = False,
    unusual_reason: str = "",
    **data,
) -> KPIReading:
    """Record a baseline or follow-up reading, optionally with an evidence file. A value
    outside the KPI's plausible range or far from the previous reading needs
    ``confirm_unusual`` and an ``unusual_reason`` (kept in the history)."""
    _require_recorder(acting_user, enterprise)
    reading = KPIReading(enterprise=enterprise, recorded_by=acting_user)
    assign(reading, data, READING_FIELDS)
    if reading.source == KPIReading.Source.ENTERPRISE:
        # only the enterprise's contact submits as the enterprise (services.submissions)
        raise ValidationError(
            {"source": _("Only the enterprise itself submits as the enterprise.")}
        )
    if not reading.kpi.is_active:
        raise ValidationError({"kpi": _("This KPI is no longer in use.")})
    _check_baseline(reading)
    _check_unusual(reading, confirm_unusual, unusual_reason)
    if evidence:
        check_upload(evidence, allowed=EVIDENCE_EXTENSIONS)
        reading.evidence = evidence
    reading.full_clean()
    save_as(reading, acting_user)
    events.emit(events.CREATED, reading)
    return reading


@transaction.atomic
def kpi_reading_update(
    *,
    acting_user,
    reading: KPIReading,
    evidence=None,
    confirm_unusual: bool = False,
    unusual_reason: str = "",
    **data,
) -> KPIReading:
    _require_recorder(acting_user, reading.enterprise)
    reading = KPIReading.objects.select_for_update().get(pk=reading.pk)
    if reading.is_verified:
        raise ValidationError(
            _(
                "This reading is verified and locked. Record a new reading, "
                "or ask partner staff to unlock it with a reason."
            )
        )
    apply_correction(
        acting_user=acting_user,
        reading=reading,
        data=data,
        fields=READING_FIELDS,
        evidence=evidence,
        confirm_unusual=confirm_unusual,
        unusual_reason=unusual_reason,
    )
    save_as(reading, acting_user)
    events.emit(events.UPDATED, reading)
    return reading


# What a reading says: whoever changes one of these entered it (and may not verify it).
ENTERED_FIELDS = ("kpi_id", "kind", "period_start", "period_end", "value")


def apply_correction(
    *,
    acting_user,
    reading: KPIReading,
    data: dict,
    fields,
    evidence,
    confirm_unusual,
    unusual_reason,
) -> None:
    """Put ``data`` (the names in ``fields``) on a locked, unverified reading and check it,
    without saving: a changed value passes the unusual-value check, and a change to what
    the reading says makes ``acting_user`` its last corrector (``edited_by``)."""
    before = {name: getattr(reading, name) for name in ENTERED_FIELDS}
    old_source = reading.source
    assign(reading, data, fields)
    if reading.source == KPIReading.Source.ENTERPRISE != old_source:
        raise ValidationError(
            {"source": _("Only the enterprise itself submits as the enterprise.")}
        )
    _check_baseline(reading)
    if reading.value != before["value"]:
        _check_unusual(reading, confirm_unusual, unusual_reason)
    if any(getattr(reading, name) != before[name] for name in ENTERED_FIELDS):
        reading.edited_by = acting_user
    if evidence:
        check_upload(evidence, allowed=EVIDENCE_EXTENSIONS)
        reading.evidence = evidence
    reading.full_clean()


@transaction.atomic
def kpi_reading_unlock(*, acting_user, reading: KPIReading, reason: str) -> KPIReading:
    """Unlock a verified reading (it goes back to waiting for review)."""
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
    events.emit(events.UPDATED, reading)
    return reading


@transaction.atomic
def kpi_reading_delete(*, acting_user, reading: KPIReading) -> None:
    """Delete a reading recorded by mistake; a verified one must be unlocked first."""
    _require_recorder(acting_user, reading.enterprise)
    reading = KPIReading.objects.select_for_update().get(pk=reading.pk)
    if reading.is_verified:
        raise ValidationError(
            _("This reading is verified and locked: ask partner staff to unlock it first.")
        )
    events.emit(events.DELETED, reading)  # as it was, before it is gone
    delete_as(reading, acting_user)


# --- The materialised latest follow-up per enterprise and KPI (KPILatest) ------------------

_READING_COLUMNS = ("pk", "enterprise_id", "kpi_id", "kind", "period_end", "value")
REBUILD_CHUNK = 1000  # enterprises per transaction of a rebuild


def latest_pairs(readings: Iterable[tuple]) -> list[KPILatest]:
    """The KPILatest rows of some readings, given as tuples of ``_READING_COLUMNS`` in any
    order: per enterprise and KPI the baseline, and the follow-up with the latest
    ``period_end`` (then the highest id) with the number of follow-ups."""
    pairs: dict[tuple[int, int], KPILatest] = {}
    latest_key: dict[tuple[int, int], tuple] = {}
    for pk, enterprise_id, kpi_id, kind, period_end, value in readings:
        key = (enterprise_id, kpi_id)
        pair = pairs.get(key)
        if pair is None:
            pair = pairs[key] = KPILatest(enterprise_id=enterprise_id, kpi_id=kpi_id)
        if kind == KPIReading.Kind.BASELINE:
            pair.baseline_id, pair.baseline_value = pk, value
            continue
        pair.follow_ups += 1
        if key not in latest_key or (period_end, pk) > latest_key[key]:
            latest_key[key] = (period_end, pk)
            pair.latest_id, pair.latest_value = pk, value
    return list(pairs.values())


def kpi_latest_refresh(*, enterprise_ids: Iterable[int | None]) -> None:
    """Rewrite the KPILatest rows of these enterprises from their readings. Locks the
    enterprises' rows first, so two writers of the same enterprise (or a rebuild) take turns
    and the last one to commit has seen the other's readings. Four queries."""
    ids = sorted({pk for pk in enterprise_ids if pk is not None})
    if not ids:
        return
    with transaction.atomic():
        ids = list(
            Enterprise.objects.select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        readings = KPIReading.objects.filter(enterprise_id__in=ids).order_by()
        pairs = latest_pairs(readings.values_list(*_READING_COLUMNS))
        KPILatest.objects.filter(enterprise_id__in=ids).delete()
        KPILatest.objects.bulk_create(pairs)
        figures_changed()  # bulk writes send no signals


def kpi_latest_rebuild(*, chunk: int = REBUILD_CHUNK) -> int:
    """Rebuild every KPILatest row from the readings (repair, or after a bulk load that
    bypassed the model's signals), a chunk of enterprises per transaction; safe to run while
    people record readings, and as often as wanted. Returns the number of rows."""
    KPILatest.objects.exclude(enterprise_id__in=KPIReading.objects.values("enterprise_id")).delete()
    enterprise_ids = list(
        KPIReading.objects.order_by("enterprise_id")
        .values_list("enterprise_id", flat=True)
        .distinct()
    )
    for start in range(0, len(enterprise_ids), chunk):
        kpi_latest_refresh(enterprise_ids=enterprise_ids[start : start + chunk])
    return KPILatest.objects.count()


def reading_saved(sender, instance: KPIReading, raw=False, **kwargs) -> None:
    """post_save of KPIReading, whoever saves it (these services, the admin, an import, a
    sync): refresh the pairs it belongs to, unless nothing they depend on changed."""
    if raw:
        return  # loaddata: run kpi_latest_rebuild afterwards
    loaded = getattr(instance, "_loaded_pair_key", None)
    current = instance.pair_key()
    if loaded is not None and loaded == current:
        return
    kpi_latest_refresh(enterprise_ids=[instance.enterprise_id, *(loaded[:1] if loaded else [])])
    instance._loaded_pair_key = current  # type: ignore[attr-defined]


def reading_deleted(sender, instance: KPIReading, origin=None, **kwargs) -> None:
    """post_delete of KPIReading: refresh its enterprise's pairs, unless the delete comes
    from deleting the enterprise or the KPI (the pairs go with it by CASCADE)."""
    model = origin.model if isinstance(origin, models.QuerySet) else type(origin)
    if origin is not None and model is not KPIReading:
        return
    kpi_latest_refresh(enterprise_ids=[instance.enterprise_id])
