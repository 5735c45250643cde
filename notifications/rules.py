"""The reminder rules: for a day, what should have been said to whom. Pure reads: each rule
returns candidates with a unique key; ``services.reminders_evaluate`` stores the new ones.

A rule fires on the first day its condition holds inside a window (not only on the exact
day), so a day beat missed is caught up the next day, and the unique key keeps it single.

- visit due in 2 days → the visit's trainer;
- visit overdue by 3 days → the trainer; overdue by 6 days (3 more) → the partner's staff;
- KPI follow-up due 6 and 12 months after the baseline period → the enterprise's consultants
  (the partner's staff when it has none);
- no baseline 30 days after the enterprise's first held workshop → the partner's staff;
- workshop tomorrow → the e-mail addresses of the invited enterprises (contact) and of the
  participants registered (with an .ics calendar file);
- trainer certification expiring in 90 and in 30 days → the trainer and the staff of the
  partners served.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Min

from enterprises.models import Enterprise, KPIReading
from score_portal.access import people_with_role
from score_portal.dates import add_months
from score_portal.models import Role
from trainers.models import Assignment, Certification, ConsultingVisit
from workshops.models import Workshop

from .models import Kind

CATCH_UP_DAYS = 7  # how late a missed reminder is still worth sending
DUE_SOON_DAYS = 2
OVERDUE_TRAINER_DAYS = 3
OVERDUE_STAFF_DAYS = 6
FOLLOW_UP_MONTHS = (6, 12)
NO_BASELINE_DAYS = 30
CERTIFICATION_DAYS = (90, 30)


@dataclass
class Candidate:
    key: str
    kind: str
    due_on: datetime.date
    subject_type: str
    subject_id: int
    params: dict
    user: object | None = None
    email: str = ""
    language: str = ""
    attach_ics: bool = field(default=False)


def user_language(user) -> str:
    profile = getattr(user, "profile", None)
    return (profile.language if profile else "") or settings.LANGUAGE_CODE


def _staff_of(partner_ids) -> list:
    return list(people_with_role(Role.PARTNER_STAFF, partner_ids).select_related("profile"))


def _for_user(user, **kwargs) -> Candidate:
    kwargs["key"] = f"{kwargs['key']}:u{user.pk}"
    return Candidate(user=user, email=user.email, language=user_language(user), **kwargs)


def visit_reminders(today: datetime.date) -> list[Candidate]:
    found = []
    planned = (
        ConsultingVisit.objects.filter(
            status=ConsultingVisit.Status.PLANNED,
            planned_date__gte=today - datetime.timedelta(days=OVERDUE_STAFF_DAYS + CATCH_UP_DAYS),
            planned_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
        )
        .select_related("trainer__user__profile", "enrolment__enterprise", "enrolment__module")
        .order_by("planned_date", "pk")
    )
    for visit in planned:
        late = (today - visit.planned_date).days
        params = {
            "enterprise": visit.enrolment.enterprise.name,
            "enterprise_zh": visit.enrolment.enterprise.name_zh,
            "module": visit.enrolment.module.code,
            "number": visit.number,
            "date": visit.planned_date.isoformat(),
        }
        base = {"subject_type": "visit", "subject_id": visit.pk, "params": params}
        user = visit.trainer.user
        if -DUE_SOON_DAYS <= late < 0 and user:
            found.append(
                _for_user(
                    user,
                    key=f"visit_due:{visit.pk}:{visit.planned_date}",
                    kind=Kind.VISIT_DUE,
                    due_on=visit.planned_date - datetime.timedelta(days=DUE_SOON_DAYS),
                    **base,
                )
            )
        if OVERDUE_TRAINER_DAYS <= late < OVERDUE_TRAINER_DAYS + CATCH_UP_DAYS and user:
            found.append(
                _for_user(
                    user,
                    key=f"visit_overdue:{visit.pk}:{visit.planned_date}:trainer",
                    kind=Kind.VISIT_OVERDUE,
                    due_on=visit.planned_date + datetime.timedelta(days=OVERDUE_TRAINER_DAYS),
                    **base,
                )
            )
        if OVERDUE_STAFF_DAYS <= late < OVERDUE_STAFF_DAYS + CATCH_UP_DAYS:
            for staff in _staff_of([visit.enrolment.enterprise.partner_id]):
                found.append(
                    _for_user(
                        staff,
                        key=f"visit_overdue:{visit.pk}:{visit.planned_date}:staff",
                        kind=Kind.VISIT_OVERDUE,
                        due_on=visit.planned_date + datetime.timedelta(days=OVERDUE_STAFF_DAYS),
                        **base,
                    )
                )
    return found


def _consultants(enterprise_ids) -> dict[int, list]:
    found: dict[int, list] = {}
    assignments = Assignment.objects.filter(
        enrolment__enterprise_id__in=enterprise_ids, trainer__user__isnull=False
    ).select_related("trainer__user__profile", "enrolment")
    for assignment in assignments.order_by("pk"):
        users = found.setdefault(assignment.enrolment.enterprise_id, [])
        if assignment.trainer.user not in users:
            users.append(assignment.trainer.user)
    return found


def kpi_reminders(today: datetime.date) -> list[Candidate]:
    baselines = (
        KPIReading.objects.filter(kind=KPIReading.Kind.BASELINE)
        .values("enterprise_id")
        .annotate(end=Min("period_end"))
    )
    due = []
    for row in baselines:
        for months in FOLLOW_UP_MONTHS:
            due_on = add_months(row["end"], months)
            if due_on <= today < due_on + datetime.timedelta(days=CATCH_UP_DAYS):
                due.append((row["enterprise_id"], months, due_on))
    if not due:
        return []
    enterprise_ids = {enterprise_id for enterprise_id, _m, _d in due}
    enterprises = Enterprise.objects.in_bulk(enterprise_ids)
    followed = set(
        KPIReading.objects.filter(
            enterprise_id__in=enterprise_ids, kind=KPIReading.Kind.FOLLOW_UP
        ).values_list("enterprise_id", "period_end")
    )
    consultants = _consultants(enterprise_ids)
    found = []
    for enterprise_id, months, due_on in due:
        if any(e == enterprise_id and end >= add_months(due_on, -2) for e, end in followed):
            continue  # a follow-up for this period is already in
        enterprise = enterprises[enterprise_id]
        users = consultants.get(enterprise_id) or _staff_of([enterprise.partner_id])
        for user in users:
            found.append(
                _for_user(
                    user,
                    key=f"kpi_follow_up:{enterprise_id}:{months}",
                    kind=Kind.KPI_FOLLOW_UP,
                    due_on=due_on,
                    subject_type="enterprise",
                    subject_id=enterprise_id,
                    params={
                        "enterprise": enterprise.name,
                        "enterprise_zh": enterprise.name_zh,
                        "months": months,
                        "date": due_on.isoformat(),
                    },
                )
            )
    return found


def baseline_reminders(today: datetime.date) -> list[Candidate]:
    since = today - datetime.timedelta(days=NO_BASELINE_DAYS + CATCH_UP_DAYS)
    first = (
        Enterprise.objects.filter(
            enrolments__participants__workshop__status=Workshop.Status.HELD,
            enrolments__participants__attendance__present=True,
        )
        .annotate(first_workshop=Min("enrolments__participants__workshop__end_date"))
        .filter(first_workshop__gt=since)
        .exclude(kpi_readings__kind=KPIReading.Kind.BASELINE)
    )
    found = []
    for enterprise in first:
        due_on = enterprise.first_workshop + datetime.timedelta(days=NO_BASELINE_DAYS)
        if not due_on <= today:
            continue
        for user in _staff_of([enterprise.partner_id]):
            found.append(
                _for_user(
                    user,
                    key=f"no_baseline:{enterprise.pk}",
                    kind=Kind.NO_BASELINE,
                    due_on=due_on,
                    subject_type="enterprise",
                    subject_id=enterprise.pk,
                    params={
                        "enterprise": enterprise.name,
                        "enterprise_zh": enterprise.name_zh,
                        "date": enterprise.first_workshop.isoformat(),
                    },
                )
            )
    return found


# A workshop's invitation goes to its invited enterprises' contacts once, as soon as it is
# planned no more than this many days ahead (and at least two days ahead: the day before,
# the reminder goes instead).
INVITE_DAYS_AHEAD = 30


def _workshop_params(workshop) -> dict:
    return {
        "title": workshop.title,
        "module": workshop.module.code,
        "date": workshop.start_date.isoformat(),
        "end": workshop.end_date.isoformat(),
        "venue": ", ".join(part for part in (workshop.venue, workshop.city) if part),
        "partner": workshop.partner.name,
    }


def _workshop_contacts(workshop, *, participants: bool) -> list[str]:
    """The invited enterprises' contact addresses (and, the day before, the delegates')."""
    addresses = [
        enrolment.enterprise.email.lower()
        for enrolment in workshop.invitations.all()
        if enrolment.enterprise.email
    ]
    if participants:
        addresses += [
            person.email.lower()
            for person in workshop.participants.all()
            if getattr(person, "email", "")
        ]
    return sorted(set(addresses))


def _coming_workshops(first: datetime.date, last: datetime.date):
    return (
        Workshop.objects.filter(
            start_date__gte=first,
            start_date__lte=last,
            status__in=[Workshop.Status.PLANNED, Workshop.Status.OPEN],
        )
        .select_related("module", "partner")
        .prefetch_related("invitations__enterprise", "participants")
        .order_by("pk")
    )


def workshop_reminders(today: datetime.date) -> list[Candidate]:
    """The invitation to a coming workshop (once per workshop and contact, with the
    calendar file) and the reminder the day before (once per start date and contact)."""
    tomorrow = today + datetime.timedelta(days=1)
    found = []
    invite_from = today + datetime.timedelta(days=2)
    for workshop in _coming_workshops(
        invite_from, today + datetime.timedelta(days=INVITE_DAYS_AHEAD)
    ):
        params = _workshop_params(workshop)
        for email in _workshop_contacts(workshop, participants=False):
            found.append(
                Candidate(
                    key=f"workshop_invitation:{workshop.pk}:{email}",
                    kind=Kind.WORKSHOP_INVITATION,
                    due_on=today,
                    subject_type="workshop",
                    subject_id=workshop.pk,
                    params=params,
                    email=email,
                    language=settings.NOTIFY_CONTACT_LANGUAGE,
                    attach_ics=True,
                )
            )
    for workshop in _coming_workshops(today, tomorrow):
        params = _workshop_params(workshop)
        for email in _workshop_contacts(workshop, participants=True):
            found.append(
                Candidate(
                    key=f"workshop_tomorrow:{workshop.pk}:{workshop.start_date}:{email}",
                    kind=Kind.WORKSHOP_TOMORROW,
                    due_on=workshop.start_date - datetime.timedelta(days=1),
                    subject_type="workshop",
                    subject_id=workshop.pk,
                    params=params,
                    email=email,
                    language=settings.NOTIFY_CONTACT_LANGUAGE,
                    attach_ics=True,
                )
            )
    return found


def certification_reminders(today: datetime.date) -> list[Candidate]:
    horizon = today + datetime.timedelta(days=max(CERTIFICATION_DAYS))
    expiring = (
        Certification.objects.filter(
            grade__in=Certification.QUALIFIED, valid_until__gt=today, valid_until__lte=horizon
        )
        .select_related("trainer__user__profile", "module")
        .prefetch_related("trainer__partners")
        .order_by("valid_until", "pk")
    )
    found = []
    for certification in expiring:
        left = (certification.valid_until - today).days
        # the nearest threshold already reached (30 days before 90 once both passed)
        reached = [days for days in CERTIFICATION_DAYS if left <= days]
        if not reached:
            continue
        days = min(reached)
        trainer = certification.trainer
        users = ([trainer.user] if trainer.user else []) + _staff_of(trainer.partner_ids())
        for user in users:
            found.append(
                _for_user(
                    user,
                    key=f"certification_expiring:{certification.pk}:{certification.valid_until}:{days}",
                    kind=Kind.CERTIFICATION_EXPIRING,
                    due_on=certification.valid_until - datetime.timedelta(days=days),
                    subject_type="certification",
                    subject_id=certification.pk,
                    params={
                        "trainer": trainer.name,
                        "trainer_zh": trainer.name_zh,
                        "module": certification.module.code,
                        "date": certification.valid_until.isoformat(),
                        "days": days,
                    },
                )
            )
    return found


RULES = (
    visit_reminders,
    kpi_reminders,
    baseline_reminders,
    workshop_reminders,
    certification_reminders,
)


def gone_subject_ids(subject_type: str, ids) -> set[int]:
    """Which of these subjects ended (visit cancelled or done, workshop cancelled)."""
    if subject_type == "visit":
        return set(
            ConsultingVisit.objects.filter(pk__in=ids)
            .exclude(status=ConsultingVisit.Status.PLANNED)
            .values_list("pk", flat=True)
        )
    if subject_type == "workshop":
        return set(
            Workshop.objects.filter(pk__in=ids, status=Workshop.Status.CANCELLED).values_list(
                "pk", flat=True
            )
        )
    return set()
