"""Visit numbering, action carry-over, cancelling, and who may record."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from score_portal.workdays import next_working_day
from tests.factories import EnrolmentFactory, EnterpriseFactory, TrainerFactory
from trainers.models import ConsultingVisit, VisitAction
from trainers.services.assignments import assignment_add
from trainers.services.visits import (
    next_visit,
    open_actions_before,
    plan_visits,
    visit_cancel,
    visit_record,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def assigned(cast):
    """zj-trainer is the consultant of one enrolment with two planned visits."""
    trainer = TrainerFactory(partners=[cast.zj], user=cast.zj_trainer)
    enrolment = EnrolmentFactory(
        enterprise=EnterpriseFactory(partner=cast.zj), status="in_consulting"
    )
    assignment_add(acting_user=cast.zj_staff, enrolment=enrolment, trainer=trainer)
    plan_visits(
        acting_user=cast.zj_staff,
        enrolment=enrolment,
        after=TODAY - datetime.timedelta(days=20),
        default_trainer=trainer,
    )
    return enrolment, trainer


def _record(user, visit, **extra):
    data = {"visit_date": TODAY, "topics": "5S audit", "findings": "Cluttered aisles"}
    data.update(extra)
    return visit_record(acting_user=user, visit=visit, **data)


def test_recording_takes_the_earliest_planned_visit(cast, assigned):
    enrolment, trainer = assigned
    visit = next_visit(enrolment, trainer)
    assert visit.number == 1 and visit.status == "planned"
    _record(cast.zj_trainer, visit)
    assert next_visit(enrolment, trainer).number == 2


def test_unplanned_visits_are_numbered_after_the_last(cast, assigned):
    enrolment, trainer = assigned
    for visit in list(enrolment.visits.all()):
        _record(cast.zj_trainer, visit)
    extra = next_visit(enrolment, trainer)
    assert extra.pk is None and extra.number == 5
    _record(cast.zj_trainer, extra)
    assert [v.number for v in enrolment.visits.order_by("number")] == [1, 2, 3, 4, 5]


def test_open_actions_carry_over_to_the_next_visit(cast, assigned):
    enrolment, trainer = assigned
    first = _record(
        cast.zj_trainer,
        next_visit(enrolment, trainer),
        actions=[
            {"description": "Label chemical drums", "owner": "Wu", "due_date": TODAY},
            {"description": "Clear fire exits", "owner": "Li", "due_date": TODAY},
        ],
    )
    second = next_visit(enrolment, trainer)
    carried = open_actions_before(second)
    assert [a.description for a in carried] == ["Label chemical drums", "Clear fire exits"]
    _record(cast.zj_trainer, second, reviews={carried[0].pk: "done", carried[1].pk: "not_done"})
    statuses = dict(VisitAction.objects.values_list("description", "status"))
    assert statuses == {"Label chemical drums": "done", "Clear fire exits": "not_done"}
    assert VisitAction.objects.get(description="Clear fire exits").reviewed_on == second
    assert open_actions_before(next_visit(enrolment, trainer)) == []
    assert first.actions.count() == 2


def test_next_visit_date_moves_the_next_planned_visit(cast, assigned):
    enrolment, trainer = assigned
    next_date = next_working_day(TODAY + datetime.timedelta(days=10))
    _record(cast.zj_trainer, next_visit(enrolment, trainer), next_visit_date=next_date)
    assert enrolment.visits.get(number=2).planned_date == next_date


def test_future_visit_cannot_be_recorded(cast, assigned):
    enrolment, trainer = assigned
    with pytest.raises(ValidationError, match="future"):
        _record(
            cast.zj_trainer,
            next_visit(enrolment, trainer),
            visit_date=TODAY + datetime.timedelta(days=1),
        )


def test_cancelling_needs_a_reason_and_a_planned_visit(cast, assigned):
    enrolment, trainer = assigned
    visit = next_visit(enrolment, trainer)
    with pytest.raises(ValidationError, match="reason"):
        visit_cancel(acting_user=cast.zj_trainer, visit=visit, reason="")
    visit_cancel(acting_user=cast.zj_trainer, visit=visit, reason="Factory closed")
    visit.refresh_from_db()
    assert visit.status == "cancelled"
    with pytest.raises(ValidationError):
        visit_cancel(acting_user=cast.zj_trainer, visit=visit, reason="Again")


def test_unassigned_trainer_cannot_record(cast, assigned):
    enrolment, _trainer = assigned
    other_enrolment = EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj))
    visit = ConsultingVisit(enrolment=other_enrolment, trainer=assigned[1], number=1)
    with pytest.raises(PermissionDenied):
        _record(cast.zj_trainer, visit)
    with pytest.raises(PermissionDenied):
        _record(cast.zj_manager, next_visit(enrolment, assigned[1]))


def test_staff_correct_a_recorded_visit_with_history(cast, assigned):
    enrolment, trainer = assigned
    visit = _record(cast.zj_trainer, next_visit(enrolment, trainer))
    visit_record(
        acting_user=cast.zj_staff,
        visit=visit,
        visit_date=TODAY,
        topics="5S audit and suggestion box",
        findings="Better",
    )
    visit.refresh_from_db()
    assert visit.topics == "5S audit and suggestion box"
    assert visit.history.first().history_user == cast.zj_staff


def test_trainer_records_a_visit_on_the_phone_page(client, cast, assigned):
    enrolment, trainer = assigned
    visit = enrolment.visits.get(number=1)
    client.force_login(cast.zj_trainer)
    page = client.get(reverse("trainers:visits:record", args=[visit.pk]))
    assert page.status_code == 200 and 'name="viewport"' in page.content.decode()
    response = client.post(
        reverse("trainers:visits:record", args=[visit.pk]),
        {
            "visit_date": TODAY.isoformat(),
            "mode": "on_site",
            "topics": "EIT meeting",
            "findings": "Minutes kept",
            "action_0": "Post EIT minutes",
            "owner_0": "Secretary",
            "due_0": (TODAY + datetime.timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == "recorded" and visit.actions.get().owner == "Secretary"
    home = client.get(reverse("home")).content.decode()
    assert "Post EIT minutes" in home and enrolment.enterprise.name in home


def test_trainer_home_shows_overdue_and_this_week(client, cast, assigned):
    enrolment, trainer = assigned
    ConsultingVisit.objects.filter(enrolment=enrolment, number=1).update(
        planned_date=TODAY - datetime.timedelta(days=3)
    )
    ConsultingVisit.objects.filter(enrolment=enrolment, number=2).update(
        planned_date=TODAY + datetime.timedelta(days=2)
    )
    client.force_login(cast.zj_trainer)
    response = client.get(reverse("home"))
    panel = next(
        ctx
        for template, ctx in response.context["panels"]
        if template == "trainers/_panel_trainer_home.html"
    )
    assert [v.number for v in panel["overdue"]] == [1]
    assert [v.number for v in panel["this_week"]] == [2]
    assert [e.pk for e in panel["missing"]] == [enrolment.enterprise_id]


def test_other_partner_and_unassigned_get_404(client, cast, assigned):
    enrolment, trainer = assigned
    visit = enrolment.visits.get(number=1)
    client.force_login(cast.sc_staff)
    assert client.get(reverse("trainers:visits:detail", args=[visit.pk])).status_code == 404
    client.force_login(cast.zj_manager)
    assert client.get(reverse("trainers:visits:detail", args=[visit.pk])).status_code == 200
    assert client.get(reverse("trainers:visits:record", args=[visit.pk])).status_code == 403
