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
from demo.steps.deliveries import _seed_workshops
from demo.vocabulary import (
    DEMO_TRAINERS,
    EMAIL_DOMAIN,
    GIVEN_F,
    GIVEN_M,
    ORGANISATIONS,
    SURNAMES,
)
from trainers.models import (
    Certification,
    Trainer,
)


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
