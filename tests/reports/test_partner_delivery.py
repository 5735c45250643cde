"""The partner report's delivery sections against hand-computed numbers."""

import datetime

import pytest

from catalogue.models import KPIDefinition
from enterprises.models import KPIReading
from reports.builders import build_partner
from tests.factories import (
    EnrolmentFactory,
    EnterpriseFactory,
    TrainerFactory,
    WorkshopFactory,
    certify,
)
from trainers.models import ConsultingVisit

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def test_workshops_visits_kpis_and_trainers(cast):
    e1, e2 = (
        EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj), status="in_consulting")
        for _ in range(2)
    )
    held = WorkshopFactory(partner=cast.zj, status="held")
    WorkshopFactory(partner=cast.zj, status="open")  # not held: not counted
    WorkshopFactory(partner=cast.sc, status="held")  # other partner
    held.invitations.add(e1, e2)
    for enrolment, people in ((e1, [("F", "manager"), ("M", "worker")]), (e2, [("F", "worker")])):
        for index, (sex, level) in enumerate(people):
            held.participants.create(enrolment=enrolment, name=f"p{index}", sex=sex, level=level)
    lead, candidate = (TrainerFactory(partners=[cast.zj]) for _ in range(2))
    certify(lead, "M1", "expert")
    certify(candidate, "M1", "candidate")
    held.trainer_links.create(trainer=lead, is_lead=True)
    for number, status in ((1, "recorded"), (2, "recorded"), (3, "planned"), (4, "cancelled")):
        ConsultingVisit.objects.create(
            enrolment=e1,
            trainer=lead,
            number=number,
            status=status,
            visit_date=TODAY if status == "recorded" else None,
            planned_date=TODAY - datetime.timedelta(days=3),
            cancellation_reason="x",
        )
    defects = KPIDefinition.objects.get(code="defect_rate")
    for enrolment, latest in ((e1, 3), (e2, 6)):
        for kind, value, month in (("baseline", 5, 1), ("follow_up", latest, 5)):
            start = datetime.date(2026, month, 1)
            KPIReading.objects.create(
                enterprise=enrolment.enterprise,
                kpi=defects,
                kind=kind,
                value=value,
                period_start=start,
                period_end=start,
            )
    data = build_partner(partner_id=cast.zj.pk)["data"]
    assert data["workshops"] == {
        "held": 1,
        "total": 3,
        "women": 2,
        "men": 1,
        "managers": 1,
        "workers": 2,
    }
    assert data["visits"]["recorded"] == 2 and data["visits"]["planned"] == 1
    assert data["visits"]["overdue"] == 1
    assert data["visits"]["completion"] == 2 / 3
    assert (data["kpis"]["reporting"], data["kpis"]["improving"]) == (2, 1)
    assert (data["kpis"]["trained"], data["kpis"]["covered"]) == (2, 2)
    assert data["trainers"] == {"active": 1, "by_module": {"M1": 1}}


def test_programme_report_shows_targets_against_actuals(cast):
    from django.utils import timezone

    from reports.builders import build_programme
    from reports.models import Target

    year = timezone.localdate().year
    Target.objects.create(partner=cast.zj, year=year, indicator="participants", value=10)
    workshop = WorkshopFactory(
        partner=cast.zj,
        status="held",
        start_date=datetime.date(year, 1, 10),
        end_date=datetime.date(year, 1, 11),
    )
    enrolment = EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj))
    workshop.invitations.add(enrolment)
    for index in range(4):
        workshop.participants.create(enrolment=enrolment, name=f"p{index}", sex="F", level="worker")
    data = build_programme(user=cast.programme)["data"]
    assert data["targets"] == [
        {
            "partner": "Zhejiang Enterprise Federation",
            "label": "Participants",  # the register's name of the indicator
            "goal": 10,
            "actual": 4,
            "met": False,
        }
    ]
    assert "targets" not in build_programme()["data"]  # no user (the command): no section
