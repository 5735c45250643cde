"""Writes for workshops, participants and attendance. Each runs in one transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enrolment
from enterprises.services.enrolments import enrolment_transition
from score_portal.access import Perm, scope
from score_portal.services import (
    assign,
    bulk_create_as,
    bulk_update_as,
    delete_as,
    require,
    save_as,
)

from .models import Attendance, Participant, Workshop

WORKSHOP_FIELDS = ("module", "title", "start_date", "end_date", "venue", "city", "capacity",
                   "status", "notes")
PARTICIPANT_FIELDS = ("name", "sex", "level", "position", "phone")


@transaction.atomic
def workshop_save(*, acting_user, partner=None, workshop: Workshop | None = None,
                  **data) -> Workshop:
    """Schedule a workshop for ``partner`` or change one. Held and cancelled workshops keep
    their module; their dates can still be corrected."""
    workshop = workshop or Workshop(partner=partner)
    require(acting_user, Perm.CHANGE, workshop.partner_id)
    if workshop.pk and workshop.invitations.exists() and "module" in data \
            and data["module"] != workshop.module:
        raise ValidationError({"module": _(
            "Enterprises are already invited: the module can no longer change.")})
    if data.get("status") in {Workshop.Status.HELD, Workshop.Status.CANCELLED} \
            and data.get("status") != workshop.status:
        raise ValidationError({"status": _(
            "Use “Complete the workshop” or “Cancel the workshop” for this.")})
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
        if (enrolment.module_id != workshop.module_id or not enrolment.is_open
                or enrolment.enterprise.partner_id != workshop.partner_id):
            raise ValidationError(_(
                "%(enterprise)s has no open enrolment in %(module)s with this partner.") % {
                    "enterprise": enrolment.enterprise, "module": workshop.module.code})
        if not workshop.invitations.filter(pk=enrolment.pk).exists():
            workshop.invitations.add(enrolment)
            added += 1
    return added


@transaction.atomic
def participant_save(*, acting_user, workshop: Workshop, enrolment: Enrolment | None = None,
                     participant: Participant | None = None, **data) -> Participant:
    """Add a member of an invited enterprise's delegation (or correct one).

    The workshop's row is locked before its participants are counted, so two additions at
    the same moment are serialised and cannot overbook it; the capacity is read from the
    locked row, not from the caller's copy."""
    require(acting_user, Perm.CHANGE, workshop.partner_id)
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if participant is None:
        if not workshop.invitations.filter(pk=enrolment.pk).exists():
            raise ValidationError(_("Invite the enterprise to this workshop first."))
        if workshop.participants.count() >= workshop.capacity:
            raise ValidationError(_("The workshop is full (capacity %(capacity)d).")
                                  % {"capacity": workshop.capacity})
        participant = Participant(workshop=workshop, enrolment=enrolment)
    assign(participant, data, PARTICIPANT_FIELDS)
    participant.full_clean()
    save_as(participant, acting_user)
    return participant


@transaction.atomic
def participant_delete(*, acting_user, participant: Participant) -> None:
    require(acting_user, Perm.CHANGE, participant.workshop.partner_id)
    if participant.attendance.filter(present=True).exists():
        raise ValidationError(_("This participant has attendance recorded."))
    delete_as(participant, acting_user)


@transaction.atomic
def attendance_record(*, acting_user, workshop: Workshop, present: set[tuple[int, object]]
                      ) -> int:
    """Record the whole attendance grid at once: ``present`` holds the (participant id, day)
    pairs ticked; every other cell of the grid is recorded as absent. Partner staff and the
    workshop's trainers may record it. Returns the number of cells that changed."""
    require(acting_user, Perm.RECORD, workshop.partner_id)
    if not scope(acting_user, Workshop.objects.filter(pk=workshop.pk)).exists():
        raise PermissionDenied  # a trainer records only for workshops they teach
    if workshop.status == Workshop.Status.CANCELLED:
        raise ValidationError(_("This workshop was cancelled."))
    days = set(workshop.days)
    participants = list(workshop.participants.values_list("pk", flat=True))
    bad = [(pid, day) for pid, day in present if pid not in participants or day not in days]
    if bad:
        raise ValidationError(_("Attendance can only be recorded for this workshop's "
                                "participants and days."))
    existing = {(a.participant_id, a.day): a for a in
                Attendance.objects.filter(participant__workshop=workshop)}
    changed, create, update = 0, [], []
    for pid in participants:
        for day in days:
            mark = (pid, day) in present
            row = existing.get((pid, day))
            if row is None:
                create.append(Attendance(participant_id=pid, day=day, present=mark,
                                         recorded_by=acting_user))
                changed += mark
            elif row.present != mark:
                row.present, row.recorded_by = mark, acting_user
                update.append(row)
                changed += 1
    bulk_create_as(Attendance, create, acting_user)
    bulk_update_as(Attendance, update, ["present", "recorded_by"], acting_user)
    return changed


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
    return list(Enrolment.objects.filter(
        participants__workshop=workshop, participants__attendance__present=True)
        .select_related("module", "enterprise").distinct())


@transaction.atomic
def workshop_mark_held(*, acting_user, workshop: Workshop) -> list[Enrolment]:
    """Close a workshop as held and move the attending enterprises' enrolments to "in
    consulting". Visit planning is done by the layer that owns visits (trainers)."""
    require(acting_user, Perm.CHANGE, workshop.partner_id)
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if workshop.status in {Workshop.Status.HELD, Workshop.Status.CANCELLED}:
        raise ValidationError(_("This workshop is already closed."))
    if workshop.end_date > timezone.localdate():
        raise ValidationError(_("The workshop's last day has not come yet: complete it "
                                "after it is held."))
    if not Attendance.objects.filter(participant__workshop=workshop).exists():
        raise ValidationError(_("Record the attendance before completing the workshop."))
    attending = attending_enrolments(workshop)
    for enrolment in attending:
        if enrolment.status in {Enrolment.Status.APPLIED, Enrolment.Status.ENROLLED,
                                Enrolment.Status.IN_TRAINING}:
            enrolment_transition(acting_user=acting_user, enrolment=enrolment,
                                 status=Enrolment.Status.IN_CONSULTING,
                                 on_date=workshop.end_date)
    workshop.status, workshop.completed_at = Workshop.Status.HELD, timezone.now()
    save_as(workshop, acting_user)
    return attending


@transaction.atomic
def delegation_add(*, acting_user, workshop: Workshop, enrolment: Enrolment,
                   people: list[dict]) -> list[Participant]:
    """Add several participants of one enterprise at once: all or none."""
    return [participant_save(acting_user=acting_user, workshop=workshop, enrolment=enrolment,
                             **person) for person in people]
