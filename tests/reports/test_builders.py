"""Builders against hand-counted figures (see conftest.py)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import override

from reports.builders import build_enterprise, build_partner, build_programme

from .factories import EnrolmentFactory, EnterpriseFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def _plain(value):
    """Contexts hold only plain data: numbers, strings, dates, lists, dicts, None. (Dates stay
    dates: the PDF prints them in the report's language, the spreadsheet as date cells.)"""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, str | int | float | Decimal | bool | dt.date)


def test_partner_report_counts_enterprises_enrolments_and_cost_recovery(figures):
    context = build_partner(partner_id=figures.cast.zj.pk)
    data = context["data"]
    assert _plain(context)
    assert data["enterprises"] == 2  # the prospect without enrolments is not counted
    assert data["enrolments"]["total"] == 3
    assert data["enrolments"]["completed"] == 1
    assert data["enrolments"]["by_module"] == {
        "M1": {"completed": 1, "enrolled": 1},
        "M2": {"in_training": 1},
    }
    recovery = data["cost_recovery"]
    # non-ILO 6000 + 2000 + 3000 + 5000 = 16000 of 26000
    assert recovery["non_ilo"] == Decimal(16000)
    assert recovery["total"] == Decimal(26000)
    assert round(recovery["share"], 4) == Decimal("0.6154")
    assert data["by_province"] == {"Zhejiang": 1, "Jiangsu": 1}
    assert data["by_sector"] == {"C13": 1, "C25": 1}
    assert data["by_size_band"] == {"100-249": 1, "250-499": 1}


def test_partner_report_totals_savings_with_median(figures):
    data = build_partner(partner_id=figures.cast.zj.pk)["data"]
    assert data["projects"]["total"] == 4
    assert data["projects"]["completed"] == 3
    cny = data["projects"]["by_currency"]["CNY"]
    assert cny["estimated"] == Decimal(30000)
    assert cny["realised"] == Decimal(35000)
    assert cny["median_realised"] == Decimal(12000)  # of 3000, 12000, 20000


def test_partner_report_eit_composition_and_suggestions(figures):
    data = build_partner(partner_id=figures.cast.zj.pk)["data"]
    # 6 active members (one who left is not counted): 3 women, 3 workers
    assert data["eit"]["total"] == 6
    assert data["eit"]["share_women"] == 0.5
    assert data["eit"]["share_workers"] == 0.5
    assert data["suggestions"] == {"made": 18, "implemented": 10}


def test_partner_report_for_a_period_leaves_out_what_ended_before(figures):
    data = build_partner(
        partner_id=figures.cast.zj.pk,
        period_from=dt.date(2026, 4, 1),
        period_to=dt.date(2026, 4, 30),
    )["data"]
    # M1 of enterprise 1 was completed on 20 March: out of April
    assert data["enrolments"]["total"] == 2
    assert data["cost_recovery"]["share"] == Decimal("0.5")
    # the warehouse project ended on 1 March
    assert data["projects"]["by_currency"]["CNY"]["realised"] == Decimal(23000)
    assert data["suggestions"] == {"made": 0, "implemented": 0}


def test_partner_report_query_count_does_not_grow_with_enterprises(figures):
    zj = figures.cast.zj
    with CaptureQueriesContext(connection) as before:
        build_partner(partner_id=zj.pk)
    for _ in range(5):
        enterprise = EnterpriseFactory(partner=zj)
        EnrolmentFactory(enterprise=enterprise)
        ProjectFactory(enterprise=enterprise)
    with CaptureQueriesContext(connection) as after:
        context = build_partner(partner_id=zj.pk)
    assert context["data"]["enterprises"] == 7
    assert len(after) == len(before)


def test_enterprise_report_profile_modules_eit_projects_suggestions(figures):
    context = build_enterprise(enterprise_id=figures.e1.pk)
    data = context["data"]
    assert _plain(context)
    assert data["enrolments"] == {"total": 2, "completed": 1, "open": 1, "withdrawn": 0}
    # non-ILO 6000 + 2000 + 3000 = 11000 of 16000
    assert data["cost_recovery"]["share"] == Decimal("0.6875")
    assert data["eit"]["total"] == 5
    assert data["eit"]["women"] == 3
    assert data["eit"]["workers"] == 3
    assert data["eit"]["by_role"]["leader"] == {"manager": 1, "worker": 0, "F": 1, "M": 0}
    assert data["projects"]["total"] == 2
    assert data["projects"]["by_currency"]["CNY"]["estimated"] == Decimal(15000)
    assert data["projects"]["by_currency"]["CNY"]["realised"] == Decimal(12000)
    assert data["suggestions"]["made"] == 18
    assert data["suggestions"]["implemented"] == 10
    assert data["suggestions"]["by_month"] == [
        {"month": "2026-02", "made": 10, "implemented": 4},
        {"month": "2026-03", "made": 8, "implemented": 6},
    ]
    assert data["next_steps"][0]["next"] == "In consulting"


def test_enterprise_report_speaks_chinese(figures):
    with override("zh-hans"):
        context = build_enterprise(enterprise_id=figures.e1.pk, language="zh-hans")
    assert context["scope_name"] == "杭州纺织有限公司"
    assert context["title"] == "企业进展报告"


def test_programme_report_puts_partners_side_by_side(figures):
    data = build_programme()["data"]
    assert data["partners"]["ZJ"]["enterprises_reached"] == 2
    assert data["partners"]["SC"]["enterprises_reached"] == 1
    # Savings per currency (indicator savings_total), never added up across currencies.
    assert data["partners"]["ZJ"]["savings_total"] == {"CNY": Decimal(35000)}
    assert round(data["partners"]["ZJ"]["cost_recovery"], 4) == Decimal("0.6154")
    assert data["partners"]["SC"]["cost_recovery"] == Decimal(1)
    assert data["totals"]["enterprises_reached"] == 3


def test_cost_recovery_is_the_same_over_a_queryset_and_a_list(figures):
    from enterprises.models import Enrolment
    from enterprises.selectors import cost_recovery

    enrolments = Enrolment.objects.filter(enterprise__partner=figures.cast.zj)
    assert cost_recovery(enrolments) == cost_recovery(list(enrolments))
    assert cost_recovery(Enrolment.objects.none())["share"] is None


def test_realised_savings_count_completed_projects_only(figures):
    ProjectFactory(enterprise=figures.e2, status="in_progress", realised_saving=Decimal(7000))
    data = build_partner(partner_id=figures.cast.zj.pk)["data"]
    assert data["projects"]["by_currency"]["CNY"]["realised"] == Decimal(35000)
    assert data["projects"]["by_currency"]["CNY"]["median_realised"] == Decimal(12000)
