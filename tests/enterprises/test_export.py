import csv
import io

import openpyxl
import pytest
from django.utils import translation

from enterprises.models import Enterprise
from enterprises.transfer.exporting import export_enterprises, neutralise
from enterprises.transfer.importing import run_import
from enterprises.transfer.parsing import parse
from tests.factories import EnterpriseFactory, valid_uscc

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+86 571 1234", "'+86 571 1234"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Huzhou", "Huzhou"),
        (120, 120),
        (-5, -5),
        (None, None),
    ],
)
def test_formula_starts_are_neutralised(value, expected):
    assert neutralise(value) == expected


def _csv_rows(data):
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM, for Excel
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_export_has_translated_headers_and_neutralised_cells(cast):
    EnterpriseFactory(
        partner=cast.zj,
        name='=HYPERLINK("http://x")',
        city="@evil",
        credit_code=valid_uscc(),
        phone="+86 571 8888",
    )
    data, content_type, filename = export_enterprises(Enterprise.objects.all(), "csv")
    assert content_type.startswith("text/csv") and filename.endswith(".csv")
    header, row = _csv_rows(data)
    assert header[:3] == ["Partner", "Enterprise name", "Name in Chinese"]
    values = dict(zip(header, row, strict=True))
    assert values["Enterprise name"] == '\'=HYPERLINK("http://x")'
    assert values["City"] == "'@evil"
    assert values["Phone"] == "'+86 571 8888"
    assert values["Sector (ISIC)"] == "13 Textiles"
    assert values["Partner"] == "ZJ"

    with translation.override("zh-hans"):
        data, _type, _name = export_enterprises(Enterprise.objects.all(), "csv")
    header, row = _csv_rows(data)
    assert "企业名称" in header and "统一社会信用代码" in header
    assert dict(zip(header, row, strict=True))["省份"] == "浙江省"


def test_xlsx_export_stores_formulas_as_text(cast):
    EnterpriseFactory(partner=cast.zj, name="=1+1", employees_total=300, employees_women=3)
    data, content_type, filename = export_enterprises(Enterprise.objects.all(), "xlsx")
    assert "spreadsheetml" in content_type and filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, sheet[2], strict=True))
    assert row["Enterprise name"].value == "'=1+1" and row["Enterprise name"].data_type == "s"
    assert row["Employees"].value == 300


def test_an_export_imports_again_unchanged(cast):
    EnterpriseFactory(
        partner=cast.zj,
        credit_code=valid_uscc(),
        ownership="private",
        phone="+86 571 8888",
        notes="=not a formula",
    )
    EnterpriseFactory(partner=cast.zj, province="Sichuan", sector="C25")
    for language in ("en", "zh-hans"):
        with translation.override(language):
            data, _type, name = export_enterprises(Enterprise.objects.all(), "xlsx")
            result = run_import(
                acting_user=cast.zj_staff, partner=cast.zj, parsed=parse(data, name), dry_run=True
            )
        assert [r.outcome for r in result.rows] == ["unchanged", "unchanged"], result.to_dict()


def test_unknown_format_is_refused():
    with pytest.raises(ValueError):
        export_enterprises(Enterprise.objects.none(), "pdf")
