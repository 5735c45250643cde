"""The programme dashboard, a partner's dashboard and the programme manager's home each run
at most 15 queries, and the same number whatever the amount of data."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.models import KPIDefinition, Module
from enterprises.models import KPIReading
from tests.factories import TrainerFactory, WorkshopFactory, certify
from trainers.models import ConsultingVisit

from .factories import (
    EITMemberFactory,
    EnrolmentFactory,
    EnterpriseFactory,
    ProjectFactory,
    SuggestionFactory,
)

D = dt.date
LIMIT = 16  # 15, and the dashboard's enterprise-group filter choices (issue 16)


def _grow(partner, count):
    """``count`` enterprises of ``partner`` with an enrolment, a workshop, a visit, readings,
    a project, an EIT member and suggestions each."""
    m1 = Module.objects.get(code="M1")
    kpi = KPIDefinition.objects.get(code="defect_rate")
    trainer = TrainerFactory(partners=[partner])
    certify(trainer, "M1")
    for _index in range(count):
        enterprise = EnterpriseFactory(partner=partner)
        enrolment = EnrolmentFactory(
            enterprise=enterprise,
            module=m1,
            status="in_consulting",
            applied_on=D(2026, 1, 10),
            paid_enterprise=Decimal(100),
            paid_ilo=Decimal(100),
        )
        workshop = WorkshopFactory(partner=partner, module=m1, status="held")
        workshop.participants.create(enrolment=enrolment, name="P", sex="F", level="worker")
        ConsultingVisit.objects.create(
            enrolment=enrolment,
            trainer=trainer,
            number=1,
            status="recorded",
            visit_date=D(2026, 4, 1),
        )
        for kind, value in (("baseline", 5), ("follow_up", 4)):
            KPIReading.objects.create(
                enterprise=enterprise,
                kpi=kpi,
                kind=kind,
                period_start=D(2026, 1, 1),
                period_end=D(2026, 1, 31) if kind == "baseline" else D(2026, 6, 30),
                value=value,
            )
        ProjectFactory(enterprise=enterprise, module=m1, realised_saving=Decimal(1000))
        EITMemberFactory(enterprise=enterprise)
        SuggestionFactory(enterprise=enterprise)


def _count(client, user, url, params):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("role", "name", "params"),
    [
        ("programme", "reports:dashboard", {"year": 2026}),
        ("zj_manager", "reports:dashboard", {"year": 2026}),
        ("programme", "home", {}),
    ],
)
def test_pages_run_few_queries_whatever_the_data(client, cast, role, name, params):
    user = getattr(cast, role)
    url = reverse(name)
    _grow(cast.zj, 1)
    _grow(cast.sc, 1)
    small = _count(client, user, url, params)
    _grow(cast.zj, 4)
    _grow(cast.sc, 3)
    large = _count(client, user, url, params)
    assert small == large, (small, large)
    assert large <= LIMIT, large
