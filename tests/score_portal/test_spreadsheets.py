"""Every XLSX the portal writes: formulas land as text, control characters never fail it."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils.translation import override
from openpyxl import load_workbook

from enterprises.models import Enterprise
from enterprises.transfer.exporting import export_enterprises
from reports.builders import build_enterprise, build_workshop
from reports.rendering import render_xlsx
from score_portal import spreadsheets
from tests.factories import EnrolmentFactory, EnterpriseFactory, WorkshopFactory

HYPERLINK = '=HYPERLINK("http://evil.example","click")'


def _cells(data: bytes):
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [
        cell
        for sheet in workbook
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def _assert_safe(data: bytes, *expected_texts):
    cells = _cells(data)
    assert not [c.value for c in cells if c.data_type == "f"], "a formula was written"
    values = [c.value for c in cells]
    for text in expected_texts:
        assert text in values, (text, values)


def test_it_cleans_control_characters_and_neutralises_formulas():
    assert spreadsheets.clean("a\x0bb\x00c") == "abc"
    assert spreadsheets.clean(HYPERLINK) == "'" + HYPERLINK
    assert spreadsheets.clean("\x0b=1+1") == "'=1+1"
    assert spreadsheets.clean("-") == "-" and spreadsheets.clean(-3) == -3


@pytest.mark.django_db
def test_it_exports_xlsx_with_a_control_character(cast):
    EnterpriseFactory(partner=cast.zj, name="Huzhou\x0bSilk", city=HYPERLINK)
    data, _type, _name = export_enterprises(Enterprise.objects.all(), "xlsx")
    _assert_safe(data, "HuzhouSilk", "'" + HYPERLINK)


@pytest.mark.django_db
def test_it_exports_programme_wide_with_a_control_character(client, cast):
    EnterpriseFactory(partner=cast.zj, name="Zhejiang\x0bWorks")
    EnterpriseFactory(partner=cast.sc, name="Sichuan Works", city="Chengdu\x0c")
    client.force_login(cast.programme)
    response = client.get(reverse("enterprises:transfer:export") + "?format=xlsx")
    assert response.status_code == 200
    _assert_safe(response.content, "ZhejiangWorks", "Sichuan Works", "Chengdu")


@pytest.mark.django_db
def test_it_writes_the_enterprise_report_xlsx_with_control_characters_and_formulas(cast):
    enterprise = EnterpriseFactory(partner=cast.zj, name=HYPERLINK + "\x0b")
    EnrolmentFactory(enterprise=enterprise)
    with override("en"):
        data = render_xlsx(build_enterprise(enterprise_id=enterprise.pk))
    _assert_safe(data)
    values = [c.value for c in _cells(data)]
    assert any(isinstance(v, str) and v.startswith("'=HYPERLINK") for v in values)


@pytest.mark.django_db
def test_it_writes_the_workshop_pack_xlsx_with_control_characters_and_formulas(cast):
    workshop = WorkshopFactory(partner=cast.zj, status="held", title=HYPERLINK)
    enrolment = EnrolmentFactory(
        enterprise=EnterpriseFactory(partner=cast.zj, name="Silk\x0bWorks")
    )
    workshop.invitations.add(enrolment)
    workshop.participants.create(enrolment=enrolment, name="=1+2\x0b", sex="F", level="worker")
    with override("en"):
        data = render_xlsx(build_workshop(workshop_id=workshop.pk))
    _assert_safe(data, "'=1+2", "SilkWorks")
    values = [c.value for c in _cells(data)]
    assert any(isinstance(v, str) and v.startswith("'=HYPERLINK") for v in values)


@pytest.mark.parametrize("write_only", [False, True])
def test_dates_and_amounts_are_formatted_cells_not_text(write_only):
    """Issue 20, item 6: a spreadsheet sums and sorts what the pages print."""
    workbook = spreadsheets.new_workbook(write_only=write_only)
    sheet = workbook.create_sheet("Figures") if write_only else workbook.active
    moment = datetime.datetime(2026, 11, 21, 6, 5, tzinfo=datetime.UTC)
    spreadsheets.append(
        sheet,
        [datetime.date(2026, 11, 21), Decimal("13066500.00"), Decimal("12.50"), moment, 7, "M1"],
    )
    title = "Figures" if write_only else sheet.title
    cells = list(load_workbook(io.BytesIO(spreadsheets.to_bytes(workbook)))[title][1])
    day, amount, fraction, when, count, text = cells
    assert day.is_date and day.number_format == "yyyy-mm-dd"
    assert amount.value == 13066500 and amount.number_format == "#,##0"
    assert fraction.value == 12.5 and fraction.number_format == "#,##0.00"
    assert when.is_date and when.value == datetime.datetime(2026, 11, 21, 14, 5)  # Shanghai
    assert (count.value, count.number_format) == (7, "General")
    assert text.value == "M1" and text.data_type == "s"
