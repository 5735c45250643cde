import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied

from enterprises.models import Enrolment, Enterprise
from enterprises.transfer.importing import run_import
from enterprises.transfer.parsing import parse
from tests.factories import EnrolmentFactory, EnterpriseFactory, valid_uscc

from .import_files import CODE_A, CODE_B, HEADERS, csv_bytes, good_rows, xlsx_bytes

pytestmark = pytest.mark.django_db

ZH_HEADERS = [
    "企业名称",
    "统一社会信用代码",
    "行业",
    "省份",
    "城市",
    "员工人数",
    "女性员工",
    "模块",
    "申请日期",
]


def _run(cast, data, name="enterprises.xlsx", dry_run=False, user=None):
    return run_import(
        acting_user=user or cast.zj_staff,
        partner=cast.zj,
        parsed=parse(io.BytesIO(data), name),
        dry_run=dry_run,
    )


def _counts():
    return Enterprise.objects.count(), Enrolment.objects.count()


def _outcomes(result):
    return [row.outcome for row in result.rows]


def test_a_good_xlsx_creates_enterprises_and_enrolments(cast):
    result = _run(cast, xlsx_bytes(good_rows()))
    assert _outcomes(result) == ["new", "new", "new"], result.to_dict()
    assert result.applied and result.counts == {"new": 3, "update": 0, "unchanged": 0, "error": 0}
    silk = Enterprise.objects.get(credit_code=CODE_A)
    assert (silk.partner, silk.sector, silk.province, silk.employees_total) == (
        cast.zj,
        "C13",
        "Zhejiang",
        240,
    )
    assert silk.history.first().history_user == cast.zj_staff
    enrolment = silk.enrolments.get()
    assert (enrolment.module.code, enrolment.applied_on) == ("M1", datetime.date(2026, 3, 1))
    assert Enterprise.objects.get(name="Ningbo Moulds Co., Ltd.").province == "Zhejiang"
    assert Enterprise.objects.get(name="Jiaxing Garments").sector == "C14"
    assert result.rows[0].enrolment == "M1"


def test_a_dry_run_reports_the_same_outcomes_and_writes_nothing(cast):
    before = _counts()
    preview = _run(cast, xlsx_bytes(good_rows()), dry_run=True)
    assert _counts() == before
    assert not preview.applied
    applied = _run(cast, xlsx_bytes(good_rows()))
    assert [r.outcome for r in preview.rows] == [r.outcome for r in applied.rows]


def test_importing_the_same_file_twice_changes_nothing(cast):
    data = xlsx_bytes(good_rows())
    _run(cast, data)
    counts = _counts()
    versions = list(Enterprise.objects.values_list("version", flat=True))
    again = _run(cast, data)
    assert set(_outcomes(again)) == {"unchanged"}, again.to_dict()
    assert _counts() == counts
    assert list(Enterprise.objects.values_list("version", flat=True)) == versions


def test_a_changed_row_updates_the_enterprise(cast):
    existing = EnterpriseFactory(
        partner=cast.zj,
        name="Huzhou Silk Co., Ltd.",
        credit_code=CODE_A,
        city="Deqing",
        employees_total=100,
        employees_women=40,
    )
    result = _run(
        cast,
        csv_bytes(
            [
                ["name", "credit_code", "city", "employees_total"],
                ["Huzhou Silk Co., Ltd.", CODE_A, "Huzhou", "300"],
            ]
        ),
        name="update.csv",
    )
    assert _outcomes(result) == ["update"]
    assert result.rows[0].changes == ["city", "employees_total"]
    existing.refresh_from_db()
    assert (existing.city, existing.employees_total, existing.employees_women) == (
        "Huzhou",
        300,
        40,
    )  # an absent column leaves the stored value alone


def test_an_enterprise_without_code_is_matched_by_name_within_the_partner(cast):
    EnterpriseFactory(partner=cast.sc, name="Jiaxing Garments")
    mine = EnterpriseFactory(partner=cast.zj, name="Jiaxing Garments", city="Old")
    result = _run(
        cast, csv_bytes([["name", "city"], ["jiaxing garments", "Jiaxing"]]), name="x.csv"
    )
    assert _outcomes(result) == ["update"]
    mine.refresh_from_db()
    assert mine.city == "Jiaxing"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_with_chinese_headers_in_each_encoding(cast, encoding):
    rows = [
        ZH_HEADERS,
        ["湖州丝绸有限公司", CODE_A, "纺织业", "浙江", "湖州", "240", "150", "M1", "2026/3/1"],
    ]
    result = _run(cast, csv_bytes(rows, encoding), name="企业.csv")
    assert _outcomes(result) == ["new"], result.to_dict()
    enterprise = Enterprise.objects.get()
    assert (enterprise.name, enterprise.sector, enterprise.province, enterprise.city) == (
        "湖州丝绸有限公司",
        "C13",
        "Zhejiang",
        "湖州",
    )
    assert enterprise.enrolments.get().applied_on == datetime.date(2026, 3, 1)


def test_headers_ignore_case_and_spaces_and_labels_are_accepted(cast):
    rows = [
        [" Name ", "CREDIT CODE", "Enterprise status", "Ownership"],
        ["Ningbo Moulds", CODE_B, "Withdrawn", "外资企业"],
    ]
    parsed = parse(io.BytesIO(xlsx_bytes(rows)), "x.xlsx")
    assert set(parsed.headers) == {"name", "credit_code", "status", "ownership"}, parsed
    result = _run(cast, xlsx_bytes(rows))
    assert _outcomes(result) == ["new"], result.to_dict()
    # By its label; without an enrolment only prospect or withdrawn stand (they follow it).
    assert Enterprise.objects.get().status == "withdrawn"


def test_the_templates_second_header_row_is_skipped(cast):
    rows = [HEADERS, ZH_HEADERS, good_rows()[1]]
    parsed = parse(io.BytesIO(xlsx_bytes(rows)), "t.xlsx")
    assert [r.number for r in parsed.rows] == [3]


def _errors(result, row_index=0):
    return result.rows[row_index].errors


def test_wrong_check_character_is_an_error_row_with_the_validators_reason(cast):
    bad = CODE_A[:17] + ("0" if CODE_A[17] != "0" else "1")
    result = _run(cast, csv_bytes([["name", "统一社会信用代码"], ["Silk", bad]]), name="b.csv")
    assert _outcomes(result) == ["error"]
    assert _errors(result)[0]["column"] == "统一社会信用代码"
    assert "check character" in _errors(result)[0]["message"]
    assert not result.applied and Enterprise.objects.count() == 0


def test_unknown_module_is_an_error_row(cast):
    result = _run(cast, csv_bytes([["name", "module"], ["Silk", "M9"]]), name="m.csv")
    assert _outcomes(result) == ["error"]
    assert _errors(result) == [{"column": "module", "message": "Unknown module “M9”."}]


def test_duplicate_rows_name_the_earlier_row(cast):
    rows = [
        ["name", "credit_code"],
        ["Silk", CODE_A],
        ["Moulds", CODE_B],
        ["Silk 2", CODE_A],
        ["moulds", ""],
    ]
    result = _run(cast, csv_bytes(rows), name="d.csv")
    assert _outcomes(result) == ["new", "new", "error", "error"]
    assert "row 2" in _errors(result, 2)[0]["message"]
    assert "row 3" in _errors(result, 3)[0]["message"]
    assert Enterprise.objects.count() == 0


def test_m2_before_m1_is_an_error_with_the_entry_rule(cast):
    result = _run(cast, csv_bytes([["name", "module"], ["Silk", "M2"]]), name="e.csv")
    assert _outcomes(result) == ["error"]
    assert _errors(result)[0]["column"] == "module"
    assert "M1 comes first" in _errors(result)[0]["message"]


def test_m1_then_m2_for_the_same_enterprise_in_one_file_works(cast):
    rows = [["name", "credit_code", "module"], ["Silk", CODE_A, "M1"], ["Silk", CODE_A, "M2"]]
    result = _run(cast, csv_bytes(rows), name="e.csv")
    assert _outcomes(result) == ["new", "update"], result.to_dict()
    assert sorted(Enterprise.objects.get().enrolments.values_list("module__code", flat=True)) == [
        "M1",
        "M2",
    ]


def test_an_open_enrolment_is_left_unchanged(cast):
    enterprise = EnterpriseFactory(partner=cast.zj, name="Silk", credit_code=CODE_A)
    EnrolmentFactory(enterprise=enterprise)
    result = _run(
        cast, csv_bytes([["name", "credit_code", "module"], ["Silk", CODE_A, "M1"]]), name="e.csv"
    )
    assert _outcomes(result) == ["unchanged"]
    assert enterprise.enrolments.count() == 1


def test_a_failing_row_leaves_nothing_behind(cast):
    before = _counts()
    rows = good_rows() + [["Bad Co.", "", "", "", "", "10", "20", "", ""]]  # women > total
    result = _run(cast, xlsx_bytes(rows))
    assert _outcomes(result) == ["new", "new", "new", "error"]
    assert _errors(result, 3)[0]["column"] == "employees_women"
    assert not result.applied
    assert _counts() == before


def test_a_credit_code_of_another_partner_is_an_error(cast):
    EnterpriseFactory(partner=cast.sc, credit_code=CODE_A)
    result = _run(cast, csv_bytes([["name", "credit_code"], ["Silk", CODE_A]]), name="o.csv")
    message = _errors(result)[0]["message"]
    assert "already registered in the programme; ask the programme office" in message
    assert "partner" not in message and "constraint" not in message.lower()


def test_only_partner_staff_import(cast):
    with pytest.raises(PermissionDenied):
        _run(cast, xlsx_bytes(good_rows()), user=cast.zj_manager)


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"", "empty.csv", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.xlsx", "not a spreadsheet"),
        (bytes(range(256)) * 4, "random.csv", "not a spreadsheet"),
        (b"PK\x03\x04garbage", "broken.xlsx", "not a spreadsheet"),
        ("city,省份\nHuzhou,浙江\n".encode(), "noname.csv", "enterprise name"),
        (b"name,city\n", "headers.csv", "no rows"),
    ],
)
def test_bad_files_give_a_clear_message_and_write_nothing(cast, data, name, message):
    parsed = parse(io.BytesIO(data), name)
    assert parsed.errors and message in parsed.errors[0], parsed.errors
    result = run_import(acting_user=cast.zj_staff, partner=cast.zj, parsed=parsed, dry_run=False)
    assert result.has_errors and not result.rows and Enterprise.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(cast, settings):
    settings.IMPORT_MAX_BYTES = 100
    parsed = parse(io.BytesIO(csv_bytes(good_rows())), "big.csv")
    assert "larger than" in parsed.errors[0]


def test_a_file_over_the_row_limit_is_refused(settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = [["name"]] + [[f"Enterprise {i}"] for i in range(5)]
    parsed = parse(io.BytesIO(csv_bytes(rows)), "many.csv")
    assert "more than 3 rows" in parsed.errors[0] and not parsed.rows


def test_numbers_typed_as_numbers_in_excel_import_as_text(cast):
    rows = [
        ["name", "phone", "year_founded", "paid_enterprise", "module"],
        ["Silk", 13800138000, 1998.0, 1200.5, "M1"],
    ]
    result = _run(cast, xlsx_bytes(rows))
    assert _outcomes(result) == ["new"], result.to_dict()
    enterprise = Enterprise.objects.get()
    assert (enterprise.phone, enterprise.year_founded) == ("13800138000", 1998)
    assert str(enterprise.enrolments.get().paid_enterprise) == "1200.50"


def test_enrolment_columns_need_a_module(cast):
    result = _run(cast, csv_bytes([["name", "applied_on"], ["Silk", "2026-01-01"]]), name="x.csv")
    assert _errors(result)[0]["column"] == "Module"  # the header label: no such column


def test_valid_uscc_helper_matches_codes_used_here():
    assert valid_uscc("91330100MA27XK5Q1") == CODE_A


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_an_implausible_date_is_an_error_row_naming_its_column(cast, day):
    result = _run(
        cast, csv_bytes([["name", "module", "applied_on"], ["Silk", "M1", day]]), name="d.csv"
    )
    assert _outcomes(result) == ["error"]
    assert _errors(result)[0]["column"] == "applied_on"
    assert not Enrolment.objects.exists()
