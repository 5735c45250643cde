"""Each indicator's definition pinned on edge cases (no baseline, two follow-ups, a withdrawn
enterprise, mixed currencies, a reading or a row in another period), and the partner report's
charts and tables agreeing with each other and with the dashboard for the same period."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from catalogue.models import KPIDefinition, Module
from enterprises.models import KPIReading
from reports.builders import build_partner
from reports.dashboards import dashboard_data
from reports.indicators import indicator_values, value_of
from reports.indicators.display import format_value

from .factories import EITMemberFactory, EnrolmentFactory, EnterpriseFactory, ProjectFactory

D = dt.date
START, END = D(2026, 1, 1), D(2026, 12, 31)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _value(cast, code, **kwargs):
    kwargs.setdefault("period_from", START)
    kwargs.setdefault("period_to", END)
    values = indicator_values(cast.programme, [code], partner_ids=[cast.zj.pk], **kwargs)
    return value_of(values, code)


def _reading(enterprise, kind, end, value, kpi="defect_rate"):
    KPIReading.objects.create(
        enterprise=enterprise,
        kpi=KPIDefinition.objects.get(code=kpi),
        kind=kind,
        period_start=end.replace(day=1),
        period_end=end,
        value=value,
    )


def _reached(cast, **kwargs):
    enterprise = EnterpriseFactory(partner=cast.zj, **kwargs)
    EnrolmentFactory(enterprise=enterprise, status="in_consulting", applied_on=D(2026, 2, 1))
    return enterprise


def test_no_baseline_is_neither_reporting_nor_covered(cast):
    enterprise = _reached(cast)
    _reading(enterprise, "follow_up", D(2026, 6, 30), 1)
    assert _value(cast, "improving_share") is None  # nothing to divide
    assert _value(cast, "data_coverage") == Decimal(0)  # trained, not covered


def test_two_follow_ups_the_latest_counts(cast):
    enterprise = _reached(cast)
    _reading(enterprise, "baseline", D(2026, 1, 31), 4)
    _reading(enterprise, "follow_up", D(2026, 3, 31), 3)  # better, but not the latest
    _reading(enterprise, "follow_up", D(2026, 6, 30), 5)  # worse: the latest
    assert _value(cast, "improving_share") == Decimal(0)
    assert _value(cast, "data_coverage") == Decimal(1)


def test_a_withdrawn_enrolment_is_reached_but_not_enrolled(cast):
    enterprise = EnterpriseFactory(partner=cast.zj, status="withdrawn")
    EnrolmentFactory(
        enterprise=enterprise,
        status="withdrawn",
        applied_on=D(2026, 1, 5),
        withdrawn_on=D(2026, 2, 1),
        withdrawal_reason="closed",
        paid_ilo=Decimal(1000),
    )
    assert _value(cast, "enterprises_reached") == 1
    assert _value(cast, "enterprises_enrolled") == 0
    assert _value(cast, "enterprises_trained") == 0
    assert _value(cast, "cost_recovery") == Decimal(0)  # its fees still count
    # Withdrawn before April: not reached in April–June.
    assert _value(cast, "enterprises_reached", period_from=D(2026, 4, 1)) == 0


def test_mixed_currencies_are_never_added_up(cast):
    enterprise = _reached(cast)
    ProjectFactory(enterprise=enterprise, realised_saving=Decimal(1000), currency="CNY")
    ProjectFactory(enterprise=enterprise, realised_saving=Decimal(30), currency="USD")
    assert _value(cast, "savings_total") == {"CNY": Decimal(1000), "USD": Decimal(30)}
    assert format_value("savings_total", _value(cast, "savings_total")) == "1,000 CNY; 30 USD"
    other = EnterpriseFactory(partner=cast.zj)
    EnrolmentFactory(
        enterprise=other,
        applied_on=D(2026, 3, 1),
        currency="USD",
        paid_enterprise=Decimal(900),
        paid_ilo=Decimal(100),
    )
    EnrolmentFactory(
        enterprise=enterprise,
        module=Module.objects.get(code="M2"),
        applied_on=D(2026, 3, 1),
        paid_enterprise=Decimal(100),
        paid_ilo=Decimal(300),
    )
    # Cost recovery in the programme currency only: 100 / 400, not (100 + 900) / 1400.
    assert _value(cast, "cost_recovery") == Decimal("0.25")


def test_rows_of_another_period_are_left_out(cast):
    enterprise = _reached(cast)
    ProjectFactory(
        enterprise=enterprise,
        realised_saving=Decimal(500),
        start_date=D(2025, 1, 1),
        end_date=D(2025, 6, 1),
    )
    ProjectFactory(enterprise=enterprise, realised_saving=Decimal(700), start_date=D(2026, 5, 1))
    assert _value(cast, "savings_total") == {"CNY": Decimal(700)}
    assert _value(cast, "projects") == 1
    # An enterprise reached only in 2025 is not in 2026's results, whatever its readings.
    old = EnterpriseFactory(partner=cast.zj)
    EnrolmentFactory(
        enterprise=old,
        status="completed",
        applied_on=D(2025, 1, 1),
        completed_on=D(2025, 6, 1),
    )
    _reading(old, "baseline", D(2025, 1, 31), 4)
    _reading(old, "follow_up", D(2026, 6, 30), 3)
    assert _value(cast, "improving_share") is None
    assert _value(cast, "improving_share", period_from=D(2025, 1, 1)) == Decimal(1)


def test_an_eit_member_is_active_between_start_and_end(cast):
    enterprise = _reached(cast)
    EITMemberFactory(enterprise=enterprise, sex="F")  # no dates: active
    EITMemberFactory(enterprise=enterprise, sex="M", active_to=D(2026, 6, 30))  # left
    EITMemberFactory(enterprise=enterprise, sex="M", active_from=D(2027, 1, 5))  # not yet
    assert _value(cast, "eit_members") == 1
    assert _value(cast, "eit_women_share") == Decimal(1)
    assert _value(cast, "eit_members", period_to=D(2026, 6, 1)) == 2


def test_rounding_comes_from_the_definition(cast):
    assert format_value("cost_recovery", Decimal("0.6154")) == "62%"
    assert format_value("roi_median", Decimal("2.25")) == "2.3"
    assert format_value("cost_recovery", None) == "—"
    assert format_value("savings_total", {}) == "—"


# --- The partner report: charts, tables and the dashboard agree --------------------------


@pytest.fixture
def enrolments(cast):
    m1, m2 = Module.objects.get(code="M1"), Module.objects.get(code="M2")
    statuses = ["applied", "enrolled", "in_training", "in_consulting", "completed"]
    for index, status in enumerate(statuses * 2):
        enterprise = EnterpriseFactory(partner=cast.zj, name=f"E{index}")
        EnrolmentFactory(
            enterprise=enterprise,
            module=m1 if index < 5 else m2,
            status=status,
            applied_on=D(2026, 1, 10),
            completed_on=D(2026, 6, 1) if status == "completed" else None,
        )
    return m1, m2


def test_the_module_chart_counts_what_its_legend_says_and_matches_the_table(cast, enrolments):
    context = build_partner(partner_id=cast.zj.pk, period_from=START, period_to=END)
    section = next(s for s in context["sections"] if s["key"] == "modules")
    table = section["tables"][0]
    columns = table["columns"]
    chart = context["data"]["module_chart"]
    legend = {
        "Enrolled or in training": ["Enrolled", "In training"],
        "In consulting": ["In consulting"],
        "Completed": ["Completed"],
    }
    assert list(chart["series"]) == list(legend)
    for row_index, row in enumerate(table["rows"]):
        for label, statuses in legend.items():
            expected = sum(row[columns.index(status)] for status in statuses)
            assert chart["series"][label][row_index] == expected
    # Applications are in the table, not in the bars.
    assert chart["series"]["Enrolled or in training"] == [2, 2]


def test_the_report_and_the_dashboard_agree_for_the_same_year(cast, enrolments):
    context = build_partner(partner_id=cast.zj.pk, period_from=START, period_to=END)
    data = dashboard_data(cast.zj_manager, partners=[cast.zj], year=2026)
    rows = {row["code"]: row for row in data["comparison"] if row["module"] is None}
    for code in ("enterprises_reached", "enterprises_enrolled", "enterprises_trained"):
        assert rows[code]["cells"][0]["value"] == context["data"]["indicators"][code]
    assert context["data"]["enterprises"] == 10
    table = next(s for s in context["sections"] if s["key"] == "modules")["tables"][0]
    assert table["totals"][-1] == 10  # enterprises by module add up to the reached


def test_partners_are_named_and_savings_carry_their_currency(client, cast):
    enterprise = _reached(cast)
    ProjectFactory(enterprise=enterprise, realised_saving=Decimal(5000), start_date=D(2026, 3, 1))
    client.force_login(cast.programme)
    body = client.get(reverse("reports:dashboard"), {"year": 2026}).content.decode()
    assert cast.zj.name in body and cast.sc.name in body
    assert f">{cast.zj.code}</th>" not in body
    assert "5,000 CNY" in body


def test_needs_attention_links_are_tap_sized(client, cast):
    css = (Path(settings.BASE_DIR) / "static" / "css" / "portal.css").read_text()
    rule = css[css.index(".attention-rows a") :].split("}")[0]
    assert "min-height: 24px" in rule
    client.force_login(cast.zj_manager)
    body = client.get(reverse("reports:dashboard-attention", args=[cast.zj.pk])).content
    assert b"attention-rows" in body


def test_definition_pages_list_every_indicator_and_explain_one(client, cast):
    from reports.indicators import CODES

    client.force_login(cast.zj_staff)
    body = client.get(reverse("reports:indicator-list")).content.decode()
    for code in CODES:
        assert reverse("reports:indicator-detail", args=[code]) in body
    page = client.get(reverse("reports:indicator-detail", args=["cost_recovery"]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Fees paid by enterprises, sponsors and government" in text  # numerator
    assert "All fees paid, including ILO and donors" in text  # denominator
    assert "In the period" in text  # period rule
    assert client.get(reverse("reports:indicator-detail", args=["no_such_code"])).status_code == 404
    with translation.override("zh-hans"):
        chinese = client.get(
            reverse("reports:indicator-detail", args=["cost_recovery"]),
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        ).content.decode()
    assert "分子" in chinese
