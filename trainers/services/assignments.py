"""Writes for consultant assignments (which trainer consults on an enrolment)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from enterprises.models import Enrolment
from score_portal import events
from score_portal.access import Perm
from score_portal.services import delete_as, require, save_as

from ..models import Assignment, ConsultingVisit, Trainer


def assignment_ensure(*, acting_user, enrolment: Enrolment, trainer: Trainer) -> Assignment:
    """The trainer's assignment to the enrolment, created (with its author in the history)
    when missing. For the services of this app, which check the acting user's rights."""
    assignment = Assignment.objects.filter(trainer=trainer, enrolment=enrolment).first()
    if assignment is not None:
        return assignment
    try:
        with transaction.atomic():
            return save_as(
                Assignment(trainer=trainer, enrolment=enrolment, assigned_by=acting_user),
                acting_user,
            )
    except IntegrityError:  # assigned at the same moment by someone else
        return Assignment.objects.get(trainer=trainer, enrolment=enrolment)


@transaction.atomic
def assignment_add(*, acting_user, enrolment: Enrolment, trainer: Trainer) -> Assignment:
    require(acting_user, Perm.CHANGE, enrolment.enterprise.partner_id)
    if enrolment.enterprise.partner_id not in trainer.partner_ids():
        raise ValidationError(
            {"trainer": _("%(name)s does not serve this partner.") % {"name": trainer}}
        )
    if not trainer.is_active:
        raise ValidationError({"trainer": _("%(name)s is not active.") % {"name": trainer}})
    already = Assignment.objects.filter(trainer=trainer, enrolment=enrolment).exists()
    assignment = assignment_ensure(acting_user=acting_user, enrolment=enrolment, trainer=trainer)
    planned = ConsultingVisit.objects.filter(
        enrolment=enrolment, status=ConsultingVisit.Status.PLANNED
    ).exclude(trainer=trainer)
    if already:
        # Re-assigning changes nothing but visits left without a consultant of the enrolment.
        planned = planned.exclude(trainer__assignments__enrolment=enrolment)
    # Staff assigning another consultant hand over the visits still planned (the lead trainer
    # who planned them at the workshop's completion stays assigned, and keeps the recorded ones).
    _move_planned(acting_user, planned, trainer)
    return assignment


def _move_planned(acting_user, visits, trainer: Trainer) -> None:
    """Give planned visits to another consultant, each change in the visit's history,
    announced in one ``updated`` event call."""
    moved = []
    for visit in visits.select_for_update():
        visit.trainer = trainer
        save_as(visit, acting_user, update_fields=["trainer"])
        moved.append(visit)
    events.emit_many(events.UPDATED, moved)


@transaction.atomic
def assignment_remove(*, acting_user, assignment: Assignment) -> None:
    require(acting_user, Perm.CHANGE, assignment.enrolment.enterprise.partner_id)
    remaining = assignment.enrolment.assignments.exclude(pk=assignment.pk).first()
    planned = ConsultingVisit.objects.filter(
        enrolment=assignment.enrolment,
        trainer=assignment.trainer,
        status=ConsultingVisit.Status.PLANNED,
    )
    if remaining:
        _move_planned(acting_user, planned, remaining.trainer)
    elif planned.exists():
        raise ValidationError(
            _("Assign another consultant first: %(name)s still has planned visits here.")
            % {"name": assignment.trainer}
        )
    delete_as(assignment, acting_user)
