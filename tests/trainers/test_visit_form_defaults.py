"""The visit form's defaults and hints (issue 15; issue 20, item 11)."""

import datetime

import pytest
from django.urls import reverse

from enterprises.models import EITMember
from tests.factories import EnrolmentFactory, EnterpriseFactory, TrainerFactory
from trainers.services.assignments import assignment_add
from trainers.services.visits import plan_visits

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def planned_ahead(cast):
    """zj-trainer's enrolment with visits planned in the future."""
    trainer = TrainerFactory(partners=[cast.zj], user=cast.zj_trainer)
    enrolment = EnrolmentFactory(
        enterprise=EnterpriseFactory(partner=cast.zj), status="in_consulting"
    )
    assignment_add(acting_user=cast.zj_staff, enrolment=enrolment, trainer=trainer)
    plan_visits(
        acting_user=cast.zj_staff, enrolment=enrolment, after=TODAY, default_trainer=trainer
    )
    return enrolment


def test_visit_form_starts_with_today_not_the_future_planned_date(client, cast, planned_ahead):
    visit = planned_ahead.visits.get(number=1)
    assert visit.planned_date > TODAY
    client.force_login(cast.zj_trainer)
    response = client.get(reverse("trainers:visits:record", args=[visit.pk]))
    assert response.context["form"]["visit_date"].value() == TODAY
    planned = f"{visit.planned_date.day} {visit.planned_date:%b %Y}"  # the one formatter
    assert f"Planned for {planned}" in response.content.decode()


@pytest.mark.parametrize(
    "language, words", [("en", "No EIT members are recorded"), ("zh-hans", "尚未登记")]
)
def test_visit_form_says_when_the_enterprise_has_no_eit_members(
    client, cast, planned_ahead, language, words
):
    visit = planned_ahead.visits.get(number=1)
    client.force_login(cast.zj_trainer)
    url = reverse("trainers:visits:record", args=[visit.pk])
    page = client.get(url, headers={"accept-language": language}).content.decode()
    assert words in page
    EITMember.objects.create(enterprise=planned_ahead.enterprise, name="Wang Fang")
    page = client.get(url, headers={"accept-language": language}).content.decode()
    assert words not in page


def test_action_owners_are_offered_the_eit_members(client, cast, planned_ahead):
    EITMember.objects.create(enterprise=planned_ahead.enterprise, name="Wang Fang")
    visit = planned_ahead.visits.get(number=1)
    client.force_login(cast.zj_trainer)
    page = client.get(reverse("trainers:visits:record", args=[visit.pk])).content.decode()
    assert 'list="eit-owners"' in page and '<option value="Wang Fang"></option>' in page


def test_completed_enrolments_offer_no_new_visit(client, cast, planned_ahead):
    client.force_login(cast.zj_trainer)
    new = reverse("trainers:visits:new", args=[planned_ahead.pk])
    assert new in client.get(reverse("home")).content.decode()
    planned_ahead.status = "completed"
    planned_ahead.save(update_fields=["status"])
    assert new not in client.get(reverse("home")).content.decode()
    response = client.get(new)
    assert response.status_code == 302
    assert response.url == reverse("enterprises:detail", args=[planned_ahead.enterprise_id])
