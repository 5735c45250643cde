"""The dashboard against a small hand-counted world (the numbers are worked out in comments),
its scoping per role, its fixed number of queries, and the yearly targets pages."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from catalogue.models import KPIDefinition, Module
from enterprises.models import KPIReading
from reports import dashboards
from reports.dashboards import dashboard_data
from reports.headlines import headline_figures
from reports.indicators import REGISTER, indicator
from reports.models import Target
from reports.targets import targets_set
from tests.factories import TrainerFactory, WorkshopFactory, certify
from trainers.models import ConsultingVisit
from workshops.models import Attendance

from .factories import EnrolmentFactory, EnterpriseFactory, ProjectFactory

D = dt.date
TODAY = D(2026, 11, 30)  # the dashboards below are computed as on this day


@pytest.fixture(autouse=True)
def _english():
    """Labels are compared in English, whatever an earlier test activated."""
    with translation.override("en"):
        yield


def _participants(workshop, enrolment, people):
    for index, (sex, level) in enumerate(people):
        workshop.participants.create(enrolment=enrolment, name=f"P{index}", sex=sex, level=level)


@pytest.fixture
def world(cast):
    m1, m2 = Module.objects.get(code="M1"), Module.objects.get(code="M2")
    zj, sc = cast.zj, cast.sc
    # ZJ enterprises: 1 prospect, 2 active, 1 completed (4 in all).
    e1 = EnterpriseFactory(partner=zj, name="Huzhou Silk", province="Zhejiang", status="active")
    e2 = EnterpriseFactory(partner=zj, name="Suzhou Metal", province="Jiangsu", status="active")
    e3 = EnterpriseFactory(partner=zj, name="Ningbo Done", province="Zhejiang", status="completed")
    EnterpriseFactory(partner=zj, name="Wenzhou Prospect", province="Zhejiang", status="prospect")
    s1 = EnterpriseFactory(partner=sc, name="Chengdu Foods", province="Sichuan")
    # Fees: 2026 cost recovery of ZJ = 6000 / (6000 + 4000 + 5000) = 40 %; e3's enrolment
    # ended in 2025 and does not count.
    n1 = EnrolmentFactory(
        enterprise=e1,
        module=m1,
        status="in_consulting",
        applied_on=D(2026, 1, 10),
        paid_enterprise=Decimal(6000),
        paid_ilo=Decimal(4000),
    )
    n2 = EnrolmentFactory(
        enterprise=e2,
        module=m1,
        status="enrolled",
        applied_on=D(2026, 2, 1),
        paid_ilo=Decimal(5000),
    )
    n3 = EnrolmentFactory(
        enterprise=e3,
        module=m1,
        status="completed",
        applied_on=D(2025, 3, 1),
        completed_on=D(2025, 9, 1),
        paid_enterprise=Decimal(3000),
    )
    ns = EnrolmentFactory(
        enterprise=s1,
        module=m1,
        status="completed",
        applied_on=D(2026, 1, 5),
        completed_on=D(2026, 2, 5),
        paid_enterprise=Decimal(100000),
    )
    # Workshops held in 2026: w1 (March: e1 F manager + M worker, e2 two F workers) and
    # w2 (June: e1 M manager) → 5 participants, 3 women, 2 managers, 3 workers, 2 enterprises
    # trained in M1. w3 is not held; w4 was held in 2025.
    w1 = WorkshopFactory(
        partner=zj, module=m1, status="held", start_date=D(2026, 3, 10), end_date=D(2026, 3, 11)
    )
    _participants(w1, n1, [("F", "manager"), ("M", "worker")])
    _participants(w1, n2, [("F", "worker"), ("F", "worker")])
    Attendance.objects.create(participant=w1.participants.first(), day=w1.start_date, present=True)
    w2 = WorkshopFactory(
        partner=zj,
        module=m1,
        status="held",
        start_date=D(2026, 6, 2),
        end_date=D(2026, 6, 3),
        title="June M1",
    )
    _participants(w2, n1, [("M", "manager")])
    w3 = WorkshopFactory(
        partner=zj,
        module=m1,
        status="open",
        start_date=D(2026, 7, 1),
        end_date=D(2026, 7, 2),
        title="July M1",
    )
    _participants(w3, n2, [("F", "worker")])
    w4 = WorkshopFactory(
        partner=zj,
        module=m1,
        status="held",
        start_date=D(2025, 11, 5),
        end_date=D(2025, 11, 6),
        title="Last year's M1",
    )
    _participants(w4, n3, [("M", "worker")])
    ws = WorkshopFactory(
        partner=sc, module=m1, status="held", start_date=D(2026, 3, 15), end_date=D(2026, 3, 16)
    )
    _participants(ws, ns, [("F", "worker"), ("F", "worker"), ("M", "manager")])
    # Visits: 2 recorded in 2026, 2 planned in 2026 of which 1 overdue on TODAY; one recorded
    # in December 2025 (in the twelve-month trend, not in the 2026 figures).
    trainer = TrainerFactory(partners=[zj])
    visits = [
        (n1, 1, "recorded", None, D(2026, 4, 1)),
        (n1, 2, "recorded", None, D(2026, 5, 10)),
        (n1, 3, "planned", D(2026, 10, 1), None),
        (n1, 4, "planned", D(2026, 12, 15), None),
        (n2, 1, "recorded", None, D(2025, 12, 20)),
    ]
    for enrolment, number, status, planned, done in visits:
        ConsultingVisit.objects.create(
            enrolment=enrolment,
            trainer=trainer,
            number=number,
            status=status,
            planned_date=planned,
            visit_date=done,
        )
    ConsultingVisit.objects.create(
        enrolment=n2,
        trainer=trainer,
        number=2,
        status="cancelled",
        planned_date=D(2026, 4, 1),
        cancellation_reason="closed",
    )
    # KPIs (defect rate, lower is better): e1 improves (4 → 3), e2 does not (5 → 6), e3 has
    # none → 1 of 2 reporting enterprises improves; trained e1 and e3, covered e1 → 50 %.
    kpi = KPIDefinition.objects.get(code="defect_rate")
    for enterprise, base, follow in ((e1, 4, 3), (e2, 5, 6)):
        KPIReading.objects.create(
            enterprise=enterprise,
            kpi=kpi,
            kind="baseline",
            period_start=D(2026, 1, 1),
            period_end=D(2026, 1, 31),
            value=base,
            verified_at=timezone.now() if enterprise == e2 else None,
        )
        KPIReading.objects.create(
            enterprise=enterprise,
            kpi=kpi,
            kind="follow_up",
            period_start=D(2026, 6, 1),
            period_end=D(2026, 6, 30),
            value=follow,
        )
    # Savings: completed projects 12000 + 3000.
    ProjectFactory(enterprise=e1, status="completed", realised_saving=Decimal(12000))
    ProjectFactory(enterprise=e2, status="completed", realised_saving=Decimal(3000))
    ProjectFactory(enterprise=e2, status="in_progress", realised_saving=None)
    ProjectFactory(enterprise=s1, status="completed", realised_saving=Decimal(99999))
    # Certified trainers of ZJ: t1 (M1) and t2 (M1 expert, M2) → 2; per module M1 2, M2 1.
    t1, t2, t3, t4 = (TrainerFactory(partners=[zj]) for _ in range(4))
    certify(t1, "M1")
    certify(t2, "M1", grade="expert")
    certify(t2, "M2")
    certify(t3, "M1", grade="candidate")
    expired = certify(t4, "M1")
    expired.valid_until = D(2020, 1, 1)
    expired.save()
    certify(TrainerFactory(partners=[sc]), "M1")
    # Targets of ZJ for 2026 (and one for 2025, not shown).
    values = {
        ("enterprises_trained", m1.pk, "", 0): Decimal(4),
        ("participants", None, "", 0): Decimal(10),
        ("participants_women_share", None, "", 0): Decimal(50),
        ("cost_recovery", None, "", 0): Decimal(40),
        ("visits_done", None, "", 0): Decimal(8),
        ("trainers_certified", None, "", 0): Decimal(2),
        ("improving_share", None, "", 0): Decimal(80),
    }
    targets_set(acting_user=cast.programme, partner=zj, year=2026, values=values)
    targets_set(
        acting_user=cast.programme,
        partner=zj,
        year=2025,
        values={("participants", None, "", 0): Decimal(99)},
    )
    return SimpleNamespace(cast=cast, m1=m1, m2=m2, e1=e1, e2=e2, e3=e3, w2=w2, w3=w3, w4=w4)


def _data(user, partners, year=2026):
    return dashboard_data(user, partners=partners, year=year, today=TODAY)


def test_partner_figures_match_the_hand_count(world):
    cast = world.cast
    f = _data(cast.zj_staff, [cast.zj])["figures"][cast.zj.pk]
    assert f["enterprises"] == {
        "total": 4,
        "prospect": 1,
        "active": 2,
        "completed": 1,
        "withdrawn": 0,
    }
    assert f["workshops_held"] == 2
    p = f["participants"]
    assert (p["total"], p["women"], p["men"], p["managers"], p["workers"]) == (5, 3, 2, 2, 3)
    assert p["women_share"] == Decimal("0.6")
    # Trained (indicator enterprises_trained): an enrolment of the year in consulting or
    # completed: e1 only. The old figure (2) counted e2, which attended a workshop but is
    # still "enrolled".
    assert {m: n for m, n in f["trained"].items() if n} == {world.m1.pk: 1}
    assert (f["visits_done"], f["visits_planned"], f["visits_overdue"]) == (2, 2, 1)
    assert f["kpi"]["improving_share"] == Decimal("0.5")
    assert f["kpi"]["savings_total"] == {"CNY": Decimal(15000)}
    # Coverage of the enterprises reached in 2026 (e1 trained and covered); e3, trained in
    # 2025, is not in the year's figure (the old figure mixed it in: 0.5).
    assert f["kpi"]["coverage_share"] == Decimal(1)
    assert f["cost_recovery"] == Decimal("0.4")
    assert f["certified_total"] == 2
    assert {m: n for m, n in f["certified"].items() if n} == {world.m1.pk: 2, world.m2.pk: 1}


def test_targets_are_set_against_actual_figures(world):
    rows = {row["label"]: row for row in _data(world.cast.zj_manager, [world.cast.zj])["targets"]}
    assert len(rows) == 7  # the 2025 target is not shown
    name = {code: str(indicator(code).name) for code in REGISTER}
    trained = rows[f"{name['enterprises_trained']} · M1"]
    assert (trained["goal"], trained["actual"], trained["achieved"]) == (4, 1, Decimal("0.25"))
    women = rows[name["participants_women_share"]]
    assert women["goal"] == Decimal("0.5") and women["achieved"] == pytest.approx(Decimal("1.2"))
    assert women["met"]
    recovery = rows[name["cost_recovery"]]
    assert recovery["achieved"] == Decimal(1) and recovery["met"]
    visits = rows[name["visits_done"]]
    assert visits["achieved"] == Decimal("0.25") and not visits["met"]
    assert rows[name["trainers_certified"]]["met"]
    assert rows[name["improving_share"]]["achieved"] == Decimal("0.625")


def test_provinces_trend_and_attention(world):
    data = _data(world.cast.zj_staff, [world.cast.zj])
    provinces = {row["province"]: row for row in data["provinces"]}
    zhejiang, jiangsu = provinces["Zhejiang"], provinces["Jiangsu"]
    assert (
        zhejiang["total"],
        zhejiang["active"],
        zhejiang["completed"],
        zhejiang["participants"],
        zhejiang["women"],
    ) == (3, 1, 1, 3, 1)
    assert (jiangsu["total"], jiangsu["participants"], jiangsu["women"]) == (1, 2, 2)
    assert "Sichuan" not in provinces
    assert zhejiang["active_url"] == "/enterprises/?status=active&province=Zhejiang"
    trend = data["trend"]
    assert trend["months"][0] == "2025-12" and trend["months"][-1] == "2026-11"
    workshops, participants, visits = trend["series"].values()
    assert workshops[trend["months"].index("2026-03")] == 1 and sum(workshops) == 2
    assert participants[trend["months"].index("2026-03")] == 4 and sum(participants) == 5
    assert visits[0] == 1 and sum(visits) == 3
    assert trend["chart"].startswith("data:image/svg+xml;base64,")
    attention = dashboards.attention(world.cast.zj_staff, world.cast.zj.pk, TODAY)
    assert attention["no_baseline"]["count"] == 1
    assert attention["no_baseline"]["rows"][0]["url"] == f"/enterprises/{world.e3.pk}/kpis/"
    assert attention["overdue_visits"]["count"] == 1
    assert attention["no_attendance"]["count"] == 3  # w2, w3 (past, never held) and w4
    assert {row["name"] for row in attention["no_attendance"]["rows"]} == {
        "June M1",
        "July M1",
        "Last year's M1",
    }
    assert attention["unverified"]["count"] == 3
    assert [row["name"] for row in attention["unverified"]["rows"]] == [
        "Huzhou Silk (2)",
        "Suzhou Metal (1)",
    ]


def test_programme_manager_compares_every_partner(world):
    cast = world.cast
    data = _data(cast.programme, [cast.sc, cast.zj])
    assert set(data["figures"]) == {cast.sc.pk, cast.zj.pk}
    assert data["figures"][cast.sc.pk]["participants"]["total"] == 3
    assert data["figures"][cast.sc.pk]["cost_recovery"] == Decimal(1)
    assert data["attention"] is None  # only for one partner
    enterprises_row = data["comparison"][0]
    assert [cell["value"] for cell in enterprises_row["cells"]] == [1, 4]
    assert enterprises_row["cells"][1]["url"] == f"/enterprises/?partner={cast.zj.pk}"


def test_every_figure_links_to_its_list(world):
    rows = {row["label"]: row for row in _data(world.cast.zj_staff, [world.cast.zj])["comparison"]}
    assert rows["Active"]["cells"][0]["url"] == "/enterprises/?status=active"
    assert rows["Workshops held"]["cells"][0]["url"] == "/workshops/?when=past"
    assert rows["Enterprises trained, M1"]["cells"][0]["url"] == (
        f"/enterprises/?enrolment_status=trained&module={world.m1.pk}"
    )
    assert rows["Workshops held"]["definition_url"] == "/reports/indicators/workshops_held/"


def test_headline_figures_of_the_home_panel(world, settings):
    figures = headline_figures(world.cast.zj_manager, year=2026)
    assert figures["enterprises_active"] == 2
    assert figures["workshops_held"] == 2
    assert figures["participants"] == 5
    assert figures["cost_recovery"] == Decimal("0.4")


# --- The page ------------------------------------------------------------------------------


def test_partner_staff_see_only_their_partner(client, world):
    client.force_login(world.cast.zj_staff)
    response = client.get(reverse("reports:dashboard"), {"year": 2026})
    assert response.status_code == 200
    assert [p.code for p in response.context["partners"]] == ["ZJ"]
    assert set(response.context["figures"]) == {world.cast.zj.pk}
    # What needs attention loads on its own, after the figures.
    attention_url = reverse("reports:dashboard-attention", args=[world.cast.zj.pk])
    assert attention_url in response.content.decode()
    attention = client.get(attention_url)
    assert attention.status_code == 200 and "Needs attention" in attention.content.decode()
    assert (
        client.get(reverse("reports:dashboard-attention", args=[world.cast.sc.pk])).status_code
        == 404
    )
    # Asking for the other partner falls back to their own.
    response = client.get(reverse("reports:dashboard"), {"partner": world.cast.sc.pk})
    assert set(response.context["figures"]) == {world.cast.zj.pk}
    assert "Chengdu" not in response.content.decode()


def test_sc_staff_do_not_see_zj(client, world):
    client.force_login(world.cast.sc_staff)
    response = client.get(reverse("reports:dashboard"), {"year": 2026})
    assert set(response.context["figures"]) == {world.cast.sc.pk}


def test_programme_manager_sees_all_and_can_pick_one(client, world):
    client.force_login(world.cast.programme)
    response = client.get(reverse("reports:dashboard"), {"year": 2026})
    assert [p.code for p in response.context["partners"]] == ["SC", "ZJ"]
    response = client.get(reverse("reports:dashboard"), {"year": 2026, "partner": world.cast.zj.pk})
    assert [p.code for p in response.context["partners"]] == ["ZJ"]


def test_programme_managers_default_partner_is_preselected(client, world):
    from score_portal.services import profile_update

    profile_update(acting_user=world.cast.programme, default_partner=world.cast.sc)
    client.force_login(world.cast.programme)
    response = client.get(reverse("reports:dashboard"))
    assert [p.code for p in response.context["partners"]] == ["SC"]
    response = client.get(reverse("reports:dashboard"), {"partner": ""})  # "All partners"
    assert len(response.context["partners"]) == 2


def test_trainer_is_sent_home(client, world):
    client.force_login(world.cast.zj_trainer)
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_home_panel_for_managers_not_trainers(client, world):
    client.force_login(world.cast.zj_manager)
    assert "dashboard-heading" in client.get(reverse("home")).content.decode()
    client.force_login(world.cast.zj_trainer)
    assert "dashboard-heading" not in client.get(reverse("home")).content.decode()


def _grow(cast, n):
    """n more enterprises per partner, each with an enrolment, a held workshop with
    participants, visits, KPI readings and a project."""
    kpi = KPIDefinition.objects.get(code="defect_rate")
    trainer = TrainerFactory(partners=[cast.zj, cast.sc])
    certify(trainer, "M2")
    today = timezone.localdate()
    for partner in (cast.zj, cast.sc):
        for index in range(n):
            enterprise = EnterpriseFactory(
                partner=partner, province=["Zhejiang", "Anhui"][index % 2]
            )
            enrolment = EnrolmentFactory(
                enterprise=enterprise,
                status="in_consulting",
                applied_on=today - dt.timedelta(days=90),
                paid_enterprise=Decimal(100),
            )
            workshop = WorkshopFactory(
                partner=partner,
                status="held",
                start_date=today - dt.timedelta(days=60 + index),
                end_date=today - dt.timedelta(days=59 + index),
            )
            _participants(workshop, enrolment, [("F", "worker"), ("M", "manager")])
            ConsultingVisit.objects.create(
                enrolment=enrolment,
                trainer=trainer,
                number=1,
                status="recorded",
                visit_date=today - dt.timedelta(days=30),
            )
            ConsultingVisit.objects.create(
                enrolment=enrolment,
                trainer=trainer,
                number=2,
                planned_date=today - dt.timedelta(days=3),
            )
            KPIReading.objects.create(
                enterprise=enterprise,
                kpi=kpi,
                kind="baseline",
                period_start=today - dt.timedelta(days=200),
                period_end=today - dt.timedelta(days=170),
                value=5,
            )
            KPIReading.objects.create(
                enterprise=enterprise,
                kpi=kpi,
                kind="follow_up",
                period_start=today - dt.timedelta(days=40),
                period_end=today - dt.timedelta(days=10),
                value=4,
            )
            ProjectFactory(enterprise=enterprise, realised_saving=Decimal(1000))


@pytest.mark.parametrize("role", ["programme", "zj_staff"])
def test_dashboard_runs_a_fixed_number_of_queries(client, cast, role):
    client.force_login(getattr(cast, role))
    url = reverse("reports:dashboard")
    client.get(url)  # the first request of a session reads the profile once
    counts = []
    for size in (1, 6):
        _grow(cast, size)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --- Targets pages -------------------------------------------------------------------------


def test_programme_manager_sets_a_grid_of_targets(client, cast):
    m1 = Module.objects.get(code="M1")
    client.force_login(cast.programme)
    url = reverse("reports:target-edit", args=[cast.zj.pk, 2027])
    assert client.get(url).status_code == 200
    response = client.post(
        f"{url}?module={m1.pk}",
        {
            f"enterprises_trained__{m1.pk}__all__q0": "12",
            f"enterprises_trained__{m1.pk}__all__kind": "incremental",
        },
    )
    assert response.status_code == 302
    response = client.post(
        url,
        {
            "participants__0__all__q0": "200",
            "participants__0__all__q2": "50",
            "participants__0__all__kind": "cumulative",
            "participants__0__women__q0": "80",
            "participants_women_share__0__all__q0": "35.5",
            "visits_done__0__all__q0": "",
        },
    )
    assert response.status_code == 302
    targets = {
        (t.indicator, t.module_id, t.sex, t.quarter, t.kind): t.value
        for t in Target.objects.filter(year=2027)
    }
    assert targets == {
        ("enterprises_trained", m1.pk, "", 0, "incremental"): Decimal(12),
        ("participants", None, "", 0, "cumulative"): Decimal(200),
        ("participants", None, "", 2, "cumulative"): Decimal(50),
        ("participants", None, "women", 0, "incremental"): Decimal(80),
        ("participants_women_share", None, "", 0, "incremental"): Decimal("35.5"),
    }
    # Emptying a field removes the target (the module's grid is left alone); the history
    # keeps who changed what.
    client.post(url, {"participants__0__all__q0": "", "participants_women_share__0__all__q0": "40"})
    assert not Target.objects.filter(year=2027, indicator="participants", sex="").exists()
    assert Target.objects.filter(year=2027, indicator="enterprises_trained").exists()
    women = Target.objects.get(year=2027, indicator="participants_women_share")
    assert women.value == Decimal(40)
    assert [h.history_user for h in women.history.all()] == [cast.programme, cast.programme]
    # The form shows the stored values back.
    assert 'value="40.0"' in client.get(url).content.decode()


def test_a_share_above_100_is_refused(client, cast):
    client.force_login(cast.programme)
    url = reverse("reports:target-edit", args=[cast.zj.pk, 2027])
    response = client.post(url, {"cost_recovery__0__all__q0": "140"})
    assert response.status_code == 400
    assert not Target.objects.exists()


def test_only_programme_managers_set_targets(cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        targets_set(
            acting_user=cast.zj_manager,
            partner=cast.zj,
            year=2026,
            values={("participants", None, "", 0): Decimal(1)},
        )


def test_partner_people_read_only_their_targets(client, cast):
    targets_set(
        acting_user=cast.programme,
        partner=cast.zj,
        year=2026,
        values={("participants", None, "", 0): Decimal(10)},
    )
    targets_set(
        acting_user=cast.programme,
        partner=cast.sc,
        year=2026,
        values={("participants", None, "", 0): Decimal(77)},
    )
    client.force_login(cast.sc_staff)
    response = client.get(reverse("reports:target-list"), {"year": 2026})
    body = response.content.decode()
    assert response.status_code == 200 and "77" in body and "Zhejiang" not in body
    assert reverse("reports:target-edit", args=[cast.sc.pk, 2026]) not in body


def test_programme_managers_province_links_keep_the_selected_partner(world):
    rows = _data(world.cast.programme, [world.cast.zj])["provinces"]
    assert rows[0]["url"] == f"/enterprises/?province=Zhejiang&partner={world.cast.zj.pk}"
