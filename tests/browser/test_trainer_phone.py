"""Every page in the trainer's menu (and the visit and KPI pages they lead to) fits a
375 px phone without sideways scrolling; the home shows today and this week first (issue 15)."""

import datetime

import pytest
from django.urls import reverse

from score_portal.access import access_for
from score_portal.navigation import nav_for
from tests.factories import EnrolmentFactory, EnterpriseFactory, TrainerFactory
from trainers.services.assignments import assignment_add
from trainers.services.visits import plan_visits, visit_record

from .conftest import log_in_with_cookie

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PHONE = {"width": 375, "height": 812}
TODAY = datetime.date.today()


@pytest.fixture
def trainer_world(cast):
    trainer = TrainerFactory(partners=[cast.zj], user=cast.zj_trainer)
    enterprise = EnterpriseFactory(
        partner=cast.zj, name="Hangzhou Precision Stamping and Die-Casting Works Co., Ltd."
    )
    enrolment = EnrolmentFactory(enterprise=enterprise, status="in_consulting")
    assignment_add(acting_user=cast.zj_staff, enrolment=enrolment, trainer=trainer)
    plan_visits(
        acting_user=cast.zj_staff,
        enrolment=enrolment,
        after=TODAY - datetime.timedelta(days=20),
        default_trainer=trainer,
    )
    first = enrolment.visits.get(number=1)
    visit_record(
        acting_user=cast.zj_trainer,
        visit=first,
        visit_date=TODAY,
        topics="5S",
        actions=[{"description": "Mark the aisles", "owner": "Wang", "due_date": TODAY}],
    )
    return enterprise, first


def _trainer_pages(cast, enterprise, visit) -> list[str]:
    menu = [reverse(item.url_name) for item in nav_for(access_for(cast.zj_trainer))]
    assert reverse("trainers:offline-app") in menu
    return [
        reverse("home"),
        *menu,
        reverse("enterprises:detail", args=[enterprise.pk]),
        reverse("enterprises:kpi:overview", args=[enterprise.pk]),
        reverse("enterprises:kpi:record", args=[enterprise.pk]),
        reverse("trainers:visits:detail", args=[visit.pk]),
        reverse("trainers:visits:record", args=[visit.pk]),
        reverse("trainers:sync-conflicts"),
    ]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_trainer_page_fits_375_px(page, live_server, cast, trainer_world, language):
    enterprise, visit = trainer_world
    page.set_viewport_size(PHONE)
    log_in_with_cookie(page.context, live_server, cast.zj_trainer, language)
    too_wide = {}
    for url in _trainer_pages(cast, enterprise, visit):
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[url] = width
    assert not too_wide


def test_trainer_home_shows_this_week_first_and_folds_the_rest(
    page, live_server, cast, trainer_world
):
    page.set_viewport_size(PHONE)
    log_in_with_cookie(page.context, live_server, cast.zj_trainer)
    page.goto(f"{live_server.url}/")
    visits = page.locator("#visits-heading")
    folded = page.locator("details.home-more")
    assert visits.is_visible()
    assert folded.count() >= 1 and folded.first.get_attribute("open") is None
    assert visits.bounding_box()["y"] < folded.first.bounding_box()["y"]
