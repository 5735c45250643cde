"""Issue 20, item 3: visits are planned on working days, staff see the plan (per enterprise,
per consultant, per week), and planned visits follow a newly assigned consultant."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from score_portal.workdays import is_working_day, next_working_day, working_days_after
from tests.factories import EnrolmentFactory, EnterpriseFactory, TrainerFactory
from trainers.models import Assignment, ConsultingVisit
from trainers.services.assignments import assignment_add
from trainers.services.visits import plan_visits, visit_record

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
ZH = "zh-hans"


def test_planned_visits_never_fall_on_a_weekend_over_a_year_of_plans(cast):
    """A workshop ending on each day of two years, with every module's visit plan."""
    offsets = {m.code: m.visit_plan() for m in apps.get_model("catalogue", "Module").objects.all()}
    assert offsets
    start = datetime.date(2026, 1, 1)
    for day in range(365 * 2):
        end = start + datetime.timedelta(days=day)
        for code, plan in offsets.items():
            days = working_days_after(end, plan)
            assert all(d.weekday() < 5 for d in days), (end, code, days)
            assert all(is_working_day(d) for d in days), (end, code, days)
            assert days == sorted(set(days))  # one visit a day, in order


def test_chinese_public_holidays_are_skipped_and_make_up_saturdays_are_not_used():
    assert next_working_day(datetime.date(2026, 10, 1)) == datetime.date(2026, 10, 8)  # 国庆
    assert next_working_day(datetime.date(2026, 10, 10)) == datetime.date(2026, 10, 12)  # 调休 Sat
    assert next_working_day(datetime.date(2026, 12, 5)) == datetime.date(2026, 12, 7)
    assert next_working_day(datetime.date(2026, 12, 7)) == datetime.date(2026, 12, 7)


@pytest.fixture
def consulting(cast):
    lead = TrainerFactory(partners=[cast.zj], name="Lead Wang", name_zh="王组长")
    enrolment = EnrolmentFactory(
        enterprise=EnterpriseFactory(
            partner=cast.zj, name="Plan Pumps Co.", name_zh="Plan Pumps Co."
        ),
        status="in_consulting",
    )
    return enrolment, lead


def test_the_service_plans_every_visit_on_a_working_day(cast, consulting):
    enrolment, lead = consulting
    saturday = datetime.date(2026, 11, 21)  # +14 days is Saturday 5 December
    plan_visits(
        acting_user=cast.zj_staff, enrolment=enrolment, after=saturday, default_trainer=lead
    )
    dates = list(enrolment.visits.order_by("number").values_list("planned_date", flat=True))
    assert dates[0] == datetime.date(2026, 12, 7)
    assert len(dates) == 4 and all(is_working_day(d) for d in dates)


def test_assigning_another_consultant_hands_over_the_planned_visits(cast, consulting):
    enrolment, lead = consulting
    plan_visits(acting_user=cast.zj_staff, enrolment=enrolment, after=TODAY, default_trainer=lead)
    assert set(enrolment.visits.values_list("trainer", flat=True)) == {lead.pk}
    other = TrainerFactory(partners=[cast.zj], name="Consultant Li")
    assignment_add(acting_user=cast.zj_staff, enrolment=enrolment, trainer=other)
    assert set(enrolment.visits.values_list("trainer", flat=True)) == {other.pk}
    # the lead stays assigned; assigning them again moves nothing back
    assert Assignment.objects.filter(enrolment=enrolment, trainer=lead).exists()
    assignment_add(acting_user=cast.zj_staff, enrolment=enrolment, trainer=lead)
    assert set(enrolment.visits.values_list("trainer", flat=True)) == {other.pk}
    latest = ConsultingVisit.history.filter(enrolment_id=enrolment.pk).latest("history_date")
    assert latest.history_user == cast.zj_staff


def test_a_next_visit_on_a_weekend_is_refused_with_a_working_day_to_choose(cast, consulting):
    enrolment, lead = consulting
    lead.user = cast.zj_trainer
    lead.save()
    plan_visits(acting_user=cast.zj_staff, enrolment=enrolment, after=TODAY, default_trainer=lead)
    visit = enrolment.visits.order_by("number").first()
    saturday = TODAY + datetime.timedelta(days=(5 - TODAY.weekday()) % 7 or 7)
    with pytest.raises(ValidationError, match="weekend day or a public holiday"):
        visit_record(
            acting_user=cast.zj_trainer,
            visit=visit,
            visit_date=TODAY,
            topics="5S",
            findings="Aisles",
            next_visit_date=saturday,
        )
    visit.refresh_from_db()
    assert visit.status == "planned"


def test_the_migration_moves_weekend_planned_visits_to_the_next_working_day(cast, consulting):
    enrolment, lead = consulting
    sunday = datetime.date(2026, 12, 6)
    planned = ConsultingVisit.objects.create(
        enrolment=enrolment, trainer=lead, number=1, planned_date=sunday
    )
    recorded = ConsultingVisit.objects.create(
        enrolment=enrolment,
        trainer=lead,
        number=2,
        planned_date=sunday,
        status="recorded",
        visit_date=datetime.date(2025, 12, 6),
    )
    migration = importlib.import_module("trainers.migrations.0005_planned_visits_on_working_days")
    migration.move_to_working_days(apps, None)
    planned.refresh_from_db()
    recorded.refresh_from_db()
    assert planned.planned_date == datetime.date(2026, 12, 7)
    assert recorded.planned_date == sunday  # what happened keeps its record


def _plan_page(client, user, language, **params):
    client.force_login(user)
    client.cookies["django_language"] = language
    return client.get(reverse("trainers:visits:plan"), params)


@pytest.mark.parametrize(
    ("language", "heading", "visit"),
    [("en", "Visit plan", "M1, visit 1"), (ZH, "入企咨询计划", "M1，第 1 次走访")],
)
def test_staff_see_the_plan_per_week_with_the_consultant(
    client, cast, consulting, language, heading, visit
):
    enrolment, lead = consulting
    plan_visits(acting_user=cast.zj_staff, enrolment=enrolment, after=TODAY, default_trainer=lead)
    first = enrolment.visits.order_by("number").first()
    body = _plan_page(client, cast.zj_staff, language).content.decode()
    assert heading in body
    assert "Plan Pumps Co." in body
    assert ("Lead Wang" if language == "en" else "王组长") in body
    assert first.planned_date.isoformat() in body
    assert visit in body
    # the other partner's staff do not see it
    other = _plan_page(client, cast.sc_staff, language).content.decode()
    assert "Plan Pumps Co." not in other


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "The consultant 99999 is not one you can see"), (ZH, "您无权查看咨询培训师 99999")],
)
def test_a_bad_consultant_in_the_address_says_so(client, cast, consulting, language, message):
    response = _plan_page(client, cast.zj_staff, language, trainer="99999")
    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_plan_filters_by_consultant_in_a_fixed_number_of_queries(
    client, cast, consulting, django_assert_max_num_queries
):
    enrolment, lead = consulting
    plan_visits(acting_user=cast.zj_staff, enrolment=enrolment, after=TODAY, default_trainer=lead)
    other = TrainerFactory(partners=[cast.zj], name="Idle Zhao")
    client.force_login(cast.zj_staff)
    with django_assert_max_num_queries(12):
        body = client.get(reverse("trainers:visits:plan"), {"trainer": other.pk}).content.decode()
    assert "Plan Pumps Co." not in body
    body = client.get(reverse("trainers:visits:plan"), {"trainer": lead.pk}).content.decode()
    assert "Plan Pumps Co." in body


def test_staff_following_a_schedule_link_get_the_plan(client, cast):
    client.force_login(cast.zj_staff)
    response = client.get(reverse("trainers:my-schedule"))
    assert response.status_code == 302 and response.url == reverse("trainers:visits:plan")


@pytest.mark.parametrize(
    ("language", "label"), [("en", "Planned visit dates"), (ZH, "计划走访日期")]
)
def test_the_enterprise_page_shows_the_planned_dates(client, cast, consulting, language, label):
    enrolment, lead = consulting
    plan_visits(acting_user=cast.zj_staff, enrolment=enrolment, after=TODAY, default_trainer=lead)
    client.force_login(cast.zj_staff)
    client.cookies["django_language"] = language
    body = client.get(reverse("enterprises:detail", args=[enrolment.enterprise_id])).content
    body = body.decode()
    assert label in body
    for day in enrolment.visits.values_list("planned_date", flat=True):
        assert day.isoformat() in body
