"""The enterprise contact on a phone (issue 16): logs in with their password at 375 × 812,
submits a month of suggestions and a KPI reading, and every page of their portal fits the
screen without sideways scrolling, in English and Chinese."""

import pytest
from django.urls import reverse

from catalogue.models import KPIDefinition
from enterprises.models import KPIReading, SuggestionCount
from tests.factories import EnterpriseFactory
from tests.url_world import contact_of

from .conftest import PASSWORD, log_in_with_cookie

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def contact_world(cast):
    enterprise = EnterpriseFactory(
        partner=cast.zj, name="Hangzhou Precision Stamping and Die-Casting Works Co., Ltd."
    )
    return enterprise, contact_of(enterprise, username="eit-secretary")


def test_a_contact_logs_in_on_a_phone_and_submits_a_month_and_a_reading(
    page, live_server, contact_world
):
    enterprise, contact = contact_world
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("#id_username", contact.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url(f"{live_server.url}{reverse('contacts:home')}")
    assert enterprise.name in page.content()

    page.click(f"a[href='{reverse('contacts:suggestions-submit')}']")
    page.fill("#id_month", "2026-06")
    page.fill("#id_made", "14")
    page.fill("#id_implemented", "6")
    page.click("input[name=save]")
    page.wait_for_url(f"{live_server.url}{reverse('contacts:projects')}")
    assert "waits for the programme to verify it" in page.content()
    row = SuggestionCount.objects.get(enterprise=enterprise)
    assert (row.made, row.implemented, row.source) == (14, 6, "enterprise")

    page.goto(f"{live_server.url}{reverse('contacts:reading-submit')}")
    kpi = KPIDefinition.objects.get(code="defect_rate")
    page.select_option("#id_kpi", value=str(kpi.pk))
    page.fill("#id_period_start", "2026-04-01")
    page.fill("#id_period_end", "2026-06-30")
    page.fill("#id_value", "2")
    page.click("input[name=save]")
    page.wait_for_url(f"{live_server.url}{reverse('contacts:kpis')}")
    reading = KPIReading.objects.get(enterprise=enterprise)
    assert reading.source == "enterprise" and reading.verified_at is None
    assert "Waiting for verification" in page.content()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_contact_page_fits_375_px(page, live_server, contact_world, language):
    _enterprise, contact = contact_world
    page.set_viewport_size(PHONE)
    log_in_with_cookie(page.context, live_server, contact, language)
    too_wide = {}
    for name in (
        "contacts:home",
        "contacts:actions",
        "contacts:kpis",
        "contacts:reading-submit",
        "contacts:projects",
        "contacts:project-submit",
        "contacts:suggestions-submit",
        "contacts:certificates",
        "contacts:reports",
    ):
        url = reverse(name)
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[url] = width
    assert not too_wide
