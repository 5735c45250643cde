"""Writes for workshops: schedule, invite, cancel, close as held. Each runs in one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enrolment
from enterprises.services.enrolments import enrolment_transition
from score_portal.access import Perm
from score_portal.services import (
    assign,
    require,
    save_as,
)

from ..models import Attendance, Workshop

WORKSHOP_FIELDS = (
    "module",
    "title",
    "start_date",
    "end_date",
    "venue",
    "city",
    "capacity",
    "status",
    "notes",
)


@transaction.atomic
def workshop_save(
    *, acting_user, partner=None, workshop: Workshop | None = None, **data
) -> Workshop:
    """Schedule a workshop for ``partner`` or change one. Held and cancelled workshops keep
    their module; their dates can still be corrected."""
    workshop = workshop or Workshop(partner=partner)
    require(acting_user, Perm.CHANGE, workshop.partner_id)
    if (
        workshop.pk
        and workshop.invitations.exists()
        and "module" in data
        and data["module"] != workshop.module
    ):
        raise ValidationError(
            {"module": _("Enterprises are already invited: the module can no longer change.")}
        )
    if (
        data.get("status") in {Workshop.Status.HELD, Workshop.Status.CANCELLED}
        and data.get("status") != workshop.status
    ):
        raise ValidationError(
            {"status": _("Use “Complete the workshop” or “Cancel the workshop” for this.")}
        )
    assign(workshop, data, WORKSHOP_FIELDS)
    workshop.full_clean()
    save_as(workshop, acting_user)
    return workshop


@transaction.atomic
def workshop_invite(*, acting_user, workshop: Workshop, enrolments) -> int:
    """Invite enterprises through their open enrolments in the workshop's module."""
    require(acting_user, Perm.CHANGE, workshop.partner_id)
    if workshop.status in {Workshop.Status.HELD, Workshop.Status.CANCELLED}:
        raise ValidationError(_("This workshop is closed."))
    added = 0
    for enrolment in enrolments:
        if (
            enrolment.module_id != workshop.module_id
            or not enrolment.is_open
            or enrolment.enterprise.partner_id != workshop.partner_id
        ):
            raise ValidationError(
                _("%(enterprise)s has no open enrolment in %(module)s with this partner.")
                % {"enterprise": enrolment.enterprise, "module": workshop.module.code}
            )
        if not workshop.invitations.filter(pk=enrolment.pk).exists():
            workshop.invitations.add(enrolment)
            added += 1
    return added


@transaction.atomic
def workshop_cancel(*, acting_user, workshop: Workshop, reason: str) -> Workshop:
    require(acting_user, Perm.CHANGE, workshop.partner_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    if workshop.status == Workshop.Status.HELD:
        raise ValidationError(_("A workshop that was held cannot be cancelled."))
    workshop.status, workshop.cancellation_reason = Workshop.Status.CANCELLED, reason
    workshop.full_clean()
    save_as(workshop, acting_user)
    return workshop


def attending_enrolments(workshop: Workshop) -> list[Enrolment]:
    """Enrolments with at least one participant present on at least one day."""
    return list(
        Enrolment.objects.filter(
            participants__workshop=workshop, participants__attendance__present=True
        )
        .select_related("module", "enterprise")
        .distinct()
    )


@transaction.atomic
def workshop_mark_held(*, acting_user, workshop: Workshop) -> list[Enrolment]:
    """Close a workshop as held and move the attending enterprises' enrolments to "in
    consulting". Visit planning is done by the layer that owns visits (trainers)."""
    require(acting_user, Perm.CHANGE, workshop.partner_id)
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if workshop.status in {Workshop.Status.HELD, Workshop.Status.CANCELLED}:
        raise ValidationError(_("This workshop is already closed."))
    if workshop.end_date > timezone.localdate():
        raise ValidationError(
            _("The workshop's last day has not come yet: complete it after it is held.")
        )
    if not Attendance.objects.filter(participant__workshop=workshop).exists():
        raise ValidationError(_("Record the attendance before completing the workshop."))
    attending = attending_enrolments(workshop)
    for enrolment in attending:
        if enrolment.status in {
            Enrolment.Status.APPLIED,
            Enrolment.Status.ENROLLED,
            Enrolment.Status.IN_TRAINING,
        }:
            enrolment_transition(
                acting_user=acting_user,
                enrolment=enrolment,
                status=Enrolment.Status.IN_CONSULTING,
                on_date=workshop.end_date,
            )
    workshop.status, workshop.completed_at = Workshop.Status.HELD, timezone.now()
    save_as(workshop, acting_user)
    return attending
