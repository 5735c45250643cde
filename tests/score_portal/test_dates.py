"""One date rule: a date a person types is refused outside its plausible range, with a
message on the field in both languages; a date already stored out of range breaks no page;
a date or month in the URL out of range falls back to today."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from catalogue.models import KPIDefinition
from enterprises.models import KPIReading
from reports.builders import build_enterprise
from reports.rendering import render_pdf, render_xlsx
from score_portal.dates import PAST, PLANNED, check_plausible_date, date_range
from score_portal.query import query_date, query_id, query_int, query_month, query_text
from tests.factories import EnrolmentFactory, EnterpriseFactory, TrainerFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

EXTREMES = ["0001-01-01", "9999-12-31", "1949-12-31"]


def _reading_post(client, enterprise, start, end):
    return client.post(
        reverse("enterprises:kpi:record", args=[enterprise.pk]),
        {
            "kpi": KPIDefinition.objects.get(code="defect_rate").pk,
            "kind": "baseline",
            "source": "visit",
            "period_start": start,
            "period_end": end,
            "value": "4.5",
        },
    )


@pytest.mark.parametrize("day", EXTREMES)
def test_it_refuses_a_kpi_reading_dated_out_of_range_with_a_message_per_field(client, cast, day):
    enterprise = EnterpriseFactory(partner=cast.zj)
    client.force_login(cast.zj_staff)
    response = _reading_post(client, enterprise, day, day)
    assert response.status_code == 400
    assert not KPIReading.objects.exists()
    errors = response.context["form"].errors
    assert "period_start" in errors
    message = " ".join(errors["period_start"])
    assert "on or after" in message or "future" in message


def test_it_refuses_out_of_range_dates_in_chinese(client, cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    client.force_login(cast.zj_staff)
    with override("zh-hans"):
        response = client.post(
            reverse("enterprises:kpi:record", args=[enterprise.pk]),
            {
                "kpi": KPIDefinition.objects.get(code="defect_rate").pk,
                "kind": "baseline",
                "source": "visit",
                "period_start": "0001-01-01",
                "period_end": "9999-12-31",
                "value": "4.5",
            },
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
        assert response.status_code == 400
        errors = response.context["form"].errors
        assert "请输入不早于 1950年1月1日 的日期。" in " ".join(errors["period_start"])
        assert "请输入不晚于" in " ".join(errors["period_end"])
    assert "请输入不早于" in response.content.decode()


def test_it_keeps_the_kpi_page_and_report_working_with_an_out_of_range_row(client, cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    EnrolmentFactory(enterprise=enterprise)
    kpi = KPIDefinition.objects.get(code="defect_rate")
    # Stored before the rule existed (or by a direct write): no page may fail on it.
    KPIReading.objects.bulk_create(
        [
            KPIReading(
                enterprise=enterprise,
                kpi=kpi,
                kind="baseline",
                value=5,
                period_start=datetime.date(1, 1, 1),
                period_end=datetime.date(1, 1, 1),
            ),
            KPIReading(
                enterprise=enterprise,
                kpi=kpi,
                kind="follow_up",
                value=4,
                period_start=datetime.date(9999, 12, 31),
                period_end=datetime.date(9999, 12, 31),
            ),
        ]
    )
    client.force_login(cast.zj_staff)
    assert client.get(reverse("enterprises:kpi:overview", args=[enterprise.pk])).status_code == 200
    assert client.get(reverse("enterprises:detail", args=[enterprise.pk])).status_code == 200
    with override("en"):
        context = build_enterprise(enterprise_id=enterprise.pk)
        assert render_pdf(context)[:4] == b"%PDF"
        assert render_xlsx(context)[:2] == b"PK"


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "garbage", "2026-13", "1-1"])
def test_it_shows_this_month_for_an_unusable_calendar_month(client, cast, month):
    client.force_login(cast.zj_staff)
    response = client.get(reverse("workshops:calendar"), {"month": month})
    assert response.status_code == 200
    assert response.context["month"] == timezone.localdate().replace(day=1)


@pytest.mark.parametrize("value", ["99999999999999999999", "-5", "garbage", "0", ""])
def test_it_ignores_an_unusable_module_on_the_workshop_list(client, cast, value):
    WorkshopFactory(partner=cast.zj)
    client.force_login(cast.zj_staff)
    response = client.get(reverse("workshops:list"), {"module": value, "when": "all"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 1


def test_the_rules_accept_today_and_refuse_the_calendar_ends():
    today = timezone.localdate()
    check_plausible_date(today, PAST)
    check_plausible_date(today + datetime.timedelta(days=365 * 5), PLANNED)
    for rule in (PAST, PLANNED):
        first, last = date_range(rule)
        check_plausible_date(first, rule)
        check_plausible_date(last, rule)
        for day in (
            datetime.date(1, 1, 1),
            datetime.date(9999, 12, 31),
            first - datetime.timedelta(days=1),
            last + datetime.timedelta(days=1),
        ):
            with pytest.raises(ValidationError):
                check_plausible_date(day, rule)
    with pytest.raises(ValidationError):
        check_plausible_date(today + datetime.timedelta(days=30), PAST)


def test_the_query_helpers_fall_back():
    from django.http import QueryDict

    params = QueryDict(
        "a=99999999999999999999&b=-1&c=12&d=9999-12&e=2026-05&f=0001-01-01&g=2026-05-04&h=x"
    )
    assert query_int(params, "a", 7) == 7
    assert query_int(params, "b", 7) == 7
    assert query_int(params, "b", 7, minimum=-5) == -1
    assert query_int(params, "c") == 12 and query_id(params, "h") is None
    assert query_month(params, "d") is None
    assert query_month(params, "e") == datetime.date(2026, 5, 1)
    assert query_date(params, "f") is None
    assert query_date(params, "g") == datetime.date(2026, 5, 4)


@pytest.mark.parametrize(
    "make, field",
    [
        (
            lambda cast: EnterpriseFactory.build(partner=cast.zj).eit_members.model(
                enterprise=EnterpriseFactory(partner=cast.zj),
                name="Wu",
                level="worker",
                sex="F",
                active_from=datetime.date(1, 1, 1),
            ),
            "active_from",
        ),
        (
            lambda cast: EnrolmentFactory.build(
                enterprise=EnterpriseFactory(partner=cast.zj),
                applied_on=datetime.date(9999, 12, 31),
                enrolled_on=None,
            ),
            "applied_on",
        ),
        (
            lambda cast: WorkshopFactory.build(
                partner=cast.zj, start_date=datetime.date(1, 1, 1), end_date=datetime.date(1, 1, 2)
            ),
            "start_date",
        ),
        (
            lambda cast: TrainerFactory().certifications.model(
                trainer=TrainerFactory(),
                module=WorkshopFactory.build().module,
                grade="certified",
                decision_date=datetime.date(9999, 1, 1),
            ),
            "decision_date",
        ),
    ],
)
def test_every_model_with_dates_follows_the_rule(cast, make, field):
    instance = make(cast)
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    assert field in caught.value.message_dict


def test_query_text_drops_the_nul_and_control_characters_postgresql_refuses():
    # a NUL in a search box reached PostgreSQL and answered 500 (group assignment, the URL walk)
    assert query_text({"q": " a\x00b\x0bc "}, "q") == "abc"
    assert query_text({"q": "长" * 300}, "q", 50) == "长" * 50
    assert query_text({}, "q") == ""
