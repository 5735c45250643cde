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
        "contacts:assessments",
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


def test_the_enterprise_and_the_programme_review_a_reading_together(
    page, live_server, cast, smtp_server
):
    """Issue 16's journey: staff invite the EIT secretary; on a phone the secretary sets a
    password, logs in, fills the baseline assessment and a month of suggestions and submits a
    KPI reading; staff return it with a comment; the secretary corrects it; other staff
    verify it; the enterprise page and the indicator show the result."""
    import re

    from enterprises.models import Assessment
    from enterprises.services.review import kpi_readings_verify
    from reports.indicators.compute import indicator_values
    from tests.factories import EnrolmentFactory, user_with_role

    enterprise = EnterpriseFactory(partner=cast.zj, name="Ningbo Journey Garments")
    enrolment = EnrolmentFactory(enterprise=enterprise, status="in_training")
    page.set_viewport_size(PHONE)

    # 1. partner staff invite the secretary from the enterprise page
    log_in_with_cookie(page.context, live_server, cast.zj_staff)
    page.goto(f"{live_server.url}{reverse('enterprises:detail', args=[enterprise.pk])}")
    page.click(f"a[href='{reverse('contacts-staff:invite', args=[enterprise.pk])}']")
    page.fill("#id_name", "Xu Li")
    page.fill("#id_email", "xu.li@example.org")
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r".*/enterprises/\d+/$"))
    [message] = smtp_server.messages
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://[^/\s]+(/people/\S+/)", body).group(1)

    # 2. the secretary, on a phone: a password, then the portal
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{link}")
    page.fill("#id_new_password1", "A long passphrase 2026")
    page.fill("#id_new_password2", "A long passphrase 2026")
    page.locator("main form").get_by_role("button").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}{reverse('login')}")
    username = enterprise.partner.memberships.get(role="enterprise_contact").user.username
    page.fill("#id_username", username)
    page.fill("#id_password", "A long passphrase 2026")
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url(f"{live_server.url}{reverse('contacts:home')}")

    # the baseline assessment: every practice "no" but the first
    page.goto(f"{live_server.url}{reverse('contacts:assessments')}")
    page.get_by_role("link", name="Fill the baseline assessment").first.click()
    radios = page.locator("input[type=radio][value=no]")
    for index in range(radios.count()):
        radios.nth(index).check()
    page.locator("input[type=radio][value=yes]").first.check()
    page.click("input[name=save]")
    page.wait_for_url(f"{live_server.url}{reverse('contacts:assessments')}")
    baseline = Assessment.objects.get(enterprise=enterprise)
    assert (baseline.kind, baseline.source) == ("baseline", "enterprise")

    # a month of suggestions and a KPI reading
    page.goto(f"{live_server.url}{reverse('contacts:suggestions-submit')}")
    page.fill("#id_month", "2026-06")
    page.fill("#id_made", "9")
    page.fill("#id_implemented", "4")
    page.click("input[name=save]")
    page.wait_for_url(f"{live_server.url}{reverse('contacts:projects')}")
    page.goto(f"{live_server.url}{reverse('contacts:reading-submit')}")
    kpi = KPIDefinition.objects.get(code="defect_rate")
    page.select_option("#id_kpi", value=str(kpi.pk))
    page.fill("#id_period_start", "2026-04-01")
    page.fill("#id_period_end", "2026-06-30")
    page.fill("#id_value", "20")
    page.click("input[name=save]")
    page.wait_for_url(f"{live_server.url}{reverse('contacts:kpis')}")
    reading = KPIReading.objects.get(enterprise=enterprise)
    secretary = reading.recorded_by

    # 3. staff return it with a comment, on the reading's page
    log_in_with_cookie(page.context, live_server, cast.zj_staff)
    page.goto(
        f"{live_server.url}{reverse('enterprises:kpi:return', args=[enterprise.pk, reading.pk])}"
    )
    page.fill("#id_comment", "20 % looks like the whole line: is it per thousand?")
    page.click("input[name=save]")
    page.wait_for_load_state()
    reading.refresh_from_db()
    assert reading.returned_at is not None

    # 4. the secretary sees the comment, corrects and answers
    log_in_with_cookie(page.context, live_server, secretary)
    page.goto(f"{live_server.url}{reverse('contacts:kpis')}")
    assert "is it per thousand?" in page.content()
    page.get_by_role("link", name="Correct and answer").click()
    page.fill("#id_value", "2")
    page.fill("#id_answer", "Per hundred pieces: 2, not 20.")
    page.click("input[name=save]")
    page.wait_for_url(f"{live_server.url}{reverse('contacts:kpis')}")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    reading.refresh_from_db()
    assert (str(reading.value.normalize()), reading.returned_at) == ("2", None)

    # 5. other staff verify; the enterprise page and the indicator show the result
    reviewer = user_with_role("zj-reviewer", "partner_staff", cast.zj)
    outcome = kpi_readings_verify(
        acting_user=reviewer, readings=KPIReading.objects.filter(pk=reading.pk)
    )
    assert outcome.count == 1
    log_in_with_cookie(page.context, live_server, cast.zj_manager)
    page.goto(f"{live_server.url}{reverse('enterprises:kpi:overview', args=[enterprise.pk])}")
    assert "Verified by" in page.content()
    page.goto(f"{live_server.url}{reverse('enterprises:detail', args=[enterprise.pk])}")
    assert "Baseline" in page.content()
    values = indicator_values(None, ["suggestions_made"], partner_ids=[cast.zj.pk])
    assert values["suggestions_made"]["all"] >= 9
    assert enrolment.module.code in page.content()
