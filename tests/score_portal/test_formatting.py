"""One localised way to print figures (issue 20, item 6): every function in both languages."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from score_portal.formatting import (
    format_cell,
    format_date,
    format_date_range,
    format_datetime,
    format_money,
    format_month,
    format_number,
    format_percent,
)

DAY = datetime.date(2026, 11, 21)
BOTH = ["en", "zh-hans"]


@pytest.mark.parametrize("language", BOTH)
def test_numbers_are_grouped_by_thousands_in_both_languages(language):
    with translation.override(language):
        assert format_number(4000) == "4,000"
        assert format_number(Decimal("13066500.00")) == "13,066,500"
        assert format_number(1234.56, 1) == "1,234.6"
        assert format_number(Decimal("2.5")) == "3"  # half up, not banker's rounding
        assert format_number(-0.2) == "0"
        assert format_number(999) == "999"
        assert format_number(Decimal("12.50"), -2) == "12.5"
        assert format_number(Decimal("1200.00"), -2) == "1,200"
        assert format_number(None) == "—"
        assert format_number("not a number") == "—"


@pytest.mark.parametrize("language", BOTH)
def test_percent_of_a_share(language):
    with translation.override(language):
        assert format_percent(0.456) == "46%"
        assert format_percent(Decimal("0.4567"), 1) == "45.7%"
        assert format_percent(12.5) == "1,250%"
        assert format_percent(0) == "0%"
        assert format_percent(None) == "—"


def test_money_names_the_currency_in_each_language():
    with translation.override("en"):
        assert format_money(4000, "CNY") == "4,000 CNY"
        assert format_money(Decimal("1234.5"), "USD", 2) == "1,234.50 USD"
        assert format_money(10, "XYZ") == "10 XYZ"
        assert format_money(None, "CNY") == "—"
    with translation.override("zh-hans"):
        assert format_money(4000, "CNY") == "4,000 元"
        assert format_money(Decimal("1234.5"), "USD", 2) == "1,234.50 美元"
        assert format_money(None, "CNY") == "—"


def test_dates_in_each_language():
    with translation.override("en"):
        assert format_date(DAY) == "21 Nov 2026"
        assert format_date("2026-11-21") == "21 Nov 2026"
        assert format_date(None) == "—"
        assert format_date_range(DAY, DAY + datetime.timedelta(days=2)) == (
            "21 Nov 2026 – 23 Nov 2026"
        )
        assert format_date_range(DAY, DAY) == "21 Nov 2026"
    with translation.override("zh-hans"):
        assert format_date(DAY) == "2026年11月21日"
        assert format_date(datetime.date(2026, 1, 5)) == "2026年1月5日"
        assert format_date(None) == "—"


def test_months_in_each_language():
    with translation.override("en"):
        assert format_month(datetime.date(2026, 12, 1)) == "Dec 2026"
    with translation.override("zh-hans"):
        assert format_month(datetime.date(2026, 12, 1)) == "2026年12月"
    assert format_month(None) == "—"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "21 Nov 2026 14:05"), ("zh-hans", "2026年11月21日 14:05")],
)
def test_moments_in_local_time(language, expected, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    moment = datetime.datetime(2026, 11, 21, 6, 5, tzinfo=datetime.UTC)  # 14:05 in Shanghai
    with translation.override(language):
        assert format_datetime(moment) == expected
        assert format_datetime(None) == "—"


@pytest.mark.parametrize("language", BOTH)
def test_cells_of_a_pdf_table(language):
    with translation.override(language):
        assert format_cell(Decimal("13066500.00")) == "13,066,500"
        assert format_cell(Decimal("1234.50")) == "1,234.5"
        assert format_cell(12.345) == "12.35"
        assert format_cell(4000) == "4,000"
        assert format_cell("M1") == "M1"
        assert format_cell(None) == "—"
        assert format_cell("") == ""  # an absent day on the attendance sheet stays blank
        assert format_cell(DAY) == format_date(DAY)


def test_django_date_filter_and_admin_use_the_same_formats():
    with translation.override("en"):
        assert formats.date_format(DAY) == "21 Nov 2026"
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == "21 Nov 2026"
        assert Template("{{ d|date }}").render(Context({"d": DAY})) == "21 Nov 2026"
    with translation.override("zh-hans"):
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == "2026年11月21日"
        assert Template("{{ d|date }}").render(Context({"d": DAY})) == "2026年11月21日"
        # the browser's date picker still gets ISO dates
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%Y-%m-%d"


TEMPLATE = Template(
    "{% load portal %}{{ n|number }}|{{ s|percent }}|{{ m|money:'CNY' }}|{{ d|day }}|"
    "{{ d|month }}|{{ none|day }}"
)


def test_template_filters_in_english():
    context = Context({"n": 4000, "s": 0.5, "m": Decimal("4000.00"), "d": DAY, "none": None})
    with translation.override("en"):
        assert TEMPLATE.render(context) == "4,000|50%|4,000 CNY|21 Nov 2026|Nov 2026|—"


def test_template_filters_in_chinese():
    context = Context({"n": 4000, "s": 0.5, "m": Decimal("4000.00"), "d": DAY, "none": None})
    with translation.override("zh-hans"):
        assert TEMPLATE.render(context) == "4,000|50%|4,000 元|2026年11月21日|2026年11月|—"


@pytest.mark.parametrize("language", BOTH)
def test_the_date_picker_gets_an_iso_value_in_both_languages(language):
    """Django's own zh_Hans formats put "%Y/%m/%d" first: a Chinese edit form rendered
    value="2026/11/21", which a browser's date input shows as empty."""
    from score_portal.forms import DateInput

    with translation.override(language):
        html = DateInput().render("day", DAY)
    assert 'value="2026-11-21"' in html
