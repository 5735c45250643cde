"""Demo enrolments: most enterprises in M1, many continuing to M2, M3 or M5 (bulk inserts)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from catalogue.models import Module
from demo.context import SeedContext
from enterprises.models import Enrolment
from enterprises.services.enrolments import enterprise_statuses_sync

FEE = Decimal("12000")


def seed_enrolments(ctx: SeedContext) -> None:
    rng = ctx.rng
    today = timezone.localdate()
    modules = {m.code: m for m in Module.objects.all()}
    enrolments = []
    for enterprise in ctx.shared.get("new_enterprises", []):
        if enterprise.status == "prospect":
            if rng.random() < 0.5:
                enrolments.append(_enrolment(rng, enterprise, modules["M1"], "applied", today))
            continue
        if enterprise.status == "withdrawn":
            enrolments.append(_enrolment(rng, enterprise, modules["M1"], "withdrawn", today))
            continue
        m1_status = (
            "completed"
            if enterprise.status == "completed"
            else rng.choices(
                ["enrolled", "in_training", "in_consulting", "completed"], weights=[10, 15, 35, 40]
            )[0]
        )
        enrolments.append(_enrolment(rng, enterprise, modules["M1"], m1_status, today))
        if m1_status == "completed" and rng.random() < 0.6:
            second = modules[rng.choice(["M2", "M3", "M5"])]
            enrolments.append(
                _enrolment(
                    rng,
                    enterprise,
                    second,
                    rng.choice(["enrolled", "in_training", "in_consulting", "completed"]),
                    today,
                )
            )
    Enrolment.objects.bulk_create(enrolments, batch_size=5000)
    ctx.log(f"Enrolments: {len(enrolments)} new.")


def sync_enterprise_statuses(ctx: SeedContext) -> None:
    """Last step: every enterprise's status follows its enrolments (bulk_create and the
    steps that move enrolments on skip the enrolment services that keep it current)."""
    changed = enterprise_statuses_sync()
    ctx.log(f"Enterprise statuses following their enrolments: {changed} corrected.")


def _enrolment(rng, enterprise, module, status, today) -> Enrolment:
    applied = today - datetime.timedelta(days=rng.randint(30, 700))
    enterprise_share = Decimal(rng.choice([0.3, 0.4, 0.5, 0.6]))
    sponsor = Decimal(rng.choice([0, 0, 0.1, 0.2]))
    government = Decimal(rng.choice([0, 0.1, 0.2]))
    parts = [
        (FEE * share).quantize(Decimal("1")) for share in (enterprise_share, sponsor, government)
    ]
    ilo = max(FEE - sum(parts), Decimal(0))
    enrolment = Enrolment(
        enterprise=enterprise,
        module=module,
        status=status,
        applied_on=applied,
        currency="CNY",
        paid_enterprise=parts[0],
        paid_sponsor=parts[1],
        paid_government=parts[2],
        paid_ilo=ilo,
    )
    if status != "applied":
        enrolment.enrolled_on = applied + datetime.timedelta(days=rng.randint(5, 30))
    if status == "completed":
        enrolment.completed_on = enrolment.enrolled_on + datetime.timedelta(days=120)
    if status == "withdrawn":
        enrolment.withdrawn_on = applied + datetime.timedelta(days=40)
        enrolment.withdrawal_reason = rng.choice(
            ["Production peak, no time for training", "Change of ownership", "Factory relocated"]
        )
    return enrolment
