"""Writes for enrolments. Each runs in one transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Module
from catalogue.selectors import entry_module
from score_portal import events
from score_portal.access import Perm, access_for
from score_portal.figures_cache import figures_changed
from score_portal.services import assign, require, save_as

from ..models import Enrolment, Enterprise, enterprise_status_for

ENROLMENT_PAYMENT_FIELDS = (
    "currency",
    "paid_enterprise",
    "paid_sponsor",
    "paid_government",
    "paid_ilo",
)


def _entry_rule_applies(enterprise, module) -> bool:
    """True when ``module`` is not the entry module and the enterprise has not (yet) taken the
    entry module: it would start in the wrong place."""
    entry = entry_module()
    if entry is None or module.pk == entry.pk:
        return False
    return (
        not Enrolment.objects.filter(enterprise=enterprise, module=entry)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .exists()
    )


@transaction.atomic
def enrolment_create(
    *,
    acting_user,
    enterprise,
    module: Module,
    applied_on=None,
    status: str = Enrolment.Status.APPLIED,
    override_reason: str = "",
    **data,
) -> Enrolment:
    """Enrol an enterprise in a module.

    Rules: no second open enrolment in the same module; the entry module (M1) comes first
    unless a programme manager overrides with a reason. Partner staff create enrolments of
    their partner; a programme manager may create one only as such an override."""
    access = access_for(acting_user)
    override_reason = (override_reason or "").strip()
    needs_override = _entry_rule_applies(enterprise, module)
    may_override = access.has_perm(Perm.OVERRIDE) and needs_override
    if not access.has_perm(Perm.CHANGE, enterprise.partner_id) and not may_override:
        raise PermissionDenied
    if not module.is_active:
        raise ValidationError({"module": _("This module is no longer offered.")})
    if needs_override:
        if not access.has_perm(Perm.OVERRIDE):
            raise ValidationError(
                {
                    "module": _(
                        "%(entry)s comes first: enrol the enterprise in it before %(module)s, "
                        "or ask a programme manager to override."
                    )
                    % {"entry": Module.objects.get(is_entry=True).code, "module": module.code}
                }
            )
        if not override_reason:
            raise ValidationError(
                {
                    "override_reason": _(
                        "Give the reason for starting with a module other than the entry module."
                    )
                }
            )
    if Enrolment.objects.filter(
        enterprise=enterprise, module=module, status__in=Enrolment.OPEN_STATUSES
    ).exists():
        raise ValidationError(
            {
                "module": _("This enterprise already has an open enrolment in %(module)s.")
                % {"module": module.code}
            }
        )
    today = timezone.localdate()
    enrolment = Enrolment(
        enterprise=enterprise, module=module, status=status, applied_on=applied_on or today
    )
    if status != Enrolment.Status.APPLIED:
        enrolment.enrolled_on = data.pop("enrolled_on", None) or enrolment.applied_on
    if needs_override:
        enrolment.entry_override_reason = override_reason
        enrolment.entry_overridden_by = acting_user
    assign(enrolment, data, ENROLMENT_PAYMENT_FIELDS + ("completed_on", "withdrawal_reason"))
    enrolment.full_clean()
    save_as(enrolment, acting_user)
    events.emit(events.CREATED, enrolment)
    enterprise_status_follow(acting_user=acting_user, enterprise_id=enrolment.enterprise_id)
    return enrolment


@transaction.atomic
def enrolment_update(*, acting_user, enrolment: Enrolment, **data) -> Enrolment:
    """Correct an enrolment's dates and payments (not its status: see enrolment_transition)."""
    require(acting_user, Perm.CHANGE, enrolment.enterprise.partner_id)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    fields = ENROLMENT_PAYMENT_FIELDS + ("applied_on", "enrolled_on", "completed_on")
    if not assign(enrolment, data, fields):
        return enrolment  # nothing changed: no save, no history row, no "updated" webhook
    enrolment.full_clean()
    save_as(enrolment, acting_user)
    events.emit(events.UPDATED, enrolment)
    return enrolment


@transaction.atomic
def enrolment_transition(
    *, acting_user, enrolment: Enrolment, status: str, on_date=None, reason: str = ""
) -> Enrolment:
    """Move an enrolment forward along applied → enrolled → in training → in consulting →
    completed, or withdraw it (a reason is required). Dates are set on the way."""
    require(acting_user, Perm.CHANGE, enrolment.enterprise.partner_id)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if status not in enrolment.next_statuses():
        raise ValidationError(
            {
                "status": _("An enrolment that is %(current)s cannot become %(new)s.")
                % {
                    "current": enrolment.get_status_display(),
                    "new": Enrolment.Status(status).label
                    if status in Enrolment.Status.values
                    else status,
                }
            }
        )
    on_date = on_date or timezone.localdate()
    if status == Enrolment.Status.WITHDRAWN:
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": _("Give the reason for the withdrawal.")})
        enrolment.withdrawal_reason, enrolment.withdrawn_on = reason, on_date
    elif status == Enrolment.Status.COMPLETED:
        enrolment.completed_on = on_date
    if status != Enrolment.Status.WITHDRAWN and enrolment.enrolled_on is None:
        enrolment.enrolled_on = on_date
    enrolment.status = status
    enrolment.full_clean()
    save_as(enrolment, acting_user)
    events.emit(events.UPDATED, enrolment)
    enterprise_status_follow(acting_user=acting_user, enterprise_id=enrolment.enterprise_id)
    return enrolment


@transaction.atomic
def enterprise_status_follow(*, acting_user, enterprise_id: int) -> Enterprise:
    """Give the enterprise the status its enrolments call for (``enterprise_status_for``),
    with a history row by ``acting_user`` when it changes. Called by every service that
    creates an enrolment or changes its status; locks the enterprise row."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise_id)
    status = enterprise_status_for(
        Enrolment.objects.filter(enterprise_id=enterprise_id).values_list("status", flat=True),
        enterprise.status,
    )
    if status != enterprise.status:
        enterprise.status = status
        enterprise.version += 1
        enterprise.full_clean()
        save_as(enterprise, acting_user)
        events.emit(events.UPDATED, enterprise)
    return enterprise


def enterprise_statuses_sync(*, enterprise_ids=None) -> int:
    """Repair: give every enterprise (or these) the status its enrolments call for, in a
    few grouped queries (for the demo data and ``manage.py enterprise_statuses_sync``); no
    history rows (it corrects derived data), an ``updated`` event for each enterprise
    changed. Returns how many changed."""
    enterprises = Enterprise.objects.order_by()
    if enterprise_ids is not None:
        enterprises = enterprises.filter(pk__in=list(enterprise_ids))
    statuses: dict[int, set[str]] = {}
    enrolments = Enrolment.objects.filter(enterprise__in=enterprises.values("pk")).order_by()
    for enterprise_id, status in enrolments.values_list("enterprise_id", "status").distinct():
        statuses.setdefault(enterprise_id, set()).add(status)
    changes: dict[str, list[int]] = {}
    for pk, current in enterprises.values_list("pk", "status"):
        status = enterprise_status_for(statuses.get(pk, ()), current)
        if status != current:
            changes.setdefault(status, []).append(pk)
    with transaction.atomic():
        if changes:
            figures_changed()  # a queryset update sends no signals
        for status, ids in changes.items():
            for start in range(0, len(ids), 5000):
                Enterprise.objects.filter(pk__in=ids[start : start + 5000]).update(
                    status=status, version=F("version") + 1
                )
        changed = sorted(pk for ids in changes.values() for pk in ids)
        # the records as they are now, a chunk per query, announced in one call
        events.emit_many(
            events.UPDATED,
            (
                enterprise
                for start in range(0, len(changed), 5000)
                for enterprise in Enterprise.objects.filter(pk__in=changed[start : start + 5000])
            ),
        )
    return sum(len(ids) for ids in changes.values())
