"""Demo trainers with certifications, and the classroom workshops of the new demo enrolments:
who teaches them, the invited enterprises' delegations, attendance, consultant assignments
and the consulting visits planned after each held workshop (bulk inserts).

Idempotent: trainers are made once per partner (recognised by their demo e-mail address);
workshops only for the enrolments of enterprises created in this run."""

import datetime
from collections import defaultdict

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from catalogue.models import Module
from demo.context import SeedContext
from enterprises.models import Enrolment
from trainers.models import (
    Assignment,
    Certification,
    ConsultingVisit,
    Trainer,
    VisitAction,
    WorkshopTrainer,
)
from workshops.models import Attendance, Participant, Workshop

SURNAMES = [
    ("王", "Wang"),
    ("李", "Li"),
    ("张", "Zhang"),
    ("刘", "Liu"),
    ("陈", "Chen"),
    ("杨", "Yang"),
    ("黄", "Huang"),
    ("赵", "Zhao"),
    ("吴", "Wu"),
    ("周", "Zhou"),
    ("徐", "Xu"),
    ("孙", "Sun"),
    ("马", "Ma"),
    ("朱", "Zhu"),
    ("胡", "Hu"),
    ("郭", "Guo"),
    ("何", "He"),
    ("高", "Gao"),
    ("林", "Lin"),
    ("罗", "Luo"),
]
GIVEN_F = [
    ("芳", "Fang"),
    ("娜", "Na"),
    ("敏", "Min"),
    ("静", "Jing"),
    ("丽", "Li"),
    ("艳", "Yan"),
    ("娟", "Juan"),
    ("秀英", "Xiuying"),
    ("婷", "Ting"),
    ("雪", "Xue"),
]
GIVEN_M = [
    ("伟", "Wei"),
    ("强", "Qiang"),
    ("磊", "Lei"),
    ("军", "Jun"),
    ("洋", "Yang"),
    ("勇", "Yong"),
    ("杰", "Jie"),
    ("涛", "Tao"),
    ("明", "Ming"),
    ("超", "Chao"),
]
# The demo trainer logins and the profile each is linked to: (partner, name, Chinese, sex).
DEMO_TRAINERS = {
    "zj-trainer": ("ZJ", "Zhang Wei", "张伟", "M"),
    "sc-trainer": ("SC", "Huang Lei", "黄磊", "M"),
}
ORGANISATIONS = [
    "Independent consultant",
    "Provincial productivity centre",
    "University business school",
    "Safety consultancy",
    "Federation staff",
]
VENUES = [
    "Federation training centre",
    "Industrial park conference hall",
    "Hotel meeting room",
    "Enterprise training room",
]
POSITIONS_MANAGER = ["Production manager", "HR manager", "Quality supervisor", "Deputy GM"]
POSITIONS_WORKER = ["Machine operator", "Team leader", "Warehouse worker", "Line worker"]
TOPICS = [
    "EIT set-up and meeting rules",
    "Suggestion scheme and rewards",
    "5S walk-through in the workshop",
    "Communication boards",
    "Waste and energy walk",
    "Near-miss reporting",
    "Reviewing project tracker",
]
FINDINGS = [
    "EIT meets every two weeks; minutes kept by the secretary.",
    "Suggestion box installed; 12 suggestions in the first month.",
    "5S started on two lines; storage area still crowded.",
    "Management support good; workers want faster feedback on suggestions.",
    "Energy data not yet collected monthly.",
]
ACTIONS = [
    "Post EIT minutes on the notice board",
    "Reply to every suggestion within a week",
    "Red-tag unused tools in the store",
    "Collect monthly energy readings",
    "Train line leaders on 5S audits",
    "Mark forklift walkways",
]
EMAIL_DOMAIN = "trainers.example.org"
# Days ago that held workshops taught by a demo trainer ended, most useful first: visits this
# week (12), an overdue one and one next month (70), next week (5), this week (30); 150 for a
# completed cohort.
DEMO_HELD_DAYS_AGO = [12, 70, 5, 30, 150]


def _email(number: int, code: str) -> str:
    return f"trainer{number:03d}.{code.lower()}@{EMAIL_DOMAIN}"


def seed_trainers_and_workshops(ctx: SeedContext) -> None:
    partners = list(ctx.shared["partners"].values())
    modules = {m.code: m for m in Module.objects.all()}
    created = _seed_trainers(ctx, partners, modules)
    _link_demo_logins(ctx)
    workshops = _seed_workshops(ctx, partners, modules)
    ctx.log(f"Trainers: {created} new; workshops: {workshops} new.")


# --- Trainers and certifications ------------------------------------------------------------


def _seed_trainers(ctx: SeedContext, partners, modules) -> int:
    rng = ctx.rng
    today = timezone.localdate()
    per_partner_large = max(8, ctx.size["trainers"] // len(partners))
    plans = []  # (trainer, partner, role)
    for partner in partners:
        if Trainer.objects.filter(
            email__endswith=f".{partner.code.lower()}@{EMAIL_DOMAIN}"
        ).exists():
            continue
        if ctx.scale == "small":
            count = {"ZJ": 15, "SC": 12}.get(partner.code, rng.randint(8, 10))
        else:
            count = per_partner_large
        demo = next((d for d in DEMO_TRAINERS.values() if d[0] == partner.code), None)
        experts = rng.randint(1, 3)
        for number in range(count):
            if number == 0 and demo:
                name, name_zh, sex = demo[1], demo[2], demo[3]
            else:
                sex = "F" if rng.random() < 0.45 else "M"
                surname = rng.choice(SURNAMES)
                given = rng.choice(GIVEN_F if sex == "F" else GIVEN_M)
                name, name_zh = f"{surname[1]} {given[1]}", surname[0] + given[0]
            role = (
                "demo"
                if number == 0 and demo
                else ("expert" if 1 <= number <= experts else "trainer")
            )
            trainer = Trainer(
                name=name,
                name_zh=name_zh,
                sex=sex,
                email=_email(number, partner.code),
                phone=f"13{rng.randint(100000000, 999999999)}",
                city=partner.region or "",
                region=partner.region or "",
                organisation=rng.choice(ORGANISATIONS),
                bio="Certified SCORE trainer." if role != "trainer" else "",
                is_active=rng.random() > 0.08 or role != "trainer",
            )
            plans.append((trainer, partner, role))
    if not plans:
        return 0
    Trainer.objects.bulk_create([t for t, _p, _r in plans], batch_size=2000)
    links = []
    for trainer, partner, _role in plans:
        links.append(Trainer.partners.through(trainer_id=trainer.pk, partner_id=partner.pk))
        if len(partners) > 1 and rng.random() < 0.1:  # some serve a neighbouring partner
            other = partners[(partners.index(partner) + 1) % len(partners)]
            links.append(Trainer.partners.through(trainer_id=trainer.pk, partner_id=other.pk))
    Trainer.partners.through.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)

    experts_by_partner = defaultdict(list)
    for trainer, partner, role in plans:
        if role == "expert":
            experts_by_partner[partner.pk].append(trainer)
    certifications = []
    others = [modules[c] for c in ("M2", "M3", "M5") if c in modules]

    def cert(trainer, partner, module, grade, years_ago):
        tot = today - datetime.timedelta(days=365 * years_ago + rng.randint(0, 300))
        qualified = grade in Certification.QUALIFIED or grade == Certification.Grade.EXPIRED
        experts = [e for e in experts_by_partner[partner.pk] if e is not trainer]
        decision = tot + datetime.timedelta(days=rng.randint(90, 240)) if qualified else None
        valid = decision + datetime.timedelta(days=365 * 3) if decision else None
        if grade == Certification.Grade.EXPIRED:
            valid = today - datetime.timedelta(days=rng.randint(10, 400))
        certifications.append(
            Certification(
                trainer=trainer,
                module=module,
                grade=grade,
                tot_date=tot,
                decision_date=decision,
                valid_until=valid,
                recommended_by=rng.choice(experts) if qualified and experts else None,
            )
        )

    for trainer, partner, role in plans:
        if role == "expert":
            cert(trainer, partner, modules["M1"], Certification.Grade.EXPERT, rng.randint(6, 10))
            cert(
                trainer, partner, rng.choice(others), Certification.Grade.EXPERT, rng.randint(4, 8)
            )
        elif role == "demo":
            cert(trainer, partner, modules["M1"], Certification.Grade.CERTIFIED, 4)
            if "M5" in modules:
                cert(trainer, partner, modules["M5"], Certification.Grade.CANDIDATE, 0)
        else:
            draw = rng.random()
            if draw < 0.15:
                cert(trainer, partner, modules["M1"], Certification.Grade.CANDIDATE, 0)
            elif draw < 0.25:
                cert(trainer, partner, modules["M1"], Certification.Grade.EXPIRED, 5)
            else:
                cert(
                    trainer,
                    partner,
                    modules["M1"],
                    Certification.Grade.CERTIFIED,
                    rng.randint(1, 6),
                )
                extra = rng.sample(others, k=min(len(others), rng.choice([0, 0, 1, 1, 2])))
                for module in extra:
                    cert(
                        trainer,
                        partner,
                        module,
                        rng.choice(
                            [
                                Certification.Grade.CERTIFIED,
                                Certification.Grade.CERTIFIED,
                                Certification.Grade.CANDIDATE,
                            ]
                        ),
                        rng.randint(0, 3),
                    )
    bulk_create_with_history(certifications, Certification, batch_size=2000)
    return len(plans)


def _link_demo_logins(ctx: SeedContext) -> None:
    users = ctx.shared.get("users", {})
    for username, (code, name, _zh, _sex) in DEMO_TRAINERS.items():
        user = users.get(username)
        if user is None or Trainer.objects.filter(user=user).exists():
            continue
        Trainer.objects.filter(email=_email(0, code), name=name, user__isnull=True).update(
            user=user
        )


# --- Workshops, delegations, attendance, assignments and visits ------------------------------


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
            attendance.append(
                Attendance(participant=participant, day=day, present=rng.random() < 0.93)
            )
    Attendance.objects.bulk_create(attendance, batch_size=5000)
    _seed_assignments_and_visits(ctx, plans, today)
    return len(workshops)


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
            offsets = plan["module"].visit_plan()
            for number, offset in enumerate(offsets, 1):
                planned = plan["end"] + datetime.timedelta(days=offset)
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
