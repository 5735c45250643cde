"""The public workshop evaluation form on a phone (issue 16): a participant opens their
slip's link at 375 px, without logging in, in Chinese, answers by tapping, sends; nothing
scrolls sideways and the Content-Security-Policy reports no violation (no inline script)."""

import datetime as dt

import pytest
from django.utils import timezone

from workshops.models import EvaluationAnswer, EvaluationResponse
from workshops.selectors import evaluation_url
from workshops.services import evaluation_tokens_issue

from ..factories import EnrolmentFactory, EnterpriseFactory, WorkshopFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 740}


def test_a_participant_answers_on_a_phone_in_chinese(page, live_server, cast, csp_violations):
    today = timezone.localdate()
    workshop = WorkshopFactory(
        partner=cast.zj, status="held", start_date=today - dt.timedelta(days=1), end_date=today
    )
    enrolment = EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj))
    person = workshop.participants.create(enrolment=enrolment, name="王芳", sex="F", level="worker")
    token = evaluation_tokens_issue(acting_user=None, workshop=workshop, participants=[person])
    path = evaluation_url(token[person.pk], "zh-hans").split("://", 1)[1].split("/", 1)[1]
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/{path}")
    assert page.locator("h1").inner_text().strip() == "培训评估"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the form scrolls sideways by {overflow}px"
    for fieldset in page.locator("fieldset").all():
        labels = fieldset.locator("label.btn")
        labels.nth(labels.count() - 1 if labels.count() == 5 else 0).click()  # 5 / 是
    page.locator("textarea").fill("案例很实用")
    page.get_by_role("button", name="提交我的回答").click()
    page.wait_for_selector("[data-state=done]")
    assert "谢谢" in page.locator("[data-state=done]").inner_text()
    response = EvaluationResponse.objects.get()
    assert response.language == "zh-hans"
    assert set(EvaluationAnswer.objects.values_list("rating", flat=True)) == {5, None}
    assert EvaluationAnswer.objects.filter(yes=True).count() == 1
    assert csp_violations == []
