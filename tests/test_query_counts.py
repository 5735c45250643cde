"""Pages keep a fixed number of SQL queries whatever the amount of data: each page is
requested with a little data and with much more, and the counts must be equal."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.models import KPIDefinition
from enterprises.models import KPIReading
from reports.models import ReportRun
from tests.factories import EnrolmentFactory, EnterpriseFactory, TrainerFactory, WorkshopFactory
from trainers.models import ConsultingVisit, VisitAction
from trainers.services.assignments import assignment_add
from trainers.services.visits import plan_visits

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _grow_runs(cast, n):
    for index in range(n):
        enterprise = EnterpriseFactory(partner=cast.zj)
        workshop = WorkshopFactory(partner=cast.zj)
        ReportRun.objects.create(
            kind="enterprise",
            partner=cast.zj,
            enterprise=enterprise,
            params_key=f"e{index}-{enterprise.pk}",
            status="done",
            requested_by=cast.zj_staff,
        )
        ReportRun.objects.create(
            kind="workshop",
            partner=cast.zj,
            workshop=workshop,
            params_key=f"w{index}-{workshop.pk}",
            status="failed",
        )


def test_report_list(client, cast):
    client.force_login(cast.zj_manager)
    _grow_runs(cast, 1)
    small = _count(client, reverse("reports:run-list"))
    _grow_runs(cast, 12)
    assert _count(client, reverse("reports:run-list")) == small


def _grow_trainer(cast, trainer, n):
    for _ in range(n):
        enrolment = EnrolmentFactory(
            enterprise=EnterpriseFactory(partner=cast.zj), status="in_consulting"
        )
        assignment_add(acting_user=cast.zj_staff, enrolment=enrolment, trainer=trainer)
        visits = plan_visits(
            acting_user=cast.zj_staff,
            enrolment=enrolment,
            after=TODAY - datetime.timedelta(days=20),
            default_trainer=trainer,
        )
        VisitAction.objects.create(visit=visits[0], description="5S", due_date=TODAY)
        KPIReading.objects.create(
            enterprise=enrolment.enterprise,
            kpi=KPIDefinition.objects.get(code="waste"),
            kind="baseline",
            value=3,
            period_start=TODAY,
            period_end=TODAY,
        )


def test_trainer_home(client, cast):
    trainer = TrainerFactory(partners=[cast.zj], user=cast.zj_trainer)
    client.force_login(cast.zj_trainer)
    _grow_trainer(cast, trainer, 1)
    small = _count(client, reverse("home"))
    _grow_trainer(cast, trainer, 8)
    assert _count(client, reverse("home")) == small


def test_enterprise_kpi_page_and_visit_page(client, cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    kpis = list(KPIDefinition.objects.all()[:8])

    def grow(kpi_list, months):
        for kpi in kpi_list:
            for month in months:
                start = datetime.date(2025, month, 1)
                KPIReading.objects.create(
                    enterprise=enterprise,
                    kpi=kpi,
                    kind="baseline" if month == 1 else "follow_up",
                    value=month,
                    period_start=start,
                    period_end=start,
                )

    client.force_login(cast.zj_staff)
    url = reverse("enterprises:kpi:overview", args=[enterprise.pk])
    grow(kpis[:1], [1, 2])
    small = _count(client, url)
    grow(kpis[1:], [1, 2, 3, 4, 5])
    assert _count(client, url) == small

    enrolment = EnrolmentFactory(enterprise=enterprise)
    visit = ConsultingVisit.objects.create(
        enrolment=enrolment,
        number=1,
        trainer=TrainerFactory(partners=[cast.zj]),
        status="recorded",
        visit_date=TODAY,
    )
    visit_url = reverse("trainers:visits:detail", args=[visit.pk])
    VisitAction.objects.create(visit=visit, description="a")
    small = _count(client, visit_url)
    for index in range(6):
        VisitAction.objects.create(visit=visit, description=f"b{index}")
        visit.eit_present.add(
            enterprise.eit_members.create(name=f"m{index}", level="worker", sex="F")
        )
    assert _count(client, visit_url) == small
