"""Trainer reads: certification evidence from recorded deliveries, the 12-month activity flag,
visits by module and scoping."""

import datetime

import pytest
from django.utils import timezone

from score_portal.models import Role
from tests.factories import (
    EnrolmentFactory,
    EnterpriseFactory,
    TrainerFactory,
    WorkshopFactory,
    _module,
    certify,
    user_with_role,
)
from trainers import selectors
from trainers.models import ConsultingVisit, WorkshopTrainer

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _teach(trainer, partner, *, status="held", days_ago=30, module="M1"):
    end = TODAY - datetime.timedelta(days=days_ago)
    workshop = WorkshopFactory(
        partner=partner,
        module=_module(module),
        status=status,
        start_date=end - datetime.timedelta(days=1),
        end_date=end,
    )
    WorkshopTrainer.objects.create(workshop=workshop, trainer=trainer)
    return workshop


def _visit(trainer, enrolment, number, *, status="recorded", days_ago=20):
    day = TODAY - datetime.timedelta(days=days_ago)
    return ConsultingVisit.objects.create(
        enrolment=enrolment,
        trainer=trainer,
        number=number,
        status=status,
        planned_date=day,
        visit_date=day if status == "recorded" else None,
        cancellation_reason="Factory closed" if status == "cancelled" else "",
    )


def _evidence(trainer, code):
    return next(
        row for row in selectors.certification_evidence(trainer) if row["module"].code == code
    )


def test_evidence_counts_held_workshops_and_distinct_enterprises_visited(cast):
    m1 = _module("M1")
    m1.cert_min_workshops, m1.cert_min_enterprises = 2, 3
    m1.save()
    trainer = TrainerFactory(partners=[cast.zj])
    certify(trainer, "M1", "candidate")
    _teach(trainer, cast.zj)
    _teach(trainer, cast.zj, days_ago=400)
    _teach(trainer, cast.zj, status="open", days_ago=-10)  # not held: does not count
    _teach(trainer, cast.zj, module="M2")  # another module
    first, second = (
        EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj)) for _ in range(2)
    )
    _visit(trainer, first, 1)
    _visit(trainer, first, 2)  # same enterprise again: counted once
    _visit(trainer, second, 1, status="planned")  # not recorded: does not count
    row = _evidence(trainer, "M1")
    assert (row["workshops"], row["min_workshops"], row["workshops_met"]) == (2, 2, True)
    assert (row["enterprises"], row["min_enterprises"], row["enterprises_met"]) == (1, 3, False)
    assert row["meets"] is False
    # Visits at two more enterprises (one served for another partner) meet the threshold.
    _visit(trainer, second, 2)
    _visit(trainer, EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.sc)), 1)
    assert _evidence(trainer, "M1")["meets"] is True
    m2 = _evidence(trainer, "M2")  # delivered without a certification: listed too
    assert (m2["workshops"], m2["enterprises"]) == (1, 0)


def test_evidence_lists_certified_modules_without_deliveries_and_nothing_else(cast):
    trainer = TrainerFactory(partners=[cast.zj])
    certify(trainer, "M5", "candidate")
    rows = selectors.certification_evidence(trainer)
    assert [(r["module"].code, r["workshops"], r["enterprises"], r["meets"]) for r in rows] == [
        ("M5", 0, 0, False)
    ]


def test_active_in_the_last_12_months(cast):
    teacher = TrainerFactory(name="Recent teacher", partners=[cast.zj])
    _teach(teacher, cast.zj, days_ago=100)
    visitor = TrainerFactory(name="Recent visitor", partners=[cast.zj])
    _visit(visitor, EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj)), 1)
    old = TrainerFactory(name="Long ago", partners=[cast.zj])
    _teach(old, cast.zj, days_ago=400)
    _visit(old, EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj)), 1, days_ago=380)
    planner = TrainerFactory(name="Only plans", partners=[cast.zj])
    _teach(planner, cast.zj, status="open", days_ago=-5)
    _visit(
        planner,
        EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj)),
        1,
        status="planned",
        days_ago=5,
    )
    flags = {t.name: t.active_recently for t in selectors.trainer_list(cast.zj_staff)}
    assert flags == {
        "Recent teacher": True,
        "Recent visitor": True,
        "Long ago": False,
        "Only plans": False,
    }


def test_trainer_list_is_scoped_to_the_partners_served(cast):
    TrainerFactory(name="Zhejiang only", partners=[cast.zj])
    TrainerFactory(name="Sichuan only", partners=[cast.sc])
    TrainerFactory(name="Both", partners=[cast.zj, cast.sc])

    def names(user):
        return {t.name for t in selectors.trainer_list(user)}

    assert names(cast.zj_staff) == {"Zhejiang only", "Both"}
    assert names(cast.zj_manager) == {"Zhejiang only", "Both"}
    assert names(cast.zj_trainer) == {"Zhejiang only", "Both"}
    assert names(cast.sc_staff) == {"Sichuan only", "Both"}
    assert names(cast.programme) == {"Zhejiang only", "Sichuan only", "Both"}
    assert names(cast.norole) == set()


def test_visits_by_module_and_enterprises_served_follow_the_viewer(cast):
    trainer = TrainerFactory(partners=[cast.zj, cast.sc])
    zj_enrolment = EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj))
    sc_enrolment = EnrolmentFactory(
        enterprise=EnterpriseFactory(partner=cast.sc), module=_module("M2")
    )
    for enrolment in (zj_enrolment, sc_enrolment):
        enrolment.assignments.create(trainer=trainer)
    _visit(trainer, zj_enrolment, 1)
    _visit(trainer, zj_enrolment, 2, status="planned", days_ago=-10)
    _visit(trainer, zj_enrolment, 3, status="cancelled", days_ago=-40)
    _visit(trainer, sc_enrolment, 1)
    rows = selectors.visits_by_module(cast.programme, trainer)
    assert [
        (r["module_code"], r["enterprises"], r["recorded"], r["planned"], r["cancelled"])
        for r in rows
    ] == [("M1", 1, 1, 1, 1), ("M2", 1, 1, 0, 0)]
    assert [r["module_code"] for r in selectors.visits_by_module(cast.zj_staff, trainer)] == ["M1"]
    served = selectors.enterprises_served(cast.zj_staff, trainer)
    assert [(a.enrolment_id, a.recorded, a.planned) for a in served] == [(zj_enrolment.pk, 1, 1)]


def test_schedule_lists_coming_workshops_and_planned_visits_by_date(cast):
    user = user_with_role("li-ming", Role.TRAINER, cast.zj)
    trainer = TrainerFactory(partners=[cast.zj], user=user)
    coming = _teach(trainer, cast.zj, status="open", days_ago=-7)
    _teach(trainer, cast.zj, days_ago=30)  # held: not on the schedule
    enrolment = EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj))
    enrolment.assignments.create(trainer=trainer)
    later = _visit(trainer, enrolment, 2, status="planned", days_ago=-9)
    overdue = _visit(trainer, enrolment, 1, status="planned", days_ago=3)
    _visit(trainer, enrolment, 3, days_ago=40)  # recorded: not on the schedule
    schedule = selectors.schedule_for(user, trainer)
    assert schedule["workshops"] == [coming]
    assert schedule["visits"] == [overdue, later]
    assert schedule["overdue"] == 1
