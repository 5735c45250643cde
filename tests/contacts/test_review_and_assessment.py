"""Issue 16's loop between the enterprise and the programme: the contact fills the baseline
assessment, submits a reading; staff return it with a comment; the contact sees the comment,
corrects and answers; other staff verify; the enterprise page and the indicator show it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from catalogue.models import ChecklistVersion, KPIDefinition
from enterprises.models import Assessment, KPIReading
from enterprises.services.assessments import assessment_record, assessment_update
from enterprises.services.review import (
    kpi_reading_answer,
    kpi_reading_return,
    kpi_readings_verify,
)
from enterprises.services.submissions import enterprise_kpi_reading_submit
from reports.indicators.compute import indicator_values
from tests.factories import EnrolmentFactory, EnterpriseFactory, user_with_role
from tests.url_world import contact_of

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def factory(cast):
    enterprise = EnterpriseFactory(partner=cast.zj, name="Mine Co.", name_zh="我的公司")
    enrolment = EnrolmentFactory(enterprise=enterprise, status="in_training")
    contact = contact_of(enterprise)
    return enterprise, enrolment, contact


def _submit(contact, enterprise, value="4"):
    return enterprise_kpi_reading_submit(
        acting_user=contact,
        enterprise=enterprise,
        kpi=KPIDefinition.objects.get(code="waste"),
        kind="baseline",
        period_start=TODAY - datetime.timedelta(days=60),
        period_end=TODAY - datetime.timedelta(days=31),
        value=Decimal(value),
    )


def test_the_contact_answers_a_returned_reading_and_other_staff_verify(client, cast, factory):
    enterprise, _enrolment, contact = factory
    reading = _submit(contact, enterprise)
    kpi_reading_return(acting_user=cast.zj_staff, reading=reading, comment="Tonnes or kg?")

    client.force_login(contact)
    page = client.get(reverse("contacts:kpis"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "Tonnes or kg?" in page.content.decode()
    answer = reverse("contacts:reading-answer", args=[reading.pk])
    form = client.get(answer)
    assert form.status_code == 200 and "Tonnes or kg?" in form.content.decode()
    response = client.post(answer, {"value": "4.2", "answer": "Tonnes; corrected."})
    assert response.status_code == 302
    reading.refresh_from_db()
    assert (reading.value, reading.returned_at, reading.source) == (
        Decimal("4.2"),
        None,
        "enterprise",
    )
    assert [c.kind for c in reading.comments.all()] == ["return", "answer"]
    assert client.get(answer).status_code == 404  # answered: no longer returned

    with pytest.raises(PermissionDenied):
        kpi_readings_verify(acting_user=contact, readings=KPIReading.objects.filter(pk=reading.pk))
    outcome = kpi_readings_verify(
        acting_user=cast.zj_staff, readings=KPIReading.objects.filter(pk=reading.pk)
    )
    assert outcome.count == 1
    reading.refresh_from_db()
    assert reading.verified_by == cast.zj_staff


def test_nobody_else_answers_the_enterprises_reading(cast, factory):
    enterprise, _enrolment, contact = factory
    reading = _submit(contact, enterprise)
    kpi_reading_return(acting_user=cast.zj_staff, reading=reading, comment="Check")
    other = contact_of(EnterpriseFactory(partner=cast.zj), username="other-contact")
    with pytest.raises(PermissionDenied):
        kpi_reading_answer(acting_user=other, reading=reading, answer="Mine now", value=1)
    trainer = user_with_role("lone-trainer", "trainer", cast.zj)
    with pytest.raises(PermissionDenied):
        kpi_reading_answer(acting_user=trainer, reading=reading, answer="Mine now", value=1)


def test_the_contact_fills_the_baseline_then_a_progress_assessment(client, cast, factory):
    enterprise, enrolment, contact = factory
    version = ChecklistVersion.objects.filter(module=enrolment.module).order_by("-number").first()
    items = list(version.items.order_by("order"))
    client.force_login(contact)
    listing = client.get(reverse("contacts:assessments"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert listing.status_code == 200 and "基线" in listing.content.decode()
    url = reverse("contacts:assessment-record", args=[enrolment.module_id])
    page = client.get(url)
    assert page.status_code == 200
    token = (
        page.context["form"]["form_token"].value()
        if "form_token" in page.context["form"].fields
        else None
    )
    body = {"kind": "baseline", "assessed_on": (TODAY - datetime.timedelta(days=5)).isoformat()}
    body |= {f"item_{item.pk}": "no" for item in items}
    body[f"item_{items[0].pk}"] = "yes"
    if token:
        body["form_token"] = token
    response = client.post(url, body)
    assert response.status_code == 302, response.content.decode()[:2000]
    baseline = Assessment.objects.get(enterprise=enterprise)
    assert (baseline.kind, baseline.source, baseline.author) == ("baseline", "enterprise", contact)

    progress = assessment_record(
        acting_user=contact,
        enterprise=enterprise,
        module=enrolment.module,
        kind="progress",
        assessed_on=TODAY,
        answers={item.pk: item.pk in (items[0].pk, items[1].pk) for item in items},
    )
    assert progress.source == "enterprise"
    values = indicator_values(None, ["practices_adopted_share"], by="module")
    assert values["practices_adopted_share"][enrolment.module_id] == 1  # one of one adopted
    staff_made = assessment_record(
        acting_user=cast.zj_staff,
        enterprise=enterprise,
        module=enrolment.module,
        kind="progress",
        assessed_on=TODAY,
        answers={item.pk: True for item in items},
    )
    with pytest.raises(PermissionDenied):  # the contact corrects only the enterprise's own
        assessment_update(
            acting_user=contact,
            assessment=staff_made,
            assessed_on=TODAY,
            answers={item.pk: False for item in items},
        )
    # the enterprise page shows the practices adopted since the baseline
    client.force_login(cast.zj_staff)
    detail = client.get(reverse("enterprises:detail", args=[enterprise.pk]))
    assert detail.status_code == 200 and items[1].name_en in detail.content.decode()


def test_another_enterprises_contact_cannot_assess_it(cast, factory):
    enterprise, enrolment, _contact = factory
    other = contact_of(EnterpriseFactory(partner=cast.zj), username="other-contact")
    version = ChecklistVersion.objects.filter(module=enrolment.module).order_by("-number").first()
    with pytest.raises(PermissionDenied):
        assessment_record(
            acting_user=other,
            enterprise=enterprise,
            module=enrolment.module,
            kind="baseline",
            assessed_on=TODAY,
            answers={item.pk: False for item in version.items.all()},
        )
