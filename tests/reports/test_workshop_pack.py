"""The workshop pack: attendance sheet and certificates, and the new enterprise report
sections (workshops attended, visits and actions, KPIs)."""

import datetime

import pytest
from django.urls import reverse
from django.utils.translation import override

from catalogue.models import KPIDefinition
from enterprises.models import KPIReading
from reports.builders import build_enterprise, build_workshop
from reports.models import ReportRun
from reports.rendering import render_pdf
from tests.factories import EnrolmentFactory, EnterpriseFactory, TrainerFactory, WorkshopFactory
from trainers.models import ConsultingVisit, VisitAction
from workshops.models import Attendance

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(cast):
    workshop = WorkshopFactory(partner=cast.zj, status="held", title="M1 Huzhou")
    enrolment = EnrolmentFactory(
        enterprise=EnterpriseFactory(partner=cast.zj, name="Huzhou Silk"), status="in_consulting"
    )
    workshop.invitations.add(enrolment)
    people = [
        workshop.participants.create(enrolment=enrolment, name=name, sex=sex, level=level)
        for name, sex, level in (
            ("王芳", "F", "manager"),
            ("Li Qiang", "M", "worker"),
            ("<b>Zhou</b>", "F", "worker"),
        )
    ]
    day1, day2 = workshop.days
    Attendance.objects.bulk_create(
        [
            Attendance(participant=people[0], day=day1, present=True),
            Attendance(participant=people[0], day=day2, present=True),
            Attendance(participant=people[1], day=day1, present=True),
            Attendance(participant=people[2], day=day1, present=False),
        ]
    )
    return workshop, enrolment, people


def test_workshop_pack_counts_and_certificates(held):
    workshop, _enrolment, _people = held
    context = build_workshop(workshop_id=workshop.pk)
    assert context["data"] == {
        "participants": 3,
        "women": 2,
        "workers": 2,
        "certificates": 2,
        "days": 2,
    }
    assert sorted(c["name"] for c in context["certificates"]) == ["Li Qiang", "王芳"]
    sheet = context["sections"][0]["tables"][0]
    assert sorted(row[-1] for row in sheet["rows"]) == [0, 1, 2]


def test_workshop_pack_pdf_in_chinese_prints_names_as_text(held):
    import io

    from pypdf import PdfReader

    workshop, _enrolment, _people = held
    with override("zh-hans"):
        pdf = render_pdf(build_workshop(workshop_id=workshop.pk, language="zh-hans"))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "结业证书" in text and "王芳" in text and "出勤" in text
    assert "<b>Zhou</b>" in text  # a name is printed as text, never as markup


def test_staff_request_the_pack_from_the_workshop_page(client, cast, held):
    workshop, _enrolment, _people = held
    client.force_login(cast.zj_staff)
    page = client.get(reverse("workshops:detail", args=[workshop.pk])).content.decode()
    assert reverse("reports:workshop-pack", args=[workshop.pk]) in page
    response = client.post(
        reverse("reports:workshop-pack", args=[workshop.pk]), {"language": "zh-hans"}
    )
    assert response.status_code == 302
    run = ReportRun.objects.get()
    assert (run.kind, run.workshop, run.partner, run.language) == (
        "workshop",
        workshop,
        cast.zj,
        "zh-hans",
    )
    client.force_login(cast.sc_staff)
    assert client.post(reverse("reports:workshop-pack", args=[workshop.pk])).status_code == 404


def test_enterprise_report_has_workshops_visits_and_kpis(cast, held):
    workshop, enrolment, _people = held
    trainer = TrainerFactory(partners=[cast.zj], name="Zhang Wei")
    visit = ConsultingVisit.objects.create(
        enrolment=enrolment,
        trainer=trainer,
        number=1,
        status="recorded",
        visit_date=datetime.date(2026, 7, 1),
        topics="5S",
    )
    ConsultingVisit.objects.create(
        enrolment=enrolment, trainer=trainer, number=2, planned_date=datetime.date(2026, 8, 1)
    )
    VisitAction.objects.create(visit=visit, description="Label drums", status="done")
    VisitAction.objects.create(visit=visit, description="Clear exits")
    defects = KPIDefinition.objects.get(code="defect_rate")
    for kind, value, month in (("baseline", 5, 1), ("follow_up", 4, 6)):
        start = datetime.date(2026, month, 1)
        KPIReading.objects.create(
            enterprise=enrolment.enterprise,
            kpi=defects,
            kind=kind,
            value=value,
            period_start=start,
            period_end=start + datetime.timedelta(days=27),
        )
    context = build_enterprise(enterprise_id=enrolment.enterprise_id)
    assert context["data"]["workshops"] == {
        "workshops": 1,
        "total": 3,
        "women": 2,
        "men": 1,
        "managers": 1,
        "workers": 2,
    }
    assert context["data"]["visits"] == {
        "recorded": 1,
        "planned": 1,
        "actions": 2,
        "actions_done": 1,
    }
    assert context["data"]["kpis"] == {"reported": 1, "improved": 1, "readings": 2, "verified": 0}
    kpi_rows = next(s for s in context["sections"] if s["key"] == "kpis")["tables"][0]["rows"]
    assert kpi_rows[0][4] == "-20.0%"
