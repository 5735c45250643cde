"""Files as provinces publish them: title rows, numbered and synonym headers, "(必填)",
example rows, Excel-number and masked credit codes, full-width characters, everyday
values (私营, 服装, 浙江). Every row's outcome is asserted."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from enterprises.models import Enterprise
from enterprises.transfer.importing import run_import
from enterprises.transfer.parsing import parse
from enterprises.validators import clean_uscc, uscc_category_warning
from tests.factories import EnterpriseFactory, valid_uscc

from .import_files import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

SILK = valid_uscc("91330500MA2B3C4D5")
MOULD = valid_uscc("91330200MA2AB1234")
GARMENT = valid_uscc("91330400MA29XY123")
SHOP = valid_uscc("92330100MA2J0K1L2")  # 个体工商户
FULL_WIDTH = "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in GARMENT)


def _bad_check(code: str) -> str:
    return code[:17] + ("1" if code[17] != "1" else "2")


def provincial_rows():
    this_year = datetime.date.today().year
    return [
        ["2026年浙江省SCORE项目拟参加企业名单"],
        ["填报单位：浙江省企业联合会", None, None, "填报日期：2026年3月1日"],
        [
            "序号",
            "单位详细名称（必填）",
            "01 统一社会信用代码",
            "所属行业",
            "所在省份",
            "职工人数（人）",
            "其中：女",
            "成立时间",
            "企业性质",
            "联系方式",
            "*注册地址",
        ],
        ["示例", "某某服饰有限公司", "91330000XXXXXXXXXX", "服装", "浙江", 100, 50, 2010, "私营"],
        # 1 row 5: good, everyday values
        [
            1,
            "湖州丝绸有限公司",
            SILK,
            "纺织业",
            "浙江省",
            "240人",
            150,
            "2001年5月",
            "民营",
            "0572-1234567",
            "湖州市吴兴区",
        ],
        # 2 row 6: full-width code, 服装 → 18, 国有企业, province with city
        [
            2,
            "嘉兴服装有限公司",
            f" {FULL_WIDTH[:6]}-{FULL_WIDTH[6:]}\u200b",
            "服装",
            "浙江省嘉兴市",
            120,
            90,
            datetime.date(2012, 3, 1),
            "国有企业",
            "",
            "",
        ],
        # 3 row 7: Excel turned the code into a number
        [3, "宁波模具有限公司", 9.14403e17, "33", "浙江", 80, 20, 2005, "合资", "", ""],
        # 4 row 8: masked code
        [
            4,
            "温州鞋业有限公司",
            "9133**********1420",
            "皮革、毛皮、羽毛及其制品和制鞋业",
            "浙江",
            60,
            30,
            2008,
            "外资",
            "",
            "",
        ],
        # 5 row 9: founded in the future, women above workers
        [5, "未来科技有限公司", MOULD, "C39", "浙江", 10, 20, this_year + 1, "私营", "", ""],
        # 6 row 10: an individual business (92): a warning, not an error
        [6, "张三服装店", SHOP, "零售业", "浙江", "约12人", 5, "2019", "个体", "", ""],
        # 7 row 11: an unknown ownership lists the allowed values
        [
            7,
            "台州机械有限公司",
            "",
            "通用设备制造业",
            "浙江",
            "100-249",
            None,
            1999,
            "不知道",
            "",
            "",
        ],
    ]


def _run(cast, data, **kwargs):
    kwargs.setdefault("dry_run", False)
    name = "名单.xlsx" if data[:2] == b"PK" else "名单.csv"
    return run_import(
        acting_user=kwargs.pop("user", cast.zj_staff),
        partner=cast.zj,
        parsed=parse(io.BytesIO(data), name),
        **kwargs,
    )


def _by_row(result):
    return {row.row: row for row in result.rows}


def _messages(row):
    return " ".join(e["message"] for e in row.errors)


def test_a_provincial_list_reports_every_row(cast):
    parsed = parse(io.BytesIO(xlsx_bytes(provincial_rows())), "名单.xlsx")
    assert not parsed.errors, parsed.errors
    assert set(parsed.headers) >= {
        "name",
        "credit_code",
        "sector",
        "province",
        "employees_total",
        "employees_women",
        "year_founded",
        "ownership",
        "phone",
        "address",
    }
    assert parsed.skipped_examples == [4]
    assert [r.number for r in parsed.rows] == [5, 6, 7, 8, 9, 10, 11]

    result = _run(cast, xlsx_bytes(provincial_rows()), dry_run=True)
    rows = _by_row(result)
    assert {n: r.outcome for n, r in rows.items()} == {
        5: "new",
        6: "new",
        7: "error",
        8: "error",
        9: "error",
        10: "new",
        11: "error",
    }, result.to_dict()
    assert "Digits lost" in _messages(rows[7]) and "text" in _messages(rows[7])
    assert "masked" in _messages(rows[8])
    assert "future" in _messages(rows[9]) and "Women employees cannot exceed" in _messages(rows[9])
    assert "individual business" in rows[10].warnings[0]["message"]
    assert "Private (private)" in _messages(rows[11]) and "State-owned" in _messages(rows[11])
    assert "band" in rows[11].warnings[0]["message"]
    assert result.skipped_examples == [4]
    assert Enterprise.objects.count() == 0  # a preview


def test_the_valid_rows_store_what_people_meant(cast):
    result = _run(cast, xlsx_bytes(provincial_rows()), partial=True)
    assert result.applied and result.counts["new"] == 3 and result.counts["error"] == 4
    silk = Enterprise.objects.get(credit_code=SILK)
    assert (silk.sector, silk.province, silk.employees_total, silk.year_founded) == (
        "C13",
        "Zhejiang",
        240,
        2001,
    )
    assert (silk.ownership, silk.phone, silk.address) == ("private", "0572-1234567", "湖州市吴兴区")
    garment = Enterprise.objects.get(credit_code=GARMENT)  # full-width, hyphen, zero-width gone
    assert (garment.sector, garment.ownership, garment.province, garment.year_founded) == (
        "C14",
        "state",
        "Zhejiang",
        2012,
    )
    shop = Enterprise.objects.get(credit_code=SHOP)
    assert (shop.sector, shop.employees_total, shop.ownership) == ("G", 12, "private")


def test_all_or_nothing_stays_the_default(cast):
    result = _run(cast, xlsx_bytes(provincial_rows()))
    assert not result.applied and Enterprise.objects.count() == 0


def test_the_messages_are_in_chinese_too(cast):
    with translation.override("zh-hans"):
        rows = _by_row(_run(cast, xlsx_bytes(provincial_rows()), dry_run=True))
    assert "文本" in _messages(rows[7])
    assert "私营" not in _messages(rows[11]) or "民营" in _messages(rows[11])
    assert "民营" in _messages(rows[11])


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("服装", "C14"),
        ("服装业", "C14"),
        ("18", "C14"),
        ("1810", "C14"),
        ("C1810 机织服装制造", "C14"),
        ("18 纺织服装、服饰业", "C14"),
        ("纺织服装、服饰业", "C14"),
        ("C13", "C13"),
        ("13 Textiles", "C13"),
        ("17", "C13"),
        ("家具制造业", "C31"),
        ("L", "N"),
        ("F", "F"),  # a stored ISIC code wins over the GB/T section letter
        ("批发和零售业", "G"),
        ("Manufacture of furniture", "C31"),
        ("39 计算机、通信和其他电子设备制造业", "C26"),
        ("汽车", "C29"),
    ],
)
def test_sectors_by_gbt_4754_code_or_name(cast, written, stored):
    result = _run(cast, csv_bytes([["企业名称", "行业类别"], ["甲公司", written]]), dry_run=True)
    assert result.rows[0].outcome == "new", result.to_dict()
    _run(cast, csv_bytes([["企业名称", "行业类别"], ["甲公司", written]]))
    assert Enterprise.objects.get(name="甲公司").sector == stored


def test_a_sector_outside_the_list_says_so(cast):
    result = _run(cast, csv_bytes([["企业名称", "国民经济行业"], ["银行", "金融业"]]), dry_run=True)
    assert "GB/T 4754-2017" in _messages(result.rows[0]) and "J" in _messages(result.rows[0])
    result = _run(
        cast, csv_bytes([["企业名称", "国民经济行业"], ["甲", "不存在的行业"]]), dry_run=True
    )
    assert "18" in _messages(result.rows[0]) and "C14" in _messages(result.rows[0])


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("广西", "Guangxi"),
        ("广西壮族自治区", "Guangxi"),
        ("内蒙古", "Inner Mongolia"),
        ("新疆维吾尔自治区", "Xinjiang"),
        ("宁夏", "Ningxia"),
        ("上海", "Shanghai"),
        ("上海市", "Shanghai"),
        ("Zhejiang Province", "Zhejiang"),
        ("陕西省", "Shaanxi"),
        ("山西", "Shanxi"),
        ("香港", "Other"),
    ],
)
def test_provinces_with_or_without_their_suffix(cast, written, stored):
    _run(cast, csv_bytes([["企业名称", "省份"], ["甲公司", written]]))
    assert Enterprise.objects.get(name="甲公司").province == stored


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("私营", "private"),
        ("民营企业", "private"),
        ("有限责任公司（自然人投资或控股）", "private"),
        ("国有", "state"),
        ("集体", "collective"),
        ("外资", "foreign"),
        ("港澳台", "foreign"),
        ("中外合资", "joint_venture"),
        ("合资", "joint_venture"),
        ("Joint venture", "joint_venture"),
    ],
)
def test_ownership_as_people_write_it(cast, written, stored):
    _run(cast, csv_bytes([["公司名称", "企业类型"], ["甲公司", written]]))
    assert Enterprise.objects.get(name="甲公司").ownership == stored


@pytest.mark.parametrize(
    "header",
    [
        "企业名称",
        "单位名称",
        "单位详细名称",
        "公司名称",
        "01 企业名称",
        "1.单位名称",
        "企业名称(必填)",
        "企业名称（必填）",
        "*企业名称",
        "企业名称*",
        "企业（单位）名称",
    ],
)
def test_name_headers_as_published(header):
    parsed = parse(csv_bytes([[header, "社会信用代码"], ["甲公司", ""]]), "a.csv")
    assert parsed.headers.get("name") == header, parsed.errors


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("统一社会信用代码", "credit_code"),
        ("社会统一信用代码", "credit_code"),
        ("社会信用代码", "credit_code"),
        ("纳税人识别号", "credit_code"),
        ("所属行业", "sector"),
        ("行业类别", "sector"),
        ("国民经济行业", "sector"),
        ("职工人数", "employees_total"),
        ("员工数", "employees_total"),
        ("从业人员", "employees_total"),
        ("参保人数", "employees_total"),
        ("联系电话", "phone"),
        ("联系方式", "phone"),
        ("手机号码", "phone"),
        ("注册地址", "address"),
        ("经营地址", "address"),
        ("02 联系电话", "phone"),
        ("成立日期", "year_founded"),
    ],
)
def test_synonym_headers(header, key):
    parsed = parse(csv_bytes([["企业名称", header], ["甲公司", ""]]), "a.csv")
    assert parsed.headers.get(key) == header


@pytest.mark.parametrize(
    "raw",
    [9.14403e17, 914403001922038000, "9.14403E+17", "9.14403001922038E+17", "914403001922038000"],
)
def test_codes_excel_turned_into_numbers_are_refused(raw):
    with pytest.raises(Exception, match="Digits lost"):
        clean_uscc(raw)


def test_clean_codes():
    code = valid_uscc("91440300192203821")
    assert clean_uscc(f"{code[:4]} {code[4:10]}-{code[10:]}") == code
    assert clean_uscc("\ufeff" + code.lower() + "\u200b") == code
    assert clean_uscc(int(code)) == code  # a real 18-digit number kept exactly
    with pytest.raises(Exception, match="masked"):
        clean_uscc("9133＊＊＊＊＊＊＊＊＊＊1420")


def test_categories_from_the_code():
    assert uscc_category_warning(valid_uscc("91330100MA27XK5Q1")) == ""
    assert "individual business" in uscc_category_warning("92" + "0" * 16)
    assert "cooperative" in uscc_category_warning("93" + "0" * 16)
    assert "government body" in uscc_category_warning("11" + "0" * 16)
    assert "social organisation" in uscc_category_warning("51" + "0" * 16)


def test_a_wrong_check_character_needs_a_programme_managers_override(cast):
    code = _bad_check(SILK)
    data = csv_bytes([["企业名称", "统一社会信用代码"], ["老企业", code]])
    refused = _run(cast, data)
    assert refused.rows[0].outcome == "error" and "programme manager" in _messages(refused.rows[0])
    with pytest.raises(PermissionDenied):
        _run(cast, data, override_reason="Code issued in 2015 before the standard")
    accepted = _run(
        cast,
        data,
        override_reason="Code issued in 2015 before the standard",
        override_by=cast.programme,
    )
    assert accepted.applied and accepted.rows[0].override
    enterprise = Enterprise.objects.get(credit_code=code)
    assert enterprise.history.first().history_change_reason.startswith("Code issued")


def test_a_code_of_another_partner_reveals_nothing(cast):
    EnterpriseFactory(partner=cast.sc, name="Secret Sichuan Co.", credit_code=SILK)
    result = _run(cast, csv_bytes([["企业名称", "统一社会信用代码"], ["湖州丝绸", SILK]]))
    message = _messages(result.rows[0])
    assert "already registered in the programme" in message and "programme office" in message
    assert "Secret" not in message and "SC" not in message and "Sichuan" not in message


def test_the_form_shares_the_plausibility_rules(cast):
    from enterprises.forms.enterprises import EnterpriseForm

    this_year = datetime.date.today().year
    form = EnterpriseForm(
        data={"name": "A", "status": "prospect", "year_founded": this_year + 1},
        instance=Enterprise(partner=cast.zj),
    )
    assert not form.is_valid() and "future" in str(form.errors["year_founded"])
    form = EnterpriseForm(
        data={"name": "A", "status": "prospect", "year_founded": 1850},
        instance=Enterprise(partner=cast.zj),
    )
    assert not form.is_valid() and "1900" in str(form.errors["year_founded"])


def test_the_form_cleans_codes_like_the_import(cast):
    from enterprises.forms.enterprises import EnterpriseForm

    def form(code):
        return EnterpriseForm(
            data={"name": "A", "status": "prospect", "credit_code": code},
            instance=Enterprise(partner=cast.zj),
        )

    spaced = form(f" {FULL_WIDTH[:6]} {FULL_WIDTH[6:]}")
    assert spaced.is_valid(), spaced.errors
    assert spaced.cleaned_data["credit_code"] == GARMENT
    masked = form("9133**********1420")
    assert not masked.is_valid() and "masked" in str(masked.errors["credit_code"])


def _list(rows):
    header = ["单位名称", "统一社会信用代码", "所属行业", "省份", "职工人数", "企业性质"]
    body = [
        [f"企业{i:04d}", valid_uscc(f"91330{i % 10}00MA{i:07d}"), "服装", "浙江", 50 + i, "私营"]
        for i in range(rows)
    ]
    return xlsx_bytes([header, *body])


def test_a_list_imports_in_a_few_queries_whatever_its_length(cast, django_assert_max_num_queries):
    parsed = parse(io.BytesIO(_list(300)), "list.xlsx")
    with django_assert_max_num_queries(30):
        result = run_import(
            acting_user=cast.zj_staff, partner=cast.zj, parsed=parsed, dry_run=False
        )
    assert result.applied and result.counts["new"] == 300
    assert Enterprise.objects.filter(partner=cast.zj).count() == 300
    first = Enterprise.objects.get(name="企业0000")
    assert first.history.count() == 1 and first.history.first().history_user == cast.zj_staff
    # Again with one change: an update with history, the rest unchanged, still few queries.
    parsed = parse(io.BytesIO(_list(300)), "list.xlsx")
    parsed.rows[0].values["employees_total"] = 999
    with django_assert_max_num_queries(30):
        again = run_import(acting_user=cast.zj_staff, partner=cast.zj, parsed=parsed, dry_run=False)
    assert again.counts == {"new": 0, "update": 1, "unchanged": 299, "error": 0}
    first.refresh_from_db()
    assert (first.employees_total, first.version, first.history.count()) == (999, 2, 2)


def test_likely_duplicates_inside_the_partner_are_shown_in_the_preview(cast):
    EnterpriseFactory(
        partner=cast.zj, name="湖州丝绸有限公司", credit_code="", phone="0572-1234567", address=""
    )
    EnterpriseFactory(partner=cast.sc, name="嘉兴服装有限公司", credit_code="")  # another partner
    data = csv_bytes(
        [
            ["企业名称", "联系电话"],
            ["湖州丝绸", ""],
            ["吴兴织造厂", "(0572) 123 4567"],
            ["嘉兴服装", ""],
        ]
    )
    rows = _run(cast, data, dry_run=True).rows
    assert [r.outcome for r in rows] == ["new", "new", "new"]
    assert "similar name" in rows[0].warnings[0]["message"]
    assert "湖州丝绸有限公司" in rows[0].warnings[0]["message"]
    assert "same phone" in rows[1].warnings[0]["message"]
    assert rows[2].warnings == []  # nothing of another partner
