"""Reports print figures the way pages do (issue 20, item 6) and the workshop pack speaks of
its training days (item 7): PDFs group thousands ("13,066,500", never "13066500.00") and
print dates in the report's language; spreadsheets keep numbers and dates as formatted cells."""

import datetime
import io
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils.translation import override
from openpyxl import load_workbook

from reports.builders import build_enterprise, build_workshop
from reports.builders.base import section, table
from reports.rendering import render_html, render_xlsx
from tests.factories import EnrolmentFactory, EnterpriseFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def _section_html(language):
    with override(language):
        block = section(
            key="money",
            title="Money",
            tables=[
                table(
                    title="",
                    columns=["Partner", "Realised", "Since", "Note"],
                    rows=[["ZJ", Decimal("13066500.00"), datetime.date(2026, 11, 21), ""]],
                    numeric={1},
                    totals=["Total", Decimal("13066500.00"), None, ""],
                )
            ],
        )
        return render_to_string("reports/pdf/_section.html", {"section": block})


def test_pdf_tables_group_thousands_and_print_dates_in_english():
    html = _section_html("en")
    assert "13,066,500" in html and "13066500" not in html
    assert "21 Nov 2026" in html and "2026-11-21" not in html
    assert "<td></td>" in html  # an empty cell stays empty


def test_pdf_tables_group_thousands_and_print_dates_in_chinese():
    html = _section_html("zh-hans")
    assert "13,066,500" in html and "13066500" not in html
    assert "2026年11月21日" in html


@pytest.fixture
def enterprise(cast):
    enterprise = EnterpriseFactory(partner=cast.zj, name="Huzhou Silk")
    EnrolmentFactory(
        enterprise=enterprise,
        paid_enterprise=Decimal("12000"),
        paid_ilo=Decimal("1066500"),
        applied_on=datetime.date(2026, 3, 1),
    )
    return enterprise


@pytest.mark.parametrize(
    ("language", "applied"), [("en", "1 Mar 2026"), ("zh-hans", "2026年3月1日")]
)
def test_enterprise_report_prints_fees_and_dates_localised(enterprise, language, applied):
    with override(language):
        html = render_html(build_enterprise(enterprise_id=enterprise.pk, language=language))
    assert "1,078,500" in html and "1078500.00" not in html
    assert applied in html and "2026-03-01" not in html


def test_enterprise_report_spreadsheet_keeps_dates_and_money_as_formatted_cells(enterprise):
    with override("en"):
        data = render_xlsx(build_enterprise(enterprise_id=enterprise.pk, language="en"))
    cells = [cell for sheet in load_workbook(io.BytesIO(data)) for row in sheet for cell in row]
    applied = next(c for c in cells if c.value == datetime.datetime(2026, 3, 1))
    assert applied.is_date and applied.number_format == "yyyy-mm-dd"
    fee = next(c for c in cells if c.value == 1078500)
    assert fee.data_type == "n" and fee.number_format == "#,##0"
    assert not any(c.value == "2026-03-01" for c in cells)


@pytest.fixture
def workshop(cast):
    workshop = WorkshopFactory(
        partner=cast.zj,
        title="M1 Huzhou",
        start_date=datetime.date(2026, 11, 21),
        end_date=datetime.date(2026, 11, 22),
        venue="Huzhou Hotel",
    )
    enrolment = EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj))
    workshop.participants.create(enrolment=enrolment, name="王芳", sex="F", level="manager")
    return workshop


def test_workshop_pack_cover_shows_the_training_dates_in_english(workshop):
    with override("en"):
        html = render_html(build_workshop(workshop_id=workshop.pk, language="en"))
    cover = html[: html.index("</section>")]
    assert "Training dates" in cover and "Period" not in cover
    assert "21 Nov 2026 to 22 Nov 2026" in cover and "Huzhou Hotel" in cover
    assert ">Name<" in html and "21 Nov" in html  # the sheet's day columns


def test_workshop_pack_cover_shows_the_training_dates_in_chinese(workshop):
    with override("zh-hans"):
        html = render_html(build_workshop(workshop_id=workshop.pk, language="zh-hans"))
    cover = html[: html.index("</section>")]
    assert "培训日期" in cover and "报告期" not in cover
    assert "2026年11月21日" in cover
    # the attendance sheet heads a person's name 姓名 (名称 names things)
    assert ">姓名<" in html and ">名称<" not in html
    assert "11月21日" in html
