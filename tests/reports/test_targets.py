"""Targets per indicator of the register, partner and period: the model's rules, copying
last year's targets, targets against actuals on a hand-counted world (the actuals are the
register's values), the logframe spreadsheet read back in both languages, and who may see
and set what."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from catalogue.models import Module
from reports.indicators import REGISTER, indicator_values
from reports.models import Target
from reports.targets import targets_copy_plan, targets_copy_year, targets_set
from reports.targets.actuals import grid_by_partner, grid_by_period, period_bounds, period_label
from reports.targets.logframe import logframe_xlsx
from tests.factories import WorkshopFactory

from .factories import EnrolmentFactory, EnterpriseFactory

D = dt.date


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _target(partner, **fields):
    values = {"indicator": "participants", "year": 2026, "value": Decimal(10), **fields}
    return Target(partner=partner, **values)


# --- The model -----------------------------------------------------------------------------


def test_a_target_names_an_indicator_of_the_register(cast):
    with pytest.raises(ValidationError) as error:
        _target(cast.zj, indicator="no_such_figure").full_clean()
    assert "indicator" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _target(cast.zj, indicator="savings_total").full_clean()  # money: per currency
    assert "indicator" in error.value.message_dict
    _target(cast.zj).full_clean()


def test_module_sex_and_kind_follow_the_indicator(cast):
    m1 = Module.objects.get(code="M1")
    with pytest.raises(ValidationError) as error:
        _target(cast.zj, indicator="visits_done", module=m1).full_clean()
    assert "module" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _target(cast.zj, indicator="visits_done", sex="women").full_clean()
    assert "sex" in error.value.message_dict
    # A standing on a date (certified trainers) has only cumulative targets.
    with pytest.raises(ValidationError) as error:
        _target(cast.zj, indicator="trainers_certified", kind="incremental").full_clean()
    assert "kind" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _target(cast.zj, indicator="cost_recovery", value=Decimal(101)).full_clean()
    assert "value" in error.value.message_dict
    _target(cast.zj, module=m1, sex="women", quarter=3, kind="cumulative").full_clean()
    _target(cast.zj, indicator="trainers_certified", kind="cumulative", module=m1).full_clean()


def test_the_database_holds_one_target_per_cell(cast):
    m1 = Module.objects.get(code="M1")
    _target(cast.zj).save()
    _target(cast.zj, quarter=1).save()
    _target(cast.zj, sex="women").save()
    _target(cast.zj, module=m1).save()
    _target(cast.sc).save()
    for duplicate in (_target(cast.zj, value=Decimal(3)), _target(cast.zj, module=m1)):
        with pytest.raises(IntegrityError), transaction.atomic():
            duplicate.save()
    for bad in (
        _target(cast.zj, year=2027, value=Decimal(-1)),
        _target(cast.zj, year=2027, quarter=5),
        _target(cast.zj, year=2027, kind="sometimes"),
        _target(cast.zj, year=2027, sex="x"),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            bad.save()
    assert Target.objects.count() == 5


def test_a_grid_with_a_wrong_cell_saves_nothing(cast):
    with pytest.raises(ValidationError) as error:
        targets_set(
            acting_user=cast.programme,
            partner=cast.zj,
            year=2026,
            values={
                ("participants", None, "", 0): Decimal(5),
                ("visits_done", None, "women", 0): Decimal(5),
            },
        )
    assert "per sex" in " ".join(error.value.messages)
    # The service raised inside its transaction: the good cell was rolled back too.
    assert not Target.objects.exists()


# --- Copy last year's targets ------------------------------------------------------------


def _set(cast, partner, year, values, **kwargs):
    return targets_set(
        acting_user=cast.programme, partner=partner, year=year, values=values, **kwargs
    )


def test_copying_last_year_creates_the_missing_targets_and_keeps_the_others(cast):
    m1 = Module.objects.get(code="M1")
    _set(
        cast,
        cast.zj,
        2025,
        {
            ("participants", None, "", 0): Decimal(100),
            ("participants", None, "women", 2): Decimal(20),
            ("enterprises_trained", m1.pk, "", 0): Decimal(8),
            ("visits_done", None, "", 0): Decimal(30),
        },
        kinds={("participants", None, ""): "cumulative"},
    )
    _set(
        cast,
        cast.zj,
        2026,
        {
            ("visits_done", None, "", 0): Decimal(40),
            ("enterprises_trained", m1.pk, "", 0): Decimal(8),
        },
    )
    plan = targets_copy_plan(
        acting_user=cast.programme, partner=cast.zj, from_year=2025, to_year=2026
    )
    assert (len(plan.create), len(plan.same), len(plan.conflicts)) == (2, 1, 1)
    targets_copy_year(
        acting_user=cast.programme,
        partner=cast.zj,
        from_year=2025,
        to_year=2026,
    )
    now = {
        (t.indicator, t.module_id, t.sex, t.quarter): (t.value, t.kind)
        for t in Target.objects.filter(partner=cast.zj, year=2026)
    }
    assert now == {
        ("participants", None, "", 0): (Decimal(100), "cumulative"),
        ("participants", None, "women", 2): (Decimal(20), "incremental"),
        ("enterprises_trained", m1.pk, "", 0): (Decimal(8), "incremental"),
        ("visits_done", None, "", 0): (Decimal(40), "incremental"),  # kept: not overwritten
    }
    copied = Target.objects.get(partner=cast.zj, year=2026, indicator="participants", sex="")
    assert [h.history_user for h in copied.history.all()] == [cast.programme]
    # Again: nothing left to create, and the conflict is only replaced when asked.
    with pytest.raises(ValidationError):
        targets_copy_year(acting_user=cast.programme, partner=cast.zj, from_year=2025, to_year=2026)
    targets_copy_year(
        acting_user=cast.programme, partner=cast.zj, from_year=2025, to_year=2026, replace=True
    )
    visits = Target.objects.get(partner=cast.zj, year=2026, indicator="visits_done")
    assert visits.value == Decimal(30)
    assert [h.history_user for h in visits.history.all()] == [cast.programme, cast.programme]
    # The other partner's targets were never touched.
    assert not Target.objects.filter(partner=cast.sc).exists()


def test_only_programme_managers_copy_targets(cast):
    _set(cast, cast.zj, 2025, {("participants", None, "", 0): Decimal(1)})
    for user in (cast.zj_manager, cast.zj_staff, cast.zj_trainer):
        with pytest.raises(PermissionDenied):
            targets_copy_year(acting_user=user, partner=cast.zj, from_year=2025, to_year=2026)
    assert not Target.objects.filter(year=2026).exists()


def test_the_copy_page_asks_before_writing_and_says_what_it_kept(client, cast):
    _set(
        cast,
        cast.zj,
        2025,
        {("participants", None, "", 0): Decimal(100), ("visits_done", None, "", 0): Decimal(30)},
    )
    _set(cast, cast.zj, 2026, {("visits_done", None, "", 0): Decimal(40)})
    client.force_login(cast.programme)
    url = reverse("reports:target-copy", args=[cast.zj.pk, 2026])
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "1 target will be created." in body and "already holds another value" in body
    assert Target.objects.filter(year=2026).count() == 1  # GET writes nothing
    response = client.post(url, {"from_year": "2025"}, follow=True)
    assert "1 targets copied from 2025, 0 replaced, 1 kept." in response.content.decode()
    assert Target.objects.get(year=2026, indicator="visits_done").value == Decimal(40)
    client.post(url, {"from_year": "2025", "replace": "on"})
    assert Target.objects.get(year=2026, indicator="visits_done").value == Decimal(30)
    # Nothing to copy: a clear message, no error page.
    response = client.post(url, {"from_year": "2025"})
    assert response.status_code == 400 and "Nothing to copy" in response.content.decode()
    response = client.post(url, {"from_year": "not a year"})
    assert response.status_code == 400


# --- Targets against actuals on a hand-counted world -----------------------------------


@pytest.fixture
def world(cast):
    """Participants of held workshops. ZJ: 1 man in Nov 2025; in 2026 Q1 2 women and 1 man,
    Q3 1 woman (a workshop in September that was not held does not count). SC: 2 women in
    2026 Q1.

    Hand counts for ZJ: 2026 4 (3 women, 1 man); Q1 3, Q2 0, Q3 1, Q4 0; cumulative to the
    end of Q1 4, Q2 4, Q3 5, Q4 5; baseline (up to 31 Dec 2025) 1."""
    zj, sc = cast.zj, cast.sc
    m1 = Module.objects.get(code="M1")
    n_zj = EnrolmentFactory(
        enterprise=EnterpriseFactory(partner=zj), module=m1, applied_on=D(2025, 10, 1)
    )
    n_sc = EnrolmentFactory(
        enterprise=EnterpriseFactory(partner=sc), module=m1, applied_on=D(2026, 1, 1)
    )
    for partner, enrolment, start, status, people in (
        (zj, n_zj, D(2025, 11, 5), "held", "M"),
        (zj, n_zj, D(2026, 2, 10), "held", "FFM"),
        (zj, n_zj, D(2026, 8, 1), "held", "F"),
        (zj, n_zj, D(2026, 9, 1), "open", "FFFFF"),
        (sc, n_sc, D(2026, 3, 15), "held", "FF"),
    ):
        workshop = WorkshopFactory(
            partner=partner, module=m1, status=status, start_date=start, end_date=start
        )
        for index, sex in enumerate(people):
            workshop.participants.create(
                enrolment=enrolment, name=f"P{index}", sex=sex, level="worker"
            )
    _set(
        cast,
        zj,
        2026,
        {
            ("participants", None, "", 0): Decimal(10),
            ("participants", None, "women", 0): Decimal(5),
            ("participants", None, "", 1): Decimal(3),
            ("participants_women_share", None, "", 0): Decimal(50),
        },
    )
    _set(
        cast,
        zj,
        2026,
        {("participants", m1.pk, "", 3): Decimal(6)},
        kinds={("participants", m1.pk, ""): "cumulative"},
    )
    _set(cast, sc, 2026, {("participants", None, "", 0): Decimal(4)})
    return m1


def _cells(line):
    return [(cell.target.value if cell.target else None, cell.actual) for cell in line.cells]


def test_indicators_by_partners_match_the_hand_count_and_the_register(cast, world):
    lines = {
        line.key: line for line in grid_by_partner(cast.programme, [cast.zj, cast.sc], (2026, 0))
    }
    assert list(lines) == [
        ("participants", None, "", "incremental"),
        ("participants", None, "women", "incremental"),
        ("participants_women_share", None, "", "incremental"),
    ]
    total = lines[("participants", None, "", "incremental")]
    assert _cells(total) == [(Decimal(10), 4), (Decimal(4), 2)]
    assert [cell.achieved for cell in total.cells] == [Decimal("0.4"), Decimal("0.5")]
    women = lines[("participants", None, "women", "incremental")]
    assert _cells(women) == [(Decimal(5), 3), (None, 2)]
    share = lines[("participants_women_share", None, "", "incremental")]
    assert share.cells[0].actual == Decimal("0.75") and share.cells[0].met  # 75% against 50%
    # The same numbers as the register gives any other page.
    start, end = period_bounds(2026)
    register = indicator_values(
        cast.programme,
        ["participants", "participants_women", "participants_women_share"],
        partner_ids=[cast.zj.pk, cast.sc.pk],
        period_from=start,
        period_to=end,
        by="partner",
    )
    assert [c.actual for c in total.cells] == [
        register["participants"][p.pk] for p in (cast.zj, cast.sc)
    ]
    assert [c.actual for c in women.cells] == [
        register["participants_women"][p.pk] for p in (cast.zj, cast.sc)
    ]
    assert share.cells[0].actual == register["participants_women_share"][cast.zj.pk]


def test_indicators_by_periods_count_incremental_and_cumulative_targets(cast, world):
    quarters = [(2026, q) for q in (1, 2, 3, 4)]
    lines = {line.key: line for line in grid_by_period(cast.programme, cast.zj, quarters)}
    assert list(lines) == [
        ("participants", None, "", "incremental"),
        ("participants", world.pk, "", "cumulative"),
    ]
    incremental = lines[("participants", None, "", "incremental")]
    assert incremental.baseline == 1
    assert _cells(incremental) == [(Decimal(3), 3), (None, 0), (None, 1), (None, 0)]
    assert incremental.cells[0].met
    cumulative = lines[("participants", world.pk, "", "cumulative")]
    assert cumulative.baseline == 1
    assert _cells(cumulative) == [(None, 4), (None, 4), (Decimal(6), 5), (None, 5)]
    for (year, quarter), cell in zip(quarters, cumulative.cells, strict=True):
        register = indicator_values(
            cast.programme,
            ["participants"],
            partner_ids=[cast.zj.pk],
            period_to=period_bounds(year, quarter)[1],
            by="partner_module",
        )
        assert cell.actual == register["participants"][(cast.zj.pk, world.pk)]


def test_partner_people_see_only_their_partner_in_the_grid(client, cast, world):
    client.force_login(cast.sc_staff)
    body = client.get(reverse("reports:target-actuals"), {"year": 2026}).content.decode()
    assert "Sichuan Enterprise Federation" in body and "Zhejiang" not in body
    assert client.get(reverse("reports:target-partner", args=[cast.zj.pk])).status_code == 404
    assert client.get(reverse("reports:target-partner-xlsx", args=[cast.zj.pk])).status_code == 404
    assert client.get(reverse("reports:target-partner", args=[cast.sc.pk])).status_code == 200


def test_the_grid_pages_name_partners_in_the_persons_language(client, cast, world):
    client.force_login(cast.programme)
    with translation.override("zh-hans"):
        url = reverse("reports:target-actuals")
        body = client.get(url, {"year": 2026}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "浙江省企业联合会" in body and "四川省企业联合会" in body
    assert ">ZJ<" not in body


def test_bad_periods_get_a_message_not_an_error(client, cast, world):
    client.force_login(cast.programme)
    response = client.get(reverse("reports:target-actuals"), {"year": "abc", "quarter": "9"})
    assert (
        response.status_code == 200 and "That period is not available" in response.content.decode()
    )
    url = reverse("reports:target-partner", args=[cast.zj.pk])
    response = client.get(url, {"year_from": "2026", "year_to": "2021"})
    assert (
        response.status_code == 200
        and "The first year comes after the last." in response.content.decode()
    )


# --- The logframe spreadsheet ----------------------------------------------------------


def _read(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_logframe_spreadsheet_reads_back_in_both_languages(client, cast, world, language):
    client.force_login(cast.programme)
    url = reverse("reports:target-partner-xlsx", args=[cast.zj.pk])
    with translation.override(language):
        response = client.get(
            url,
            {"year_from": "2026", "year_to": "2026", "step": "quarter"},
            HTTP_ACCEPT_LANGUAGE=language,
        )
        names = {code: str(REGISTER[code].name) for code in ("participants",)}
        words = [
            str(w) for w in (translation.gettext("Indicator"), translation.gettext("Baseline"))
        ]
        partner_name = cast.zj.name
        unit = str(REGISTER["participants"].unit_text())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _read(response.content)
    assert partner_name in rows[0][0]
    assert rows[1][0] == words[0] and rows[1][3] == words[1]
    assert rows[1][4:] == [
        text
        for quarter in (1, 2, 3, 4)
        for text in (
            _in(language, "%(period)s target", quarter),
            _in(language, "%(period)s actual", quarter),
        )
    ]
    incremental, cumulative = rows[2], rows[3]
    assert incremental[0] == names["participants"] and incremental[1] == unit
    assert incremental[3:] == [1, 3, 3, None, 0, None, 1, None, 0]
    assert cumulative[0] == f"{names['participants']} · M1"
    assert cumulative[3:] == [1, None, 4, None, 4, 6, 5, None, 5]
    if language == "zh-hans":
        assert partner_name == "浙江省企业联合会"
        assert names["participants"] != "Participants" and words[0] != "Indicator"
        assert rows[1][4] == "2026年第1季度 目标"


def _in(language, text, quarter):
    with translation.override(language):
        return translation.gettext(text) % {"period": period_label((2026, quarter))}


def test_shares_are_percent_cells_in_the_logframe(cast, world):
    lines = grid_by_period(cast.programme, cast.zj, [(2026, 0)])
    rows = _read(logframe_xlsx(cast.zj, [(2026, 0)], lines))
    share = next(row for row in rows if row[0] == str(REGISTER["participants_women_share"].name))
    assert share[4:] == [0.5, 0.75]
    sheet = openpyxl.load_workbook(io.BytesIO(logframe_xlsx(cast.zj, [(2026, 0)], lines))).active
    row = next(r for r in sheet.iter_rows() if r[0].value == share[0])
    assert row[4].number_format.endswith("%")


def test_the_grid_pages_run_a_fixed_number_of_queries(client, cast, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import PartnerFactory

    client.force_login(cast.programme)
    pages = [
        (reverse("reports:target-actuals"), {"year": 2026}),
        (reverse("reports:target-partner", args=[cast.zj.pk]), {"step": "quarter"}),
        (reverse("reports:target-edit", args=[cast.zj.pk, 2026]), {}),
    ]

    def counts():
        found = []
        for url, query in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, query).status_code == 200
            found.append(len(queries))
        return found

    before = counts()
    # More partners, more targets, more workshops: the same number of queries.
    for code in ("AH", "GD"):
        partner = PartnerFactory(code=code, name_en=f"{code} federation")
        _set(cast, partner, 2026, {("participants", None, "", 0): Decimal(5)})
    _set(cast, cast.zj, 2026, {("participants", None, "", 2): Decimal(2)})
    WorkshopFactory(partner=cast.zj, module=world, status="held", start_date=D(2026, 5, 1))
    assert counts() == before, before
