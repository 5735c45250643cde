"""Writes for consulting visits: planning them after a workshop, recording (with the
actions agreed and the review of the last visit's open actions) and cancelling."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from enterprises.models import Enrolment
from enterprises.services.kpi import kpi_reading_record
from score_portal import events
from score_portal.access import Perm, can, scope
from score_portal.services import assign, bulk_create_as, require, save_as
from score_portal.uploads import check_upload
from score_portal.workdays import is_working_day, next_working_day, working_days_after

from ..models import VISIT_FILE_EXTENSIONS, ConsultingVisit, Trainer, VisitAction, VisitFile
from .assignments import assignment_ensure

VISIT_FIELDS = (
    "visit_date",
    "duration_hours",
    "mode",
    "co_visitor",
    "topics",
    "findings",
    "next_visit_date",
)


def _require_visit_recorder(user, enrolment: Enrolment) -> None:
    """Partner staff, or a trainer assigned to this enrolment."""
    require(user, Perm.RECORD, enrolment.enterprise.partner_id)
    if not scope(user, Enrolment.objects.filter(pk=enrolment.pk)).exists():
        raise PermissionDenied


CLOSED_ENROLMENT = (Enrolment.Status.COMPLETED, Enrolment.Status.WITHDRAWN)


def enrolment_takes_visits(enrolment: Enrolment) -> bool:
    """A completed or withdrawn enrolment takes no new visits (recorded ones can still be
    corrected by partner staff)."""
    return enrolment.status not in CLOSED_ENROLMENT


def open_actions_before(visit: ConsultingVisit) -> list[VisitAction]:
    """Open actions agreed on earlier visits of the same enrolment: shown on the next visit
    to mark done or not done."""
    return list(
        VisitAction.objects.filter(
            visit__enrolment_id=visit.enrolment_id,
            status=VisitAction.Status.OPEN,
            visit__number__lt=visit.number,
        )
        .select_related("visit")
        .order_by("due_date", "pk")
    )


def next_visit(enrolment: Enrolment, trainer: Trainer) -> ConsultingVisit:
    """The visit to record now: the earliest planned one, else a new one numbered next."""
    planned = (
        enrolment.visits.filter(status=ConsultingVisit.Status.PLANNED).order_by("number").first()
    )
    if planned:
        return planned
    number = (enrolment.visits.aggregate(n=Max("number"))["n"] or 0) + 1
    return ConsultingVisit(enrolment=enrolment, trainer=trainer, number=number)


def plan_visits(
    *, acting_user, enrolment: Enrolment, after: datetime.date, default_trainer: Trainer | None
) -> list[ConsultingVisit]:
    """Plan the module's visits after ``after`` (a workshop's last day), numbered after the
    visits the enrolment already has, for its assigned consultant (else the default), each on
    the module's day offset or the next working day (never a weekend or a public holiday)."""
    assignment = enrolment.assignments.select_related("trainer").first()
    trainer = assignment.trainer if assignment else default_trainer
    if trainer is None:
        return []
    if assignment is None:
        assignment_ensure(acting_user=acting_user, enrolment=enrolment, trainer=trainer)
    already_planned = enrolment.visits.filter(status=ConsultingVisit.Status.PLANNED).count()
    start = (enrolment.visits.aggregate(n=Max("number"))["n"] or 0) + 1
    offsets = enrolment.module.visit_plan()[already_planned:]
    visits = [
        ConsultingVisit(
            enrolment=enrolment, trainer=trainer, number=start + index, planned_date=day
        )
        for index, day in enumerate(working_days_after(after, offsets))
    ]
    planned = bulk_create_as(ConsultingVisit, visits, acting_user)
    events.emit_many(events.CREATED, planned)
    return planned


@transaction.atomic
def visit_record(
    *,
    acting_user,
    visit: ConsultingVisit,
    eit_present=(),
    actions=(),
    reviews: dict | None = None,
    **data,
) -> ConsultingVisit:
    """Record a visit (a planned one becomes recorded; a new one is created).

    ``actions``: dicts with description, owner, due_date for the actions agreed.
    ``reviews``: {action id: "done" | "not_done"} for the open actions of earlier visits.
    A next visit date moves the next planned visit there, or plans one."""
    enrolment = visit.enrolment
    _require_visit_recorder(acting_user, enrolment)
    created = visit.pk is None
    if visit.pk:
        visit = ConsultingVisit.objects.select_for_update().get(pk=visit.pk)
        if visit.status == ConsultingVisit.Status.CANCELLED:
            raise ValidationError(_("This visit was cancelled."))
    if visit.pk is None and not enrolment_takes_visits(enrolment):
        raise ValidationError(
            _("This enrolment is %(status)s: it takes no more visits.")
            % {"status": enrolment.get_status_display()}
        )
    trainer = getattr(acting_user, "trainer", None)
    if trainer is not None and visit.status == ConsultingVisit.Status.PLANNED:
        visit.trainer = trainer
    assign(visit, data, VISIT_FIELDS)
    if visit.visit_date is None:
        raise ValidationError({"visit_date": _("Give the date of the visit.")})
    if visit.visit_date > timezone.localdate():
        raise ValidationError({"visit_date": _("A visit cannot be recorded in the future.")})
    if visit.next_visit_date and visit.next_visit_date <= visit.visit_date:
        raise ValidationError({"next_visit_date": _("The next visit must come after this one.")})
    if visit.next_visit_date and not is_working_day(visit.next_visit_date):
        raise ValidationError(
            {
                "next_visit_date": _(
                    "%(day)s is a weekend day or a public holiday: plan the next visit on a "
                    "working day, for example %(next)s."
                )
                % {
                    "day": formats.date_format(visit.next_visit_date, "SHORT_DATE_FORMAT"),
                    "next": formats.date_format(
                        next_working_day(visit.next_visit_date), "SHORT_DATE_FORMAT"
                    ),
                }
            }
        )
    visit.status = ConsultingVisit.Status.RECORDED
    visit.recorded_by, visit.recorded_at = acting_user, timezone.now()
    visit.full_clean()
    save_as(visit, acting_user)
    visit.eit_present.set([m for m in eit_present if m.enterprise_id == enrolment.enterprise_id])
    for action in actions:
        item = VisitAction(visit=visit, **action)
        item.full_clean()
        save_as(item, acting_user)
    reviewable = {a.pk: a for a in open_actions_before(visit)}
    for action_id, status in (reviews or {}).items():
        action = reviewable.get(int(action_id))
        if action is None or status not in {VisitAction.Status.DONE, VisitAction.Status.NOT_DONE}:
            continue
        action.status, action.reviewed_on = status, visit
        save_as(action, acting_user)
    events.emit(events.CREATED if created else events.UPDATED, visit)
    if visit.next_visit_date:
        _schedule_next(visit, acting_user)
    return visit


class ReadingErrors(ValidationError):
    """Some readings of a visit were refused: ``rows`` maps each row's key to its error."""

    def __init__(self, rows: dict):
        super().__init__(_("Some KPI readings need attention: see below."))
        self.rows = rows


MAX_VISIT_FILES = 10


@transaction.atomic
def visit_files_add(*, acting_user, visit: ConsultingVisit, files=()) -> list[VisitFile]:
    """Keep photos or evidence files of a recorded visit (checked like every upload)."""
    _require_visit_recorder(acting_user, visit.enrolment)
    files = list(files)
    if len(files) + visit.files.count() > MAX_VISIT_FILES:
        raise ValidationError(
            {"photos": _("At most %(n)d files per visit.") % {"n": MAX_VISIT_FILES}}
        )
    saved = []
    for upload in files:
        try:
            check_upload(upload, allowed=VISIT_FILE_EXTENSIONS)
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from None
        item = VisitFile(
            visit=visit, file=upload, name=(upload.name or "")[-100:], uploaded_by=acting_user
        )
        item.full_clean()
        saved.append(save_as(item, acting_user))
    return saved


@transaction.atomic
def visit_record_with_readings(
    *, acting_user, visit: ConsultingVisit, readings=(), files=(), **visit_data
) -> tuple[ConsultingVisit, list]:
    """Record a visit and the KPI readings collected on it, all or nothing.

    ``readings``: (key, data) pairs, data as ``kpi_reading_record`` takes it (kpi, kind,
    period, value, evidence, confirm_unusual, unusual_reason). Every reading is tried, so
    that each refused one is reported (``ReadingErrors``, keyed like the input); then
    nothing is kept. The events are handed over together (one call for the visit, one for
    all its readings), and not at all when nothing is kept."""
    with events.batched():
        visit = visit_record(acting_user=acting_user, visit=visit, **visit_data)
        if files:
            visit_files_add(acting_user=acting_user, visit=visit, files=files)
        enterprise = visit.enrolment.enterprise
        saved, errors = [], {}
        for key, data in readings:
            try:
                saved.append(
                    kpi_reading_record(acting_user=acting_user, enterprise=enterprise, **data)
                )
            except ValidationError as exc:
                errors[key] = exc
        if errors:
            raise ReadingErrors(errors)
    return visit, saved


def _schedule_next(visit: ConsultingVisit, acting_user) -> None:
    following = (
        visit.enrolment.visits.filter(
            status=ConsultingVisit.Status.PLANNED, number__gt=visit.number
        )
        .order_by("number")
        .first()
    )
    if following:
        following.planned_date = visit.next_visit_date
        save_as(following, acting_user, update_fields=["planned_date"])
        events.emit(events.UPDATED, following)
    else:
        number = (visit.enrolment.visits.aggregate(n=Max("number"))["n"] or 0) + 1
        planned = ConsultingVisit(
            enrolment=visit.enrolment,
            trainer=visit.trainer,
            number=number,
            planned_date=visit.next_visit_date,
        )
        save_as(planned, acting_user)
        events.emit(events.CREATED, planned)


@transaction.atomic
def visit_cancel(*, acting_user, visit: ConsultingVisit, reason: str) -> ConsultingVisit:
    _require_visit_recorder(acting_user, visit.enrolment)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    visit = ConsultingVisit.objects.select_for_update().get(pk=visit.pk)
    if visit.status != ConsultingVisit.Status.PLANNED:
        raise ValidationError(_("Only a planned visit can be cancelled."))
    visit.status, visit.cancellation_reason = ConsultingVisit.Status.CANCELLED, reason
    visit.full_clean()
    save_as(visit, acting_user)
    events.emit(events.UPDATED, visit)
    return visit


@transaction.atomic
def action_progress_report(*, acting_user, action: VisitAction, note: str, proposed_status: str):
    """The enterprise's contact reports progress on an action agreed at a visit: a note and
    the status they propose. The action itself changes only at a visit or by staff; staff
    and the trainer read the report on the visit."""
    from ..models import ActionProgress

    if not can(acting_user, Perm.SUBMIT, action):
        raise PermissionDenied
    report = ActionProgress(
        action=action, note=note.strip(), proposed_status=proposed_status, submitted_by=acting_user
    )
    report.full_clean()
    return save_as(report, acting_user)
