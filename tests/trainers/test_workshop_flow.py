"""Certification rules, the eligibility warning, attendance and the automatic visit plan."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enterprises.models import Enrolment
from score_portal.workdays import working_days_after
from tests.factories import (
    EnrolmentFactory,
    EnterpriseFactory,
    TrainerFactory,
    WorkshopFactory,
    _module,
    certify,
)
from trainers.models import Assignment, ConsultingVisit
from trainers.services.assignments import assignment_add
from trainers.services.certification import certification_save
from trainers.services.teaching import workshop_complete, workshop_set_trainers
from trainers.services.trainers import trainer_save
from workshops import services as workshop_services
from workshops.models import Attendance

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(cast):
    certified = TrainerFactory(name="Zhang Wei", partners=[cast.zj])
    certify(certified, "M1", "certified")
    candidate = TrainerFactory(name="Li Ming", partners=[cast.zj])
    certify(candidate, "M1", "candidate")
    stranger = TrainerFactory(name="Outsider", partners=[cast.zj])
    workshop = WorkshopFactory(partner=cast.zj)
    enrolments = [EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj)) for _ in range(3)]
    return {
        "certified": certified,
        "candidate": candidate,
        "stranger": stranger,
        "workshop": workshop,
        "enrolments": enrolments,
    }


def test_certified_trainer_teaches_without_warning(cast, setup):
    warnings = workshop_set_trainers(
        acting_user=cast.zj_staff, workshop=setup["workshop"], trainers=[setup["certified"]]
    )
    assert warnings == []


def test_candidate_with_certified_co_trainer_is_fine(cast, setup):
    assert (
        workshop_set_trainers(
            acting_user=cast.zj_staff,
            workshop=setup["workshop"],
            trainers=[setup["certified"], setup["candidate"]],
        )
        == []
    )


def test_candidate_alone_needs_a_reason(cast, setup):
    with pytest.raises(ValidationError) as error:
        workshop_set_trainers(
            acting_user=cast.zj_staff, workshop=setup["workshop"], trainers=[setup["candidate"]]
        )
    assert "needs a certified co-trainer" in str(error.value)
    warnings = workshop_set_trainers(
        acting_user=cast.zj_staff,
        workshop=setup["workshop"],
        trainers=[setup["candidate"]],
        reason="Expert ill; supervised by phone",
    )
    assert len(warnings) == 1
    link = setup["workshop"].trainer_links.get()
    assert "Expert ill" in link.eligibility_note


def test_uncertified_trainer_warns(cast, setup):
    with pytest.raises(ValidationError, match="not certified for M1"):
        workshop_set_trainers(
            acting_user=cast.zj_staff, workshop=setup["workshop"], trainers=[setup["stranger"]]
        )


def test_expired_certification_counts_as_not_qualified(cast, setup):
    certification = certify(setup["certified"], "M1", "certified")
    certification.valid_until = datetime.date(2026, 1, 1)
    certification.save()
    with pytest.raises(ValidationError):
        workshop_set_trainers(
            acting_user=cast.zj_staff, workshop=setup["workshop"], trainers=[setup["certified"]]
        )


def test_trainer_of_another_partner_cannot_teach(cast, setup):
    sichuan = TrainerFactory(partners=[cast.sc])
    certify(sichuan)
    with pytest.raises(ValidationError, match="does not serve"):
        workshop_set_trainers(
            acting_user=cast.zj_staff, workshop=setup["workshop"], trainers=[sichuan]
        )


def test_certification_keeps_its_history(cast, setup):
    trainer = setup["candidate"]
    certification_save(
        acting_user=cast.zj_staff,
        trainer=trainer,
        module=_module("M1"),
        grade="certified",
        decision_date=datetime.date(2026, 5, 1),
        recommended_by=setup["certified"],
    )
    certification = trainer.certifications.get()
    assert certification.grade == "certified"
    assert [h.grade for h in certification.history.order_by("history_date")][-1] == "certified"
    with pytest.raises(ValidationError, match="recommend themselves"):
        certification_save(
            acting_user=cast.zj_staff,
            trainer=trainer,
            module=_module("M1"),
            grade="expert",
            decision_date=datetime.date(2026, 6, 1),
            recommended_by=trainer,
        )


def test_qualified_grade_needs_a_decision_date(cast, setup):
    with pytest.raises(ValidationError, match="date of the decision"):
        certification_save(
            acting_user=cast.zj_staff,
            trainer=setup["stranger"],
            module=_module("M2"),
            grade="certified",
        )


def test_partner_manager_cannot_certify(cast, setup):
    with pytest.raises(PermissionDenied):
        certification_save(
            acting_user=cast.zj_manager,
            trainer=setup["stranger"],
            module=_module("M2"),
            grade="candidate",
        )


def _workshop_with_participants(cast, setup):
    workshop = setup["workshop"]
    workshop_set_trainers(
        acting_user=cast.zj_staff, workshop=workshop, trainers=[setup["certified"]]
    )
    workshop_services.workshop_invite(
        acting_user=cast.zj_staff, workshop=workshop, enrolments=setup["enrolments"]
    )
    people = []
    for index, enrolment in enumerate(setup["enrolments"]):
        for level, sex in (("manager", "F"), ("worker", "M")):
            people.append(
                workshop_services.participant_save(
                    acting_user=cast.zj_staff,
                    workshop=workshop,
                    enrolment=enrolment,
                    name=f"P{index}{level}",
                    sex=sex,
                    level=level,
                )
            )
    return workshop, people


def test_attendance_grid_records_every_cell(cast, setup):
    workshop, people = _workshop_with_participants(cast, setup)
    day1, day2 = workshop.days
    present = {(p.pk, day1) for p in people} | {(people[0].pk, day2)}
    changed = workshop_services.attendance_record(
        acting_user=cast.zj_staff, workshop=workshop, present=present
    )
    assert changed == 7
    assert Attendance.objects.count() == 12
    assert Attendance.objects.filter(present=True).count() == 7
    # recording the same grid again changes nothing
    assert (
        workshop_services.attendance_record(
            acting_user=cast.zj_staff, workshop=workshop, present=present
        )
        == 0
    )


def test_it_records_attendance_history_with_its_author(cast, setup):
    workshop, people = _workshop_with_participants(cast, setup)
    day1, _day2 = workshop.days
    workshop_services.attendance_record(
        acting_user=cast.zj_staff, workshop=workshop, present={(people[0].pk, day1)}
    )
    assert Attendance.history.filter(history_type="+").count() == Attendance.objects.count()
    assert set(Attendance.history.values_list("history_user", flat=True)) == {cast.zj_staff.pk}
    setup["certified"].user = cast.zj_trainer
    setup["certified"].save()
    workshop_services.attendance_record(
        acting_user=cast.zj_trainer, workshop=workshop, present=set()
    )
    change = Attendance.history.get(history_type="~")
    assert (change.participant_id, change.day, change.present) == (people[0].pk, day1, False)
    assert change.history_user == cast.zj_trainer


def test_attendance_outside_the_workshop_days_is_refused(cast, setup):
    workshop, people = _workshop_with_participants(cast, setup)
    with pytest.raises(ValidationError):
        workshop_services.attendance_record(
            acting_user=cast.zj_staff,
            workshop=workshop,
            present={(people[0].pk, datetime.date(2026, 7, 1))},
        )
    assert not Attendance.objects.exists()


def test_teaching_trainer_records_attendance_others_cannot(cast, setup):
    workshop, people = _workshop_with_participants(cast, setup)
    setup["certified"].user = cast.zj_trainer
    setup["certified"].save()
    workshop_services.attendance_record(
        acting_user=cast.zj_trainer,
        workshop=workshop,
        present={(people[0].pk, workshop.start_date)},
    )
    other = WorkshopFactory(partner=cast.zj)
    with pytest.raises(PermissionDenied):
        workshop_services.attendance_record(
            acting_user=cast.zj_trainer, workshop=other, present=set()
        )


def test_capacity_is_enforced(cast, setup):
    workshop = setup["workshop"]
    workshop.capacity = 1
    workshop.save()
    enrolment = setup["enrolments"][0]
    workshop_services.workshop_invite(
        acting_user=cast.zj_staff, workshop=workshop, enrolments=[enrolment]
    )
    workshop_services.participant_save(
        acting_user=cast.zj_staff,
        workshop=workshop,
        enrolment=enrolment,
        name="A",
        sex="F",
        level="worker",
    )
    with pytest.raises(ValidationError, match="full"):
        workshop_services.participant_save(
            acting_user=cast.zj_staff,
            workshop=workshop,
            enrolment=enrolment,
            name="B",
            sex="M",
            level="worker",
        )


def test_only_enrolments_in_the_module_can_be_invited(cast, setup):
    m2 = EnrolmentFactory(enterprise=setup["enrolments"][0].enterprise, module=_module("M2"))
    with pytest.raises(ValidationError, match="no open enrolment in M1"):
        workshop_services.workshop_invite(
            acting_user=cast.zj_staff, workshop=setup["workshop"], enrolments=[m2]
        )


def test_completing_moves_attending_enterprises_and_plans_their_visits(cast, setup):
    workshop, people = _workshop_with_participants(cast, setup)
    attended, absent = setup["enrolments"][:2], setup["enrolments"][2]
    present = {(p.pk, workshop.start_date) for p in people if p.enrolment in attended}
    workshop_services.attendance_record(
        acting_user=cast.zj_staff, workshop=workshop, present=present
    )
    consultant = TrainerFactory(partners=[cast.zj])
    assignment_add(acting_user=cast.zj_staff, enrolment=attended[1], trainer=consultant)
    result = workshop_complete(acting_user=cast.zj_staff, workshop=workshop)
    assert result == {"enterprises": 2, "visits": 8}
    workshop.refresh_from_db()
    assert workshop.status == "held"
    for enrolment in attended:
        enrolment.refresh_from_db()
        assert enrolment.status == Enrolment.Status.IN_CONSULTING
    absent.refresh_from_db()
    assert absent.status == "enrolled"
    visits = ConsultingVisit.objects.filter(enrolment=attended[0]).order_by("number")
    assert [v.number for v in visits] == [1, 2, 3, 4]
    # the module's offsets, each on that day or the next working day
    assert [v.planned_date for v in visits] == working_days_after(
        workshop.end_date, [14, 35, 60, 90]
    )
    assert all(
        0 <= (v.planned_date - workshop.end_date).days - o <= 7
        for v, o in zip(visits, [14, 35, 60, 90], strict=True)
    )
    assert {v.trainer for v in visits} == {setup["certified"]}  # the lead trainer
    assert {v.trainer for v in ConsultingVisit.objects.filter(enrolment=attended[1])} == {
        consultant
    }
    # the lead trainer became the consultant, which scopes what they see
    assert Assignment.objects.filter(enrolment=attended[0], trainer=setup["certified"]).exists()


def test_completing_needs_attendance(cast, setup):
    workshop, _people = _workshop_with_participants(cast, setup)
    with pytest.raises(ValidationError, match="Record the attendance"):
        workshop_complete(acting_user=cast.zj_staff, workshop=workshop)


def test_visit_plan_follows_the_module_offsets(cast):
    module = _module("M1")
    module.planned_visits, module.visit_offsets = 5, "10,20"
    assert module.visit_plan() == [10, 20, 50, 80, 110]


def test_cancelling_needs_a_reason(cast, setup):
    with pytest.raises(ValidationError, match="reason"):
        workshop_services.workshop_cancel(
            acting_user=cast.zj_staff, workshop=setup["workshop"], reason=""
        )
    workshop_services.workshop_cancel(
        acting_user=cast.zj_staff, workshop=setup["workshop"], reason="Typhoon"
    )


def test_assigned_trainer_sees_the_enterprise_and_only_that(cast, setup):
    from enterprises.selectors import enterprise_list
    from score_portal.access import scope
    from workshops.models import Workshop

    trainer = setup["certified"]
    trainer.user = cast.zj_trainer
    trainer.save()
    assert list(enterprise_list(cast.zj_trainer)) == []
    assignment_add(acting_user=cast.zj_staff, enrolment=setup["enrolments"][0], trainer=trainer)
    assert list(enterprise_list(cast.zj_trainer)) == [setup["enrolments"][0].enterprise]
    assert list(scope(cast.zj_trainer, Workshop.objects.all())) == []
    workshop_set_trainers(acting_user=cast.zj_staff, workshop=setup["workshop"], trainers=[trainer])
    assert list(scope(cast.zj_trainer, Workshop.objects.all())) == [setup["workshop"]]


def test_trainer_login_is_created_with_trainer_role(cast):
    from score_portal.access import access_for

    trainer, password = trainer_save(
        acting_user=cast.zj_staff,
        partners=[cast.zj],
        name="Wu Jing",
        sex="F",
        login_username="wu.jing",
    )
    assert password and trainer.user.check_password(password)
    assert access_for(trainer.user).is_trainer
    with pytest.raises(PermissionDenied):
        trainer_save(acting_user=cast.zj_staff, partners=[cast.sc], name="X", sex="M")


def test_a_workshop_cannot_be_completed_before_its_last_day(cast, setup):
    workshop, people = _workshop_with_participants(cast, setup)
    workshop_services.attendance_record(
        acting_user=cast.zj_staff, workshop=workshop, present={(people[0].pk, workshop.start_date)}
    )
    workshop.end_date = datetime.date.today() + datetime.timedelta(days=1)
    workshop.start_date = workshop.end_date
    workshop.save()
    with pytest.raises(ValidationError, match="not come yet"):
        workshop_complete(acting_user=cast.zj_staff, workshop=workshop)
