"""Demo workshops held and planned, their delegations and attendance, then consultant
assignments and consulting visits (done, planned, overdue)."""

import datetime
from collections import defaultdict

from django.utils import timezone

from demo.context import SeedContext
from demo.vocabulary import (
    ACTIONS,
    DEMO_HELD_DAYS_AGO,
    DEMO_TRAINERS,
    FINDINGS,
    GIVEN_F,
    GIVEN_M,
    POSITIONS_MANAGER,
    POSITIONS_WORKER,
    SURNAMES,
    TOPICS,
    VENUES,
)
from enterprises.models import Enrolment
from score_portal.workdays import working_days_after
from trainers.models import (
    Assignment,
    ConsultingVisit,
    Trainer,
    VisitAction,
    WorkshopTrainer,
)
from workshops.models import Attendance, Participant, Workshop


def _seed_workshops(ctx: SeedContext, partners, modules) -> int:
    rng = ctx.rng
    today = timezone.localdate()
    enterprises = ctx.shared.get("new_enterprises", [])
    if not enterprises:
        return 0
    enrolments = list(
        Enrolment.objects.filter(
            enterprise_id__in=[e.pk for e in enterprises],
            status__in=["enrolled", "in_training", "in_consulting", "completed"],
        )
        .select_related("enterprise", "module")
        .order_by("pk")
    )
    qualified = _qualified_by_partner(partners, today)
    codes = {p.code: p.pk for p in partners}
    demo = {
        codes.get(DEMO_TRAINERS[t.user.username][0]): t
        for t in Trainer.objects.filter(user__username__in=list(DEMO_TRAINERS)).select_related(
            "user"
        )
    }
    by_partner = defaultdict(list)
    for enrolment in enrolments:
        by_partner[enrolment.enterprise.partner_id].append(enrolment)

    plans = []  # dicts describing each workshop
    for partner in partners:
        pool = by_partner.get(partner.pk, [])
        budget = max(4, round(ctx.size["workshops"] * len(pool) / max(1, len(enrolments))))
        held, upcoming = _cohorts(rng, pool)
        held_budget = min(len(held), max(budget - len(upcoming), round(budget * 0.65)))
        chosen = held[:held_budget] + upcoming[: budget - held_budget]
        demo_trainer = demo.get(partner.pk)
        demo_pk = getattr(demo_trainer, "pk", None)
        held_slots = list(DEMO_HELD_DAYS_AGO) if demo_trainer else []
        upcoming_demo = 2 if demo_trainer else 0
        for (module_id, kind), group in chosen:
            module = group[0].module
            team = None
            if kind == "held":
                done = group[0].status == "completed"
                slots = [d for d in held_slots if (d >= 130) == done]
                use_demo = demo_trainer is not None and bool(slots) and module.code == "M1"
                if use_demo:
                    held_slots.remove(slots[0])
                    end = today - datetime.timedelta(days=slots[0])
                elif done:
                    end = today - datetime.timedelta(days=rng.randint(130, 600))
                else:
                    end = today - datetime.timedelta(days=rng.randint(5, 100))
                start = end - datetime.timedelta(days=module.classroom_days - 1)
                status = Workshop.Status.HELD
            else:
                use_demo = demo_trainer is not None and upcoming_demo and module.code == "M1"
                if use_demo:
                    upcoming_demo -= 1
                start = today + datetime.timedelta(days=rng.randint(3, 60))
                end = start + datetime.timedelta(days=module.classroom_days - 1)
                status = rng.choice([Workshop.Status.PLANNED, Workshop.Status.OPEN])
            candidates = [t for t in qualified[partner.pk][module_id] if t.pk != demo_pk]
            if use_demo:
                team = [demo_trainer] + rng.sample(candidates, k=min(1, len(candidates)))
            elif candidates:
                team = rng.sample(candidates, k=min(len(candidates), rng.choice([1, 2])))
            else:
                team = qualified[partner.pk][modules["M1"].pk][:1]
            if not team:
                continue
            plans.append(
                {
                    "partner": partner,
                    "module": module,
                    "start": start,
                    "end": end,
                    "status": status,
                    "team": team,
                    "enrolments": group,
                }
            )

    workshops = []
    for plan in plans:
        city = plan["enrolments"][0].enterprise.city or plan["partner"].region
        workshops.append(
            Workshop(
                partner=plan["partner"],
                module=plan["module"],
                title=f"{city} {plan['module'].name_en} {plan['start']:%Y-%m}",
                start_date=plan["start"],
                end_date=plan["end"],
                city=city,
                venue=rng.choice(VENUES),
                capacity=20,
                status=plan["status"],
                completed_at=timezone.make_aware(
                    datetime.datetime.combine(plan["end"], datetime.time(17))
                )
                if plan["status"] == Workshop.Status.HELD
                else None,
            )
        )
    Workshop.objects.bulk_create(workshops, batch_size=2000)

    teaching, invitations, participants = [], [], []
    for workshop, plan in zip(workshops, plans, strict=True):
        plan["workshop"] = workshop
        qualified_ids = {t.pk for t in qualified[plan["partner"].pk][plan["module"].pk]}
        for index, trainer in enumerate(plan["team"]):
            teaching.append(
                WorkshopTrainer(
                    workshop=workshop,
                    trainer=trainer,
                    is_lead=index == 0,
                    eligibility_note=""
                    if trainer.pk in qualified_ids
                    else "No certified trainer free for this module; supervised by the expert.",
                )
            )
        for enrolment in plan["enrolments"]:
            invitations.append(
                Workshop.invitations.through(workshop_id=workshop.pk, enrolment_id=enrolment.pk)
            )
            participants += _delegation(rng, workshop, enrolment)
    WorkshopTrainer.objects.bulk_create(teaching, batch_size=5000)
    Workshop.invitations.through.objects.bulk_create(invitations, batch_size=5000)
    Participant.objects.bulk_create(participants, batch_size=5000)

    attendance = []
    held_days = {w.pk: w.days for w in workshops if w.status == Workshop.Status.HELD}
    for participant in participants:
        for day in held_days.get(participant.workshop.pk, []):
            row = Attendance(participant=participant, day=day)
            draw = rng.random()
            row.set_status(
                "present"
                if draw < 0.9
                else "late"
                if draw < 0.93
                else "excused"
                if draw < 0.96
                else "absent"
            )
            attendance.append(row)
    Attendance.objects.bulk_create(attendance, batch_size=5000)
    _seed_evaluations([w for w in workshops if w.status == Workshop.Status.HELD], participants)
    _seed_assignments_and_visits(ctx, plans, today)
    return len(workshops)


def _seed_evaluations(held, participants) -> None:
    """Each participant of a held workshop has their evaluation slip; about three in four
    answered it on the last day, nine in ten of them satisfied (the programme quotes 88–91 %).
    A random generator of its own, so the rest of the demo draws what it always drew."""
    import random
    import secrets

    from catalogue.models import EvaluationQuestion
    from workshops.models import EvaluationAnswer, EvaluationResponse, EvaluationToken

    rng = random.Random(16)  # noqa: S311 (demo data)
    questions = list(EvaluationQuestion.objects.filter(is_active=True))
    held_ids = {w.pk: w for w in held}
    tokens, answered = [], []
    for person in participants:
        workshop = held_ids.get(person.workshop_id)
        if workshop is None:
            continue
        replied = rng.random() < 0.75
        tokens.append(
            EvaluationToken(
                workshop=workshop,
                participant=person,
                token=secrets.token_urlsafe(12),
                used_on=workshop.end_date if replied else None,
            )
        )
        if replied:
            answered.append(workshop)
    EvaluationToken.objects.bulk_create(tokens, batch_size=5000)
    responses = EvaluationResponse.objects.bulk_create(
        [
            EvaluationResponse(workshop=w, submitted_on=w.end_date, language="zh-hans")
            for w in answered
        ],
        batch_size=5000,
    )
    comments = ["案例很实用", "希望多一些现场练习", "Very practical", ""]
    answers = []
    for response in responses:
        satisfied = rng.random() < 0.9
        for question in questions:
            if question.kind == EvaluationQuestion.Kind.RATING:
                rating = rng.choice([4, 5]) if satisfied else rng.choice([2, 3])
                answers.append(
                    EvaluationAnswer(response=response, question=question, rating=rating)
                )
            elif question.kind == EvaluationQuestion.Kind.YES_NO:
                answers.append(
                    EvaluationAnswer(response=response, question=question, yes=rng.random() < 0.85)
                )
            else:
                comment = rng.choice(comments) if rng.random() < 0.3 else ""
                if comment:
                    answers.append(
                        EvaluationAnswer(response=response, question=question, comment=comment)
                    )
    EvaluationAnswer.objects.bulk_create(answers, batch_size=5000)


def _cohorts(rng, pool) -> tuple[list, list]:
    """Groups of 4–5 enrolments of one module and status, for past (held) and coming
    workshops; in-consulting and M1 cohorts first (they give the demo trainers their
    visits and coming workshops)."""
    groups = defaultdict(list)
    for enrolment in pool:
        groups[(enrolment.module_id, enrolment.status)].append(enrolment)
    held, upcoming = [], []
    for (module_id, status), members in groups.items():
        kind = "held" if status in ("in_consulting", "completed") else "upcoming"
        while members:
            size = rng.choice([4, 5])
            chunk, members = members[:size], members[size:]
            (held if kind == "held" else upcoming).append(((module_id, kind), chunk))
    held.sort(key=lambda c: (c[1][0].status != "in_consulting", c[1][0].module.order))
    upcoming.sort(key=lambda c: c[1][0].module.order)
    return held, upcoming


def _person(rng, sex):
    surname = rng.choice(SURNAMES)[0]
    given = rng.choice(GIVEN_F if sex == "F" else GIVEN_M)[0]
    return surname + given


def _delegation(rng, workshop, enrolment) -> list[Participant]:
    people = []
    for level, count, positions in (
        ("manager", rng.choice([2, 2, 1, 3]), POSITIONS_MANAGER),
        ("worker", rng.choice([2, 2, 3]), POSITIONS_WORKER),
    ):
        for _ in range(count):
            sex = "F" if rng.random() < 0.35 else "M"
            people.append(
                Participant(
                    workshop=workshop,
                    enrolment=enrolment,
                    name=_person(rng, sex),
                    sex=sex,
                    level=level,
                    position=rng.choice(positions),
                )
            )
    return people


def _seed_assignments_and_visits(ctx: SeedContext, plans, today) -> None:
    """The same plan as ``services.plan_visits`` (the module's visit offsets after the
    workshop's last day, for the enrolment's consultant), in bulk; past visits are recorded,
    except those of the last two weeks, which stay planned (overdue)."""
    rng = ctx.rng
    assignments, visits = [], []
    for plan in plans:
        lead = plan["team"][0]
        held = plan["status"] == Workshop.Status.HELD
        for enrolment in plan["enrolments"]:
            if not held and rng.random() < 0.5:
                continue
            assignments.append(Assignment(trainer=lead, enrolment=enrolment))
            if not held:
                continue
            planned_days = working_days_after(plan["end"], plan["module"].visit_plan())
            for number, planned in enumerate(planned_days, 1):
                visit = ConsultingVisit(
                    enrolment=enrolment, trainer=lead, number=number, planned_date=planned
                )
                if enrolment.status == "completed" or planned < today - datetime.timedelta(days=14):
                    visit.status = ConsultingVisit.Status.RECORDED
                    visit.visit_date = min(
                        planned + datetime.timedelta(days=rng.randint(-2, 3)),
                        today - datetime.timedelta(days=1),
                    )
                    visit.duration_hours = rng.choice([4, 4, 6, 8])
                    visit.topics = "; ".join(rng.sample(TOPICS, k=2))
                    visit.findings = rng.choice(FINDINGS)
                    visit.recorded_by_id = lead.user_id
                    visit.recorded_at = timezone.make_aware(
                        datetime.datetime.combine(visit.visit_date, datetime.time(18))
                    )
                visits.append(visit)
    Assignment.objects.bulk_create(assignments, batch_size=5000, ignore_conflicts=True)
    ConsultingVisit.objects.bulk_create(visits, batch_size=5000)

    actions = []
    by_enrolment = defaultdict(list)
    for visit in visits:
        by_enrolment[visit.enrolment_id].append(visit)
    for series in by_enrolment.values():
        for visit, following in zip(series, [*series[1:], None], strict=True):
            if visit.status != ConsultingVisit.Status.RECORDED:
                continue
            reviewed = following is not None and following.status == ConsultingVisit.Status.RECORDED
            for description in rng.sample(ACTIONS, k=rng.randint(1, 2)):
                actions.append(
                    VisitAction(
                        visit=visit,
                        description=description,
                        owner=rng.choice(["EIT leader", "EIT secretary", "Production manager"]),
                        due_date=visit.visit_date + datetime.timedelta(days=rng.randint(14, 30)),
                        status=(
                            rng.choice(
                                [VisitAction.Status.DONE] * 4 + [VisitAction.Status.NOT_DONE]
                            )
                            if reviewed
                            else VisitAction.Status.OPEN
                        ),
                        reviewed_on=following if reviewed else None,
                    )
                )
    VisitAction.objects.bulk_create(actions, batch_size=5000)


def _qualified_by_partner(partners, today) -> dict:
    """{partner id: {module id: [qualified active trainers]}} in two queries."""
    result = defaultdict(lambda: defaultdict(list))
    trainers = (
        Trainer.objects.filter(partners__in=partners, is_active=True)
        .prefetch_related("certifications", "partners")
        .distinct()
    )
    for trainer in trainers:
        for certification in trainer.certifications.all():
            if certification.is_qualified(today):
                for partner in trainer.partners.all():
                    result[partner.pk][certification.module_id].append(trainer)
    return result
