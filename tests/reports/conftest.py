"""A hand-counted world for the report builders (numbers are worked out in the comments)."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from catalogue.models import Module

from .factories import (
    EITMemberFactory,
    EnrolmentFactory,
    EnterpriseFactory,
    ProjectFactory,
    SuggestionFactory,
)

D = dt.date


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def figures(cast):
    m1, m2 = Module.objects.get(code="M1"), Module.objects.get(code="M2")
    # ZJ enterprise 1: Zhejiang, C13, 120 employees (100–249)
    e1 = EnterpriseFactory(
        partner=cast.zj,
        name="Hangzhou Textiles",
        name_zh="杭州纺织有限公司",
        province="Zhejiang",
        sector="C13",
        employees_total=120,
        employees_women=50,
    )
    EnrolmentFactory(
        enterprise=e1,
        module=m1,
        status="completed",
        applied_on=D(2026, 1, 10),
        enrolled_on=D(2026, 1, 15),
        completed_on=D(2026, 3, 20),
        paid_enterprise=Decimal(6000),
        paid_government=Decimal(2000),
        paid_ilo=Decimal(2000),
    )
    EnrolmentFactory(
        enterprise=e1,
        module=m2,
        status="in_training",
        applied_on=D(2026, 3, 1),
        paid_enterprise=Decimal(3000),
        paid_ilo=Decimal(3000),
    )
    ProjectFactory(
        enterprise=e1,
        title="5S in the warehouse",
        status="completed",
        estimated_saving=Decimal(10000),
        realised_saving=Decimal(12000),
        start_date=D(2026, 2, 1),
        end_date=D(2026, 3, 1),
        module=m1,
    )
    ProjectFactory(
        enterprise=e1,
        title="Less thread waste",
        status="in_progress",
        estimated_saving=Decimal(5000),
        realised_saving=None,
        start_date=D(2026, 3, 10),
    )
    for role, level, sex in [
        ("leader", "manager", "F"),
        ("deputy", "manager", "M"),
        ("member", "worker", "F"),
        ("member", "worker", "M"),
        ("secretary", "worker", "F"),
    ]:
        EITMemberFactory(enterprise=e1, role=role, level=level, sex=sex)
    EITMemberFactory(
        enterprise=e1,
        role="member",
        level="worker",
        sex="M",
        active_from=D(2024, 1, 1),
        active_to=D(2025, 1, 1),
    )  # left: not counted
    SuggestionFactory(enterprise=e1, month=D(2026, 2, 1), made=10, implemented=4)
    SuggestionFactory(enterprise=e1, month=D(2026, 3, 1), made=8, implemented=6)

    # ZJ enterprise 2: Jiangsu, C25, 300 employees (250–499)
    e2 = EnterpriseFactory(
        partner=cast.zj,
        name="Suzhou Metalworks",
        province="Jiangsu",
        sector="C25",
        employees_total=300,
    )
    EnrolmentFactory(
        enterprise=e2,
        module=m1,
        status="enrolled",
        applied_on=D(2026, 2, 1),
        paid_enterprise=Decimal(5000),
        paid_ilo=Decimal(5000),
    )
    ProjectFactory(
        enterprise=e2,
        status="completed",
        estimated_saving=Decimal(15000),
        realised_saving=Decimal(20000),
        start_date=D(2026, 2, 15),
    )
    ProjectFactory(
        enterprise=e2,
        status="completed",
        estimated_saving=None,
        realised_saving=Decimal(3000),
        start_date=D(2026, 3, 1),
    )
    EITMemberFactory(enterprise=e2, role="leader", level="manager", sex="M")

    # ZJ prospect without enrolments: not in the partner report
    EnterpriseFactory(partner=cast.zj, name="Ningbo Prospect", status="prospect")
    # SC enterprise: never in ZJ's figures
    e4 = EnterpriseFactory(
        partner=cast.sc, name="Chengdu Foods", province="Sichuan", sector="C10", employees_total=80
    )
    EnrolmentFactory(
        enterprise=e4,
        module=m1,
        status="completed",
        applied_on=D(2026, 1, 5),
        completed_on=D(2026, 2, 5),
        paid_enterprise=Decimal(100000),
    )
    ProjectFactory(enterprise=e4, realised_saving=Decimal(999999))
    return SimpleNamespace(cast=cast, e1=e1, e2=e2, e4=e4, m1=m1, m2=m2)
