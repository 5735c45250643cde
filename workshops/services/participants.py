"""Writes for participants and their attendance. Each runs in one transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from enterprises.models import Enrolment
from score_portal import events
from score_portal.access import Perm, scope
from score_portal.services import (
    assign,
    bulk_create_as,
    bulk_update_as,
    delete_as,
    require,
    save_as,
)

from ..models import Attendance, Participant, Workshop

PARTICIPANT_FIELDS = ("name", "sex", "level", "position", "phone")


@transaction.atomic
def participant_save(
    *,
    acting_user,
    workshop: Workshop,
    enrolment: Enrolment | None = None,
    participant: Participant | None = None,
    **data,
) -> Participant:
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
            raise ValidationError(
                _("The workshop is full (capacity %(capacity)d).") % {"capacity": workshop.capacity}
            )
        participant = Participant(workshop=workshop, enrolment=enrolment)
    created = participant.pk is None
    assign(participant, data, PARTICIPANT_FIELDS)
    participant.full_clean()
    save_as(participant, acting_user)
    events.emit(events.CREATED if created else events.UPDATED, participant)
    return participant


@transaction.atomic
def participant_delete(*, acting_user, participant: Participant) -> None:
    require(acting_user, Perm.CHANGE, participant.workshop.partner_id)
    if participant.attendance.filter(present=True).exists():
        raise ValidationError(_("This participant has attendance recorded."))
    # as they were, before they are gone (the absent marks go with the participant)
    events.emit_many(events.DELETED, participant.attendance.all())
    events.emit(events.DELETED, participant)
    delete_as(participant, acting_user)


@transaction.atomic
def delegation_add(
    *, acting_user, workshop: Workshop, enrolment: Enrolment, people: list[dict]
) -> list[Participant]:
    """Add several participants of one enterprise at once: all or none (their events
    handed over together)."""
    with events.batched():
        return [
            participant_save(
                acting_user=acting_user, workshop=workshop, enrolment=enrolment, **person
            )
            for person in people
        ]


@transaction.atomic
def attendance_record(
    *,
    acting_user,
    workshop: Workshop,
    present: set[tuple[int, object]] = frozenset(),  # type: ignore[assignment]
    statuses: dict[tuple[int, object], str] | None = None,
    everyone_present_on=None,
    only: set[int] | None = None,
    days: set | None = None,
) -> int:
    """Record the whole attendance grid at once. ``statuses`` maps (participant id, day) to
    present, late, excused or absent; ``present`` holds pairs ticked present (a grid of
    checkboxes); every other cell of the grid is recorded as absent. ``everyone_present_on``
    (a day of the workshop) then marks everyone present that day, except those marked late or
    excused. ``only`` and ``days`` narrow the grid to some participants and days (an
    imported attendance sheet): the other cells stay as they are. Partner staff and the
    workshop's trainers may record it. Returns the number of cells that changed."""
    require(acting_user, Perm.RECORD, workshop.partner_id)
    if not scope(acting_user, Workshop.objects.filter(pk=workshop.pk)).exists():
        raise PermissionDenied  # a trainer records only for workshops they teach
    if workshop.status == Workshop.Status.CANCELLED:
        raise ValidationError(_("This workshop was cancelled."))
    Status = Attendance.Status
    marks = dict.fromkeys(present, Status.PRESENT.value)
    marks.update(statuses or {})
    grid_days = set(workshop.days)
    participants = list(workshop.participants.values_list("pk", flat=True))
    if (only is not None and not set(only) <= set(participants)) or (
        days is not None and not set(days) <= grid_days
    ):
        raise ValidationError(
            _("Attendance can only be recorded for this workshop's participants and days.")
        )
    if only is not None:
        participants = [pid for pid in participants if pid in only]
    days = grid_days if days is None else set(days)
    bad = [(pid, day) for pid, day in marks if pid not in participants or day not in days]
    if bad or (everyone_present_on is not None and everyone_present_on not in days):
        raise ValidationError(
            _("Attendance can only be recorded for this workshop's participants and days.")
        )
    if any(status not in Status.values for status in marks.values()):
        raise ValidationError(_("Choose present, late, excused or absent for each day."))
    if everyone_present_on is not None:
        for pid in participants:
            key = (pid, everyone_present_on)
            if marks.get(key) not in (Status.LATE, Status.EXCUSED):
                marks[key] = Status.PRESENT
    existing = {
        (a.participant_id, a.day): a
        for a in Attendance.objects.filter(participant__workshop=workshop)
    }
    changed, create, update = 0, [], []
    for pid in participants:
        for day in days:
            status = marks.get((pid, day), Status.ABSENT)
            row = existing.get((pid, day))
            if row is None:
                row = Attendance(participant_id=pid, day=day, recorded_by=acting_user)
                row.set_status(status)
                create.append(row)
                changed += status != Status.ABSENT
            elif row.mark != status:
                row.set_status(status)
                row.recorded_by = acting_user
                update.append(row)
                changed += 1
    created = bulk_create_as(Attendance, create, acting_user)
    bulk_update_as(Attendance, update, ["status", "present", "recorded_by"], acting_user)
    events.emit_many(events.CREATED, created)
    events.emit_many(events.UPDATED, update)
    return changed
