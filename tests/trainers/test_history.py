"""Every write of the trainer services keeps its author in the history, also outside a
request (these tests call the services directly, as a task or a command would)."""

import datetime

import pytest
from django.utils import timezone

from score_portal.workdays import next_working_day
from tests.factories import (
    EnrolmentFactory,
    EnterpriseFactory,
    TrainerFactory,
    WorkshopFactory,
    certify,
)
from trainers.models import Assignment, ConsultingVisit, WorkshopTrainer
from trainers.services.teaching import workshop_set_trainers
from trainers.services.visits import plan_visits, visit_record

pytestmark = pytest.mark.django_db


def test_it_records_the_author_of_planned_visits_and_of_the_assignment_they_make(cast):
    trainer = TrainerFactory(partners=[cast.zj])
    enrolment = EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj))
    visits = plan_visits(
        acting_user=cast.zj_staff,
        enrolment=enrolment,
        after=timezone.localdate(),
        default_trainer=trainer,
    )
    assert len(visits) == enrolment.module.planned_visits
    rows = ConsultingVisit.history.filter(enrolment_id=enrolment.pk)
    assert rows.count() == len(visits)
    assert {(row.history_type, row.history_user) for row in rows} == {("+", cast.zj_staff)}
    assignment = Assignment.objects.get(enrolment=enrolment)
    assert assignment.history.get().history_user == cast.zj_staff


def test_it_records_the_author_of_a_rescheduled_next_visit(cast):
    trainer = TrainerFactory(partners=[cast.zj], user=cast.zj_trainer)
    enrolment = EnrolmentFactory(
        enterprise=EnterpriseFactory(partner=cast.zj), status="in_consulting"
    )
    plan_visits(
        acting_user=cast.zj_staff,
        enrolment=enrolment,
        after=timezone.localdate() - datetime.timedelta(days=20),
        default_trainer=trainer,
    )
    first, second = enrolment.visits.order_by("number")[:2]
    next_date = next_working_day(timezone.localdate() + datetime.timedelta(days=9))
    visit_record(
        acting_user=cast.zj_trainer,
        visit=first,
        visit_date=timezone.localdate(),
        topics="5S",
        findings="Aisles",
        next_visit_date=next_date,
    )
    latest = ConsultingVisit.history.filter(id=second.pk).latest("history_date")
    assert (latest.planned_date, latest.history_user) == (next_date, cast.zj_trainer)


def test_it_records_the_author_of_each_teaching_team_change(cast):
    first, second = (TrainerFactory(partners=[cast.zj]) for _ in range(2))
    certify(first, "M1")
    certify(second, "M1")
    workshop = WorkshopFactory(partner=cast.zj)
    workshop_set_trainers(acting_user=cast.zj_staff, workshop=workshop, trainers=[first])
    workshop_set_trainers(acting_user=cast.zj_staff, workshop=workshop, trainers=[second])
    rows = WorkshopTrainer.history.filter(workshop_id=workshop.pk).order_by("history_id")
    assert [(row.trainer_id, row.history_type, row.history_user) for row in rows] == [
        (first.pk, "+", cast.zj_staff),
        (first.pk, "-", cast.zj_staff),
        (second.pk, "+", cast.zj_staff),
    ]
    # Saving the same team again writes nothing.
    workshop_set_trainers(acting_user=cast.zj_staff, workshop=workshop, trainers=[second])
    assert WorkshopTrainer.history.filter(workshop_id=workshop.pk).count() == 3


def test_it_records_the_author_of_planned_visits_moved_to_a_new_consultant(cast):
    from trainers.services.assignments import assignment_add, assignment_remove

    first, second = (TrainerFactory(partners=[cast.zj]) for _ in range(2))
    enrolment = EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj))
    plan_visits(
        acting_user=cast.zj_staff,
        enrolment=enrolment,
        after=timezone.localdate(),
        default_trainer=first,
    )
    assignment_add(acting_user=cast.zj_staff, enrolment=enrolment, trainer=second)
    assignment_remove(
        acting_user=cast.zj_staff,
        assignment=Assignment.objects.get(enrolment=enrolment, trainer=first),
    )
    visit = enrolment.visits.first()
    latest = visit.history.latest("history_date")
    assert (latest.trainer_id, latest.history_user) == (second.pk, cast.zj_staff)
