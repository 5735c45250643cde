"""Figures and words on the enterprise pages in both languages (issue 20, items 6 and 7):
fees as money with grouping ("4,000 CNY" / "4,000 元"), dates "1 Mar 2026" / "2026年3月1日",
counts that agree with their number, sort options and KPI units in Chinese."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.translation import override

from catalogue.models import KPIDefinition
from enterprises.forms.kpi import KPIReadingForm
from enterprises.models import EITMember
from tests.factories import EnrolmentFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise(cast):
    enterprise = EnterpriseFactory(partner=cast.zj, name="Huzhou Silk", employees_total=1250)
    EnrolmentFactory(
        enterprise=enterprise,
        paid_enterprise=Decimal("3000"),
        paid_ilo=Decimal("1000"),
        applied_on=datetime.date(2026, 3, 1),
        enrolled_on=datetime.date(2026, 11, 21),
    )
    EITMember.objects.create(
        enterprise=enterprise, name="Wang Fang", role="leader", level="manager", sex="F"
    )
    return enterprise


def _page(client, user, url, language):
    client.force_login(user)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_enterprise_page_prints_fees_dates_and_counts_in_english(client, cast, enterprise):
    html = _page(client, cast.zj_staff, reverse("enterprises:detail", args=[enterprise.pk]), "en")
    text = _text(html)
    assert "4,000 CNY" in text
    assert "1 Mar 2026" in text and "21 Nov 2026" in text
    assert "2026-03-01" not in text and "03/01/2026" not in text
    assert "1,250" in text  # employees
    assert "1 active member: 1 woman, 0 workers." in text
    assert "1 women" not in text


def test_enterprise_page_prints_fees_dates_and_counts_in_chinese(client, cast, enterprise):
    html = _page(
        client, cast.zj_staff, reverse("enterprises:detail", args=[enterprise.pk]), "zh-hans"
    )
    text = _text(html)
    assert "4,000 元" in text and "4000" not in text
    assert "2026年3月1日" in text and "2026年11月21日" in text
    assert "1,250" in text
    assert "现有成员 1 人： 女性 1 人，一线员工 0 人。" in text
    assert "姓名" in html  # the EIT table heads a person's name 姓名, not 名称


def test_enrolment_actions_sit_under_the_module_not_in_a_clipped_last_column(
    client, cast, enterprise
):
    html = _page(client, cast.zj_staff, reverse("enterprises:detail", args=[enterprise.pk]), "en")
    section = html[html.index('aria-labelledby="enrolments-heading"') :]
    table = section[: section.index("</table>")]
    assert table.count('<th scope="col"') == 4  # Module, Status, Dates, Fee: fits its column
    first_cell = table[table.index("<td>") : table.index("</td>")]
    assert "enrolment-actions" in first_cell and ">Status<" in first_cell and ">Fee<" in first_cell


@pytest.mark.parametrize(
    ("language", "descending"), [("en", "Name (descending)"), ("zh-hans", "名称（降序）")]
)
def test_sort_options_are_translated(client, cast, enterprise, language, descending):
    html = _page(client, cast.zj_staff, reverse("enterprises:list"), language)
    assert descending in html
    if language == "zh-hans":
        assert "(descending)" not in html


def test_kpi_units_follow_the_language(client, cast):
    productivity = KPIDefinition.objects.get(code="productivity")
    assert (productivity.unit, productivity.unit_zh) == ("units/worker/month", "件/人/月")
    assert KPIDefinition.objects.filter(unit_zh="").count() == 0  # the migration filled all
    with override("en"):
        assert str(productivity) == "Labour productivity (units/worker/month)"
    with override("zh-hans"):
        assert str(productivity) == "劳动生产率 (件/人/月)"
        labels = [label for _value, label in KPIReadingForm().fields["kpi"].choices]
        assert "劳动生产率 (件/人/月)" in labels
    html = _page(client, cast.programme, reverse("catalogue:kpi-list"), "zh-hans")
    assert "千瓦时/件" in html and "kWh/unit" not in html
    html = _page(client, cast.programme, reverse("catalogue:kpi-list"), "en")
    assert "kWh/unit" in html and "千瓦时/件" not in html


def test_project_currency_choices_are_named_in_chinese():
    from enterprises.models import ImprovementProject

    field = ImprovementProject._meta.get_field("currency")
    with override("zh-hans"):
        labels = [str(label) for _value, label in field.choices]
    assert labels == ["人民币（CNY）", "美元（USD）", "欧元（EUR）"]
    with override("en"):
        assert [str(label) for _value, label in field.choices] == ["CNY", "USD", "EUR"]
