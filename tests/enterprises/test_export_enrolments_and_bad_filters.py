"""Issue 20, item 8: the export has the enrolments (module, status, fees), one row per
enterprise and enrolment; a filter value edited by hand (``?module=M1``, an unknown status)
is named on the page instead of silently giving everything."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from enterprises.models import Enterprise
from enterprises.transfer.exporting import export_enterprises
from enterprises.transfer.importing import run_import
from enterprises.transfer.parsing import parse
from tests.factories import EnrolmentFactory, EnterpriseFactory, TrainerFactory, _module

pytestmark = pytest.mark.django_db
ZH = "zh-hans"


@pytest.fixture
def two(cast):
    silk = EnterpriseFactory(partner=cast.zj, name="Huzhou Silk", name_zh="湖州丝绸")
    EnrolmentFactory(
        enterprise=silk,
        module=_module("M1"),
        status="completed",
        paid_enterprise=Decimal("4000"),
        paid_sponsor=Decimal("1000"),
    )
    EnrolmentFactory(enterprise=silk, module=_module("M2"), status="enrolled")
    EnterpriseFactory(partner=cast.zj, name="Lonely Pumps", name_zh="孤独泵业")
    return silk


def _csv(data):
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_one_row_per_enterprise_and_enrolment_with_module_status_and_fees(two):
    data, _type, _name = export_enterprises(Enterprise.objects.order_by("name"), "csv")
    header, *rows = _csv(data)
    for column in ("Module", "Enrolment status", "Paid by the enterprise", "Paid by a sponsor"):
        assert column in header
    got = [dict(zip(header, row, strict=True)) for row in rows]
    assert [(r["Enterprise name"], r["Module"], r["Enrolment status"]) for r in got] == [
        ("Huzhou Silk", "M1", "Completed"),
        ("Huzhou Silk", "M2", "Enrolled"),
        ("Lonely Pumps", "", ""),
    ]
    assert got[0]["Paid by the enterprise"] == "4000.00"
    assert got[0]["Paid by a sponsor"] == "1000.00"


def test_the_xlsx_export_in_chinese_has_the_enrolment_columns(two):
    from django.utils import translation

    with translation.override(ZH):
        data, _type, _name = export_enterprises(Enterprise.objects.order_by("name"), "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert "模块" in header and "报名状态" in header and "企业支付" in header
    first = dict(zip(header, rows[1], strict=True))
    assert first["模块"] == "M1" and first["报名状态"] == "已完成" and first["企业支付"] == 4000


def test_the_export_imports_again_unchanged(cast, two):
    """The layout is the import's: the enrolment rows do not count as duplicates."""
    Enterprise.objects.filter(name="Huzhou Silk").first().enrolments.update(status="enrolled")
    data, _type, _name = export_enterprises(Enterprise.objects.order_by("name"), "xlsx")
    result = run_import(
        acting_user=cast.zj_staff, partner=cast.zj, parsed=parse(data, "x.xlsx"), dry_run=True
    )
    assert [r.outcome for r in result.rows] == ["unchanged"] * 3, result.to_dict()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The filter “Module” does not accept “M1”"),
        (ZH, "筛选条件“模块”不接受“M1”"),
    ],
)
def test_a_hand_edited_module_is_named_on_the_enterprise_list(client, cast, two, language, message):
    client.force_login(cast.zj_staff)
    client.cookies["django_language"] = language
    response = client.get(reverse("enterprises:list"), {"module": "M1", "province": "ZJ"})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_an_unknown_status_is_named_and_the_other_filters_still_apply(client, cast, two):
    client.force_login(cast.zj_staff)
    body = client.get(
        reverse("enterprises:list"), {"enrolment_status": "sleeping", "q": "Lonely"}
    ).content.decode()
    assert "The filter “Enrolment status” does not accept “sleeping”" in body
    assert "Lonely Pumps" in body and "Huzhou Silk" not in body


def test_a_valid_filter_says_nothing(client, cast, two):
    client.force_login(cast.zj_staff)
    body = client.get(reverse("enterprises:list"), {"module": _module("M1").pk}).content.decode()
    assert "does not accept" not in body
    assert "Huzhou Silk" in body and "Lonely Pumps" not in body


def test_the_export_of_a_bad_filter_sends_back_to_the_list_with_the_message(client, cast, two):
    client.force_login(cast.zj_staff)
    response = client.get(
        reverse("enterprises:transfer:export"), {"module": "M1", "format": "csv"}, follow=True
    )
    assert response.redirect_chain and "text/html" in response["Content-Type"]
    body = response.content.decode()
    assert "Nothing was exported" in body
    assert "The filter “Module” does not accept “M1”" in body


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "The filter “Module” does not accept “M1”"), (ZH, "筛选条件“模块”不接受“M1”")],
)
def test_the_workshop_list_names_a_bad_module(client, cast, language, message):
    client.force_login(cast.zj_staff)
    client.cookies["django_language"] = language
    body = client.get(reverse("workshops:list"), {"module": "M1"}).content.decode()
    assert message in body
    body = client.get(reverse("workshops:list"), {"when": "someday"}).content.decode()
    assert "someday" in body


def test_the_trainer_list_names_a_bad_value(client, cast):
    TrainerFactory(partners=[cast.zj])
    client.force_login(cast.zj_staff)
    body = client.get(reverse("trainers:list"), {"module": "M9"}).content.decode()
    assert "does not accept “M9”" in body


def test_a_long_bad_value_is_shortened(client, cast):
    client.force_login(cast.zj_staff)
    body = client.get(reverse("enterprises:list"), {"status": "x" * 500}).content.decode()
    assert "does not accept “" + "x" * 59 + "…”" in body  # the message, not the whole value
