"""Must show: starting a workshop for an enterprise without a baseline assessment warns, in
both languages: on the workshop page, on the attendance page and when attendance is recorded
(the moment the classroom workshop starts), and on completing the workshop."""

import datetime

import pytest
from django.urls import reverse

from catalogue.models import ChecklistVersion, Module
from enterprises.services.assessments import assessment_record
from tests.factories import EnrolmentFactory, EnterpriseFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

EN = "No baseline assessment of M1 yet for 1 enterprise of this workshop"
ZH = "1 家企业尚无 M1 基线评估"


@pytest.fixture
def workshop(cast):
    workshop = WorkshopFactory(partner=cast.zj, start_date=datetime.date(2026, 6, 10))
    for name in ("Without Baseline Co.", "With Baseline Co."):
        enrolment = EnrolmentFactory(
            enterprise=EnterpriseFactory(partner=cast.zj, name=name, name_zh="")
        )
        workshop.invitations.add(enrolment)
        workshop.participants.create(enrolment=enrolment, name="Chen", sex="F", level="worker")
    with_baseline = workshop.invitations.get(enterprise__name="With Baseline Co.").enterprise
    version = ChecklistVersion.objects.filter(module__code="M1").order_by("-number").first()
    assessment_record(
        acting_user=cast.zj_staff,
        enterprise=with_baseline,
        module=Module.objects.get(code="M1"),
        kind="baseline",
        assessed_on=datetime.date(2026, 5, 1),
        answers={item.pk: False for item in version.items.all()},
    )
    return workshop


def _get(client, url, language):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


@pytest.mark.parametrize(
    ("language", "expected"), [("en", EN), ("zh-hans", ZH)], ids=["english", "chinese"]
)
def test_starting_a_workshop_without_baseline_warns_in_both_languages(
    client, cast, workshop, language, expected
):
    client.force_login(cast.zj_staff)
    detail = _get(client, reverse("workshops:detail", args=[workshop.pk]), language)
    assert expected in detail
    warning = detail.split("baseline-warning")[1].split("</div>")[0]
    assert "Without Baseline Co." in warning
    assert "With Baseline Co." not in warning  # it has its baseline
    attendance_url = reverse("workshops:attendance", args=[workshop.pk])
    assert expected in _get(client, attendance_url, language)
    # recording the first day's attendance: the warning comes with the confirmation
    day = f"{workshop.start_date:%Y%m%d}"
    response = client.post(
        attendance_url,
        {"everyone_present": day},
        HTTP_ACCEPT_LANGUAGE=language,
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any(expected in m for m in messages), messages
    complete = _get(client, reverse("trainers:teaching:complete", args=[workshop.pk]), language)
    assert expected in complete


def test_no_warning_once_every_enterprise_has_a_baseline(client, cast, workshop):
    missing = workshop.invitations.get(enterprise__name="Without Baseline Co.")
    missing.status = "withdrawn"  # a withdrawn enterprise is not starting the workshop
    missing.withdrawal_reason = "Left"
    missing.save()
    client.force_login(cast.zj_staff)
    page = _get(client, reverse("workshops:detail", args=[workshop.pk]), "en")
    assert "baseline-warning" not in page
