"""The indicator register against a hand-counted world: every indicator's value is worked out
in the comments, and the dashboard, the home panel, the partner report's PDF and its
spreadsheet print the same text for the same period."""

import datetime as dt
import io
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import translation

from catalogue.models import KPIDefinition, Module
from enterprises.models import KPIReading
from reports.builders import build_partner
from reports.dashboards import dashboard_data
from reports.headlines import HEADLINE_CODES, headline_figures
from reports.indicators import CODES, REGISTER, indicator_values, value_of
from reports.indicators.display import format_value
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
YEAR = 2026
START, END = D(YEAR, 1, 1), D(YEAR, 12, 31)
TODAY = D(2026, 12, 1)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _people(workshop, enrolment, people):
    for index, (sex, level) in enumerate(people):
        workshop.participants.create(enrolment=enrolment, name=f"P{index}", sex=sex, level=level)


@pytest.fixture
def world(cast):
    m1, m2 = Module.objects.get(code="M1"), Module.objects.get(code="M2")
    zj = cast.zj
    a = EnterpriseFactory(partner=zj, name="Alpha", status="active", employees_total=100)
    a.employees_women = 40
    a.save()
    b = EnterpriseFactory(partner=zj, name="Beta", status="active", employees_total=50)
    b.employees_women = 10
    b.save()
    c = EnterpriseFactory(partner=zj, name="Gamma", status="withdrawn", employees_total=30)
    EnterpriseFactory(partner=zj, name="Delta", status="prospect")  # no enrolment
    e = EnterpriseFactory(partner=zj, name="Echo", status="completed")  # reached in 2025 only
    f = EnterpriseFactory(partner=zj, name="Foxtrot", status="prospect", employees_total=None)
    sc_enterprise = EnterpriseFactory(partner=cast.sc, name="Chengdu", status="active")
    # Enrolments. Reached in 2026: A, B, C (withdrawn in March), F → 4. Enrolled (not
    # applied, not withdrawn): A, B, F → 3 (M1: A, B, F; M2: A). Trained (in consulting or
    # completed): A, B → 2 (M1: 2, M2: 0).
    a1 = EnrolmentFactory(
        enterprise=a,
        module=m1,
        status="completed",
        applied_on=D(2026, 1, 10),
        completed_on=D(2026, 5, 1),
        paid_enterprise=Decimal(6000),
        paid_government=Decimal(2000),
        paid_ilo=Decimal(2000),
    )
    EnrolmentFactory(
        enterprise=a,
        module=m2,
        status="in_training",
        applied_on=D(2026, 6, 1),
        paid_enterprise=Decimal(1000),
        paid_ilo=Decimal(1000),
    )
    b1 = EnrolmentFactory(
        enterprise=b,
        module=m1,
        status="in_consulting",
        applied_on=D(2026, 2, 1),
        paid_enterprise=Decimal(1000),
        paid_ilo=Decimal(5000),
    )
    EnrolmentFactory(
        enterprise=c,
        module=m1,
        status="withdrawn",
        applied_on=D(2026, 1, 5),
        withdrawn_on=D(2026, 3, 1),
        withdrawal_reason="moved away",
        paid_ilo=Decimal(500),
    )
    e1 = EnrolmentFactory(
        enterprise=e,
        module=m1,
        status="completed",
        applied_on=D(2025, 1, 10),
        completed_on=D(2025, 6, 1),
        paid_enterprise=Decimal(7777),
    )
    # Fees in another currency are left out of cost recovery (not added to CNY).
    EnrolmentFactory(
        enterprise=f,
        module=m1,
        status="enrolled",
        applied_on=D(2026, 3, 1),
        currency="USD",
        paid_ilo=Decimal(900),
    )
    EnrolmentFactory(
        enterprise=sc_enterprise,
        module=m1,
        status="completed",
        applied_on=D(2026, 1, 1),
        completed_on=D(2026, 2, 1),
        paid_enterprise=Decimal(50000),
    )
    # Workshops held in 2026: w1 only (w2 in 2025, w3 not held) → 1; its participants: 4,
    # 3 women, 1 man, 1 manager, 3 workers → 75 % women.
    w1 = WorkshopFactory(partner=zj, module=m1, status="held", start_date=D(2026, 3, 10))
    _people(w1, a1, [("F", "manager"), ("M", "worker")])
    _people(w1, b1, [("F", "worker"), ("F", "worker")])
    w2 = WorkshopFactory(
        partner=zj, module=m1, status="held", start_date=D(2025, 11, 5), end_date=D(2025, 11, 6)
    )
    _people(w2, e1, [("M", "worker")])
    w3 = WorkshopFactory(
        partner=zj, module=m1, status="open", start_date=D(2026, 7, 1), end_date=D(2026, 7, 2)
    )
    _people(w3, b1, [("F", "worker")])
    # Trainers of ZJ: t1 certified M1 and active (recorded visits in 2026), t2 expert M1 and
    # certified M2 (inactive), t3 candidate → certified 2 (M1 2, M2 1), active 1.
    t1, t2, t3 = (TrainerFactory(partners=[zj]) for _ in range(3))
    certify(t1, "M1")
    certify(t2, "M1", grade="expert")
    certify(t2, "M2")
    certify(t3, "M1", grade="candidate")
    # Visits on A's M1: done in 2026 v1, v2 → 2; planned in 2026 (not cancelled) v2, v3 → 2,
    # of which done v2 → 50 %; overdue on TODAY: v3 → 1. v4 cancelled, v5 in 2025.
    visits = [
        (1, "recorded", None, D(2026, 4, 1)),
        (2, "recorded", D(2026, 5, 1), D(2026, 5, 3)),
        (3, "planned", D(2026, 10, 1), None),
        (4, "cancelled", D(2026, 6, 1), None),
        (5, "recorded", None, D(2025, 12, 20)),
    ]
    for number, status, planned, done in visits:
        ConsultingVisit.objects.create(
            enrolment=a1,
            trainer=t1,
            number=number,
            status=status,
            planned_date=planned,
            visit_date=done,
            cancellation_reason="closed" if status == "cancelled" else "",
        )
    # KPIs (defect rate, lower is better). A: baseline 4, two follow-ups 5 then 3 → the
    # latest (3) improved. B: 5 → 6, not improved. C: a follow-up without a baseline → not
    # reporting. Improving 1 of 2 → 50 % (defects family too); coverage: trained A and B
    # both have a baseline and a follow-up → 100 %.
    kpi = KPIDefinition.objects.get(code="defect_rate")
    readings = [
        (a, "baseline", D(2026, 1, 31), 4),
        (a, "follow_up", D(2026, 3, 31), 5),
        (a, "follow_up", D(2026, 6, 30), 3),
        (b, "baseline", D(2026, 1, 31), 5),
        (b, "follow_up", D(2026, 6, 30), 6),
        (c, "follow_up", D(2026, 2, 28), 1),
    ]
    for enterprise, kind, end, value in readings:
        KPIReading.objects.create(
            enterprise=enterprise,
            kpi=kpi,
            kind=kind,
            period_start=end.replace(day=1),
            period_end=end,
            value=value,
        )
    # Projects meeting 2026 of the reached: P1, P2, P3, P4 → 4; completed P1, P3, P4 → 3.
    # Realised: CNY 12000 (A) + 3000 (B) = 15000, USD 500 (B); never added up. Median per
    # enterprise CNY of 12000 and 3000 = 7500; USD 500. P5 (Echo, not reached) and P6 (2025)
    # are out.
    ProjectFactory(
        enterprise=a, module=m1, realised_saving=Decimal(12000), start_date=D(2026, 2, 1)
    )
    ProjectFactory(enterprise=a, status="in_progress", start_date=D(2026, 5, 1))
    ProjectFactory(enterprise=b, module=m1, realised_saving=Decimal(3000), start_date=D(2026, 3, 1))
    ProjectFactory(
        enterprise=b, currency="USD", realised_saving=Decimal(500), start_date=D(2026, 4, 1)
    )
    ProjectFactory(enterprise=e, realised_saving=Decimal(99999), start_date=D(2026, 2, 1))
    ProjectFactory(
        enterprise=a,
        module=m1,
        realised_saving=Decimal(1000),
        start_date=D(2025, 1, 1),
        end_date=D(2025, 3, 1),
    )
    # ROI per enrolment with a fee paid by the enterprise: A-M1 12000/6000 = 2, A-M2
    # 0/1000 = 0, B-M1 3000/1000 = 3 → median 2 (M1: 2 and 3 → 2.5; M2: 0).
    # EIT members active on 31 December 2026: A's m1 (F manager), m2 (M worker); B's m5
    # (F worker) → 3, women 2 (67 %), workers 2 (67 %). m3 left in June, m4 starts in 2027,
    # m6 belongs to Echo.
    EITMemberFactory(enterprise=a, sex="F", level="manager")
    EITMemberFactory(enterprise=a, sex="M", level="worker")
    EITMemberFactory(enterprise=a, sex="F", level="worker", active_to=D(2026, 6, 30))
    EITMemberFactory(enterprise=a, sex="F", level="worker", active_from=D(2027, 2, 1))
    EITMemberFactory(enterprise=b, sex="F", level="worker")
    EITMemberFactory(enterprise=e, sex="F", level="worker")
    # Suggestions of 2026: 10 + 8 + 2 = 20 made, 4 + 6 + 1 = 11 implemented.
    SuggestionFactory(enterprise=a, month=D(2026, 2, 1), made=10, implemented=4)
    SuggestionFactory(enterprise=a, month=D(2026, 3, 1), made=8, implemented=6)
    SuggestionFactory(enterprise=a, month=D(2025, 12, 1), made=5, implemented=5)
    SuggestionFactory(enterprise=b, month=D(2026, 5, 1), made=2, implemented=1)
    return SimpleNamespace(cast=cast, m1=m1, m2=m2, a=a, b=b, c=c, f=f)


EXPECTED = {
    "enterprises_reached": 4,
    # Current standing: A, B active; D, F prospect; E completed; C withdrawn.
    "enterprises_registered": 6,
    "enterprises_prospect": 2,
    "enterprises_active": 2,
    "enterprises_completed": 1,
    "enterprises_withdrawn": 1,
    "enterprises_enrolled": 3,
    "enterprises_trained": 2,
    "jobs": 180,
    "jobs_women": 50,
    "workshops_held": 1,
    "participants": 4,
    "participants_women": 3,
    "participants_men": 1,
    "participants_managers": 1,
    "participants_workers": 3,
    "participants_women_share": Decimal("0.75"),
    "participant_satisfaction": None,  # no evaluations here: tests/workshops/test_evaluations
    "visits_done": 2,
    "visits_planned": 2,
    "visits_done_share": Decimal("0.5"),
    "visits_overdue": 1,
    "trainers_certified": 2,
    "trainers_active": 1,
    # (6000 + 2000 + 1000 + 1000) / (10000 + 2000 + 1000 + 5000 + 500)
    "cost_recovery": Decimal(10000) / Decimal(18500),
    "data_coverage": Decimal(1),
    "improving_share": Decimal("0.5"),
    "projects": 4,
    "projects_completed": 3,
    "savings_total": {"CNY": Decimal(15000), "USD": Decimal(500)},
    "savings_median": {"CNY": Decimal(7500), "USD": Decimal(500)},
    "savings_per_enterprise": {"CNY": Decimal(7500), "USD": Decimal(500)},
    "roi_median": Decimal(2),
    "eit_members": 3,
    "eit_women": 2,
    "eit_women_share": Decimal(2) / Decimal(3),
    "eit_workers_share": Decimal(2) / Decimal(3),
    "suggestions_made": 20,
    "suggestions_implemented": 11,
    "improving_share_cost": None,
    "improving_share_defects": Decimal("0.5"),
    "improving_share_energy": None,
    "improving_share_waste": None,
    "improving_share_accidents": None,
    "practices_adopted_share": None,  # no assessments here: see tests/enterprises/test_assessments
}
TEXT = {
    "cost_recovery": "54%",
    "savings_total": "15,000 CNY; 500 USD",
    "eit_women_share": "67%",
    "participants_women_share": "75%",
    "roi_median": "2.0",
}


def _values(user, cast, **kwargs):
    return indicator_values(
        user, partner_ids=[cast.zj.pk], period_from=START, period_to=END, today=TODAY, **kwargs
    )


def test_every_indicator_matches_the_hand_count(world):
    assert set(EXPECTED) == set(CODES)
    values = _values(world.cast.zj_manager, world.cast)
    got = {code: value_of(values, code) for code in CODES}
    assert got == EXPECTED
    for code, text in TEXT.items():
        assert format_value(code, got[code]) == text


def test_breakdowns_by_module_and_currency(world):
    values = _values(world.cast.programme, world.cast, by="module")
    m1, m2 = world.m1.pk, world.m2.pk
    assert values["enterprises_enrolled"] == {m1: 3, m2: 1}
    assert values["enterprises_trained"] == {m1: 2, m2: 0}
    assert values["trainers_certified"] == {m1: 2, m2: 1}
    assert values["roi_median"] == {m1: Decimal("2.5"), m2: Decimal(0)}
    by_currency = _values(world.cast.programme, world.cast, by="currency")
    assert by_currency["savings_total"] == {"CNY": Decimal(15000), "USD": Decimal(500)}


def test_the_other_partner_sees_nothing_of_this_one(world):
    values = _values(world.cast.sc_staff, world.cast)
    assert value_of(values, "enterprises_reached") == 0
    assert value_of(values, "savings_total") == {}


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_dashboard_home_panel_pdf_and_spreadsheet_print_the_same_values(world, client, media):
    from reports.rendering import render_pdf, render_xlsx

    cast = world.cast
    expected_text = {code: format_value(code, value) for code, value in EXPECTED.items()}
    # The dashboard (one partner, the year 2026).
    data = dashboard_data(cast.zj_manager, partners=[cast.zj], year=YEAR, today=TODAY)
    shown = {
        row["code"]: row["cells"][0]["text"]
        for row in data["comparison"]
        if row["code"] and row["module"] is None
    }
    assert len(shown) >= 20
    for code, text in shown.items():
        assert text == expected_text[code], code
    # The page itself prints them beside their definition links.
    client.force_login(cast.zj_manager)
    body = client.get(reverse("reports:dashboard"), {"year": YEAR}).content.decode()
    for code in shown:
        assert reverse("reports:indicator-detail", args=[code]) in body
    # The home panel.
    panel = headline_figures(cast.zj_manager, year=YEAR)
    assert [item["code"] for item in panel["figures"]] == HEADLINE_CODES
    for item in panel["figures"]:
        assert item["text"] == expected_text[item["code"]], item["code"]
    # The partner report of the same period: its context, its PDF and its spreadsheet.
    context = build_partner(partner_id=cast.zj.pk, period_from=START, period_to=END)
    assert context["data"]["indicators"] == EXPECTED | {
        # "as of" figures of a report are taken on its last day, the dashboard's on TODAY
        "visits_overdue": context["data"]["indicators"]["visits_overdue"],
    }
    table = next(s for s in context["sections"] if s["key"] == "indicators")["tables"][0]
    printed = {row[3]: row[2] for row in table["rows"]}
    for code in CODES:
        if code != "visits_overdue":
            assert printed[code] == expected_text[code], code
    text = _pdf_text(render_pdf(context))
    flat = re.sub(r"\s+", " ", text)
    for code in CODES:
        if code != "visits_overdue":
            assert f"{REGISTER[code].name} {printed[code]} {code}" in flat, code
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(render_xlsx(context)))
    cells = {}
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            if len(row) >= 4 and row[3] in REGISTER:
                cells[row[3]] = row[2]
    assert cells == printed
    summary = {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(values_only=True) if row}
    for figure in context["figures"]:
        assert summary[figure["label"]] == figure["value"] == expected_text[figure["code"]]
