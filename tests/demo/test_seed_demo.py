"""The demo data: trainers, workshops and visits, made once however often the seed runs."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from score_portal.workdays import is_working_day
from trainers import selectors
from trainers.models import (
    Assignment,
    Certification,
    ConsultingVisit,
    Trainer,
    VisitAction,
    WorkshopTrainer,
)
from workshops.models import Attendance, Participant, Workshop

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]  # also in the SQLite pass
MODELS = [
    Trainer,
    Certification,
    Workshop,
    WorkshopTrainer,
    Participant,
    Attendance,
    Assignment,
    ConsultingVisit,
    VisitAction,
]


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seed_demo_twice_creates_nothing_new_and_gives_demo_trainers_a_schedule():
    call_command("seed_demo", stdout=io.StringIO())
    first = _counts()
    assert first["Trainer"] >= 6 * 8 and first["Workshop"] >= 20
    assert all(first.values()), first
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first

    for username in ("zj-trainer", "sc-trainer"):
        user = get_user_model().objects.get(username=username)
        trainer = Trainer.objects.get(user=user)
        schedule = selectors.schedule_for(user, trainer)
        assert schedule["workshops"], username
        assert schedule["overdue"] >= 1, username
        soon = [
            v for v in schedule["visits"] if 0 <= (v.planned_date - schedule["today"]).days <= 14
        ]
        assert soon, username
        assert Assignment.objects.filter(trainer=trainer).exists()
        assert ConsultingVisit.objects.filter(trainer=trainer, status="recorded").exists()
    # every planned date of the demo's visit plan is a working day (issue 20, item 3)
    planned = list(ConsultingVisit.objects.values_list("planned_date", flat=True))
    assert planned and not [day for day in planned if day and not is_working_day(day)]
    women = Participant.objects.filter(sex="F").count() / first["Participant"]
    assert 0.2 < women < 0.5
    assert VisitAction.objects.filter(status="open").exists()
    assert VisitAction.objects.filter(status="done").exists()
    assert Certification.objects.filter(grade="expert").exists()
    assert Certification.objects.filter(grade="expired").exists()
    assert Certification.objects.filter(grade="candidate").exists()


def test_seed_demo_gives_a_zhejiang_enterprise_its_contact_login():
    from score_portal.access import access_for
    from score_portal.models import Role

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    user = get_user_model().objects.get(username="zj-enterprise")
    assert user.check_password("demo")
    membership = user.memberships.get()
    assert membership.role == Role.ENTERPRISE_CONTACT
    assert membership.partner.code == "ZJ" and membership.enterprise.partner.code == "ZJ"
    assert access_for(user).enterprise_ids == {membership.enterprise_id}
    assert ConsultingVisit.objects.filter(enrolment__enterprise=membership.enterprise).exists()
    # the group's SCORE secretary: the contact of every enterprise of a Zhejiang group
    group_user = get_user_model().objects.get(username="zj-group")
    assert group_user.check_password("demo")
    group_membership = group_user.memberships.get()
    assert group_membership.enterprise is None and group_membership.group.partner.code == "ZJ"
    members = set(group_membership.group.enterprises.values_list("pk", flat=True))
    assert len(members) > 1 and access_for(group_user).enterprise_ids == members
