"""The columns of enterprise import and export files: one table for both directions.

Each column has a key (the English header an import template uses), a translatable label (the
header an export writes in the current language) and extra Chinese aliases that files made by
Chinese Excel users carry. An import accepts any of them, so an exported file imports again.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..choices import PROVINCE_CHOICES, SECTOR_LABELS
from ..models import Enrolment, Enterprise

TEXT, INT, CHOICE, DATE, DECIMAL, MODULE = "text", "int", "choice", "date", "decimal", "module"
GROUP = "group"  # an enterprise group of the importing partner, by name (either language) or code
YEAR = "year"
# Only open enrolments import.
OPEN_ENROLMENT_STATUSES = [(status.value, status.label) for status in Enrolment.OPEN_STATUSES]


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    zh: str  # the Chinese header files use, whatever the catalogue says
    kind: str = TEXT
    choices: Callable[[], Iterable[tuple[str, object]]] | None = None
    enrolment: bool = False
    aliases: tuple[str, ...] = field(default=())

    def header_names(self) -> set[str]:
        names = {self.key, self.zh, *self.aliases}
        for language in ("en", "zh-hans"):
            with translation.override(language):
                names.add(str(self.label))
        return {normalise(name) for name in names}


def normalise(value) -> str:
    """Full-width forms, case, spaces, underscores, hyphens and required-markers do not
    matter in headers and values."""
    text = unicodedata.normalize("NFKC", str(value)).translate(_INVISIBLE)
    return re.sub(r"[\s_\-*]+", "", text).casefold()


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_NUMBERING = re.compile(
    r"^\s*(?:[(（]\s*\d{1,3}\s*[)）]|\d{1,3}(?=\D)|[一二三四五六七八九十]{1,3}(?=[、.．]))"
    r"\s*[.、．:：)）]?\s*"
)
_REQUIRED = re.compile(
    r"[(（\[【<《]\s*(?:必填|必填项|必须填写|必须|选填|可选|非必填|required|optional)\s*"
    r"[)）\]】>》]|[*※★☆]",
    re.IGNORECASE,
)
_BRACKETS = re.compile(r"[(（\[【<《][^)）\]】>》]*[)）\]】>》]")


def header_candidates(title) -> list[str]:
    """The normalised forms a header may match, from the header as written to one without
    its number ("01 统一社会信用代码"), required-markers ("(必填)", "*") and any remark in
    brackets ("职工人数（人）")."""
    text = unicodedata.normalize("NFKC", str(title)).translate(_INVISIBLE).strip()
    plain = _REQUIRED.sub("", _NUMBERING.sub("", text, count=1)).strip()
    return list(
        dict.fromkeys([normalise(text), normalise(plain), normalise(_BRACKETS.sub("", plain))])
    )


def header_key(title, lookup: dict[str, str]) -> str | None:
    for candidate in header_candidates(title):
        if candidate and candidate in lookup:
            return lookup[candidate]
    return None


def _sectors():
    return SECTOR_LABELS.items()


COLUMNS: list[Column] = [
    Column(
        "name",
        _("Enterprise name"),
        "企业名称",
        aliases=(
            "名称",
            "enterprise",
            "company",
            "company name",
            "单位名称",
            "单位详细名称",
            "公司名称",
            "企业全称",
            "单位全称",
            "企业（单位）名称",
            "企业单位名称",
            "企业名",
            "公司名",
            "市场主体名称",
            "主体名称",
        ),
    ),
    Column("name_zh", _("Name in Chinese"), "中文名称", aliases=("中文名", "企业中文名称")),
    Column(
        "credit_code",
        _("Unified Social Credit Code"),
        "统一社会信用代码",
        aliases=(
            "credit code",
            "uscc",
            "信用代码",
            "社会统一信用代码",
            "社会信用代码",
            "统一信用代码",
            "社会信用统一代码",
            "统一社会信用代码证",
            "纳税人识别号",
            "税号",
            "统一代码",
        ),
    ),
    Column(
        "sector",
        _("Sector (ISIC)"),
        "行业",
        CHOICE,
        _sectors,
        aliases=(
            "sector",
            "industry",
            "所属行业",
            "行业类别",
            "行业分类",
            "行业门类",
            "行业大类",
            "行业代码",
            "国民经济行业",
            "国民经济行业分类",
            "国民经济行业代码",
            "所属国民经济行业",
            "主营行业",
            "产业类别",
        ),
    ),
    Column(
        "province",
        _("Province"),
        "省份",
        CHOICE,
        lambda: PROVINCE_CHOICES,
        aliases=("省", "所在省份", "所属省份", "省（自治区、直辖市）", "省份/直辖市"),
    ),
    Column(
        "city",
        _("City"),
        "城市",
        aliases=("市", "所在城市", "所在地市", "地市", "地级市", "市州", "所属地市", "所在市"),
    ),
    Column(
        "address",
        _("Address"),
        "地址",
        aliases=(
            "注册地址",
            "经营地址",
            "详细地址",
            "企业地址",
            "单位地址",
            "通讯地址",
            "通信地址",
            "住所",
            "住所地",
            "生产经营地址",
            "生产经营地",
            "办公地址",
        ),
    ),
    Column(
        "employees_total",
        _("Employees"),
        "员工人数",
        INT,
        aliases=(
            "employees",
            "workers",
            "staff",
            "职工人数",
            "员工数",
            "员工总数",
            "职工总数",
            "职工数",
            "从业人员",
            "从业人员数",
            "从业人数",
            "从业人员期末人数",
            "年末从业人员",
            "参保人数",
            "用工人数",
            "企业人数",
            "人数",
            "企业规模（人数）",
        ),
    ),
    Column(
        "employees_women",
        _("Women employees"),
        "女性员工",
        INT,
        aliases=(
            "women",
            "女职工",
            "女职工人数",
            "女职工数",
            "女性员工人数",
            "女员工",
            "女员工人数",
            "其中女性",
            "其中：女",
            "其中女",
            "女性从业人员",
            "女性",
        ),
    ),
    Column(
        "year_founded",
        _("Year founded"),
        "成立年份",
        YEAR,
        aliases=(
            "founded",
            "成立时间",
            "成立日期",
            "成立年度",
            "成立年月",
            "注册时间",
            "注册日期",
            "设立日期",
            "设立时间",
            "开业时间",
            "开业日期",
            "建厂时间",
        ),
    ),
    Column(
        "ownership",
        _("Ownership"),
        "所有制",
        CHOICE,
        lambda: Enterprise.Ownership.choices,
        aliases=(
            "企业性质",
            "所有制性质",
            "所有制类型",
            "企业所有制",
            "经济类型",
            "经济性质",
            "登记注册类型",
            "注册类型",
            "企业类型",
            "单位性质",
            "企业类别",
        ),
    ),
    Column(
        "group",
        _("Enterprise group"),
        "所属集团",
        GROUP,
        aliases=(
            "parent_group",
            "Parent group",
            "group",
            "企业集团",
            "集团",
            "隶属集团",
            "上级单位",
            "母公司",
            "所属集团公司",
        ),
    ),
    Column(
        "lead_buyer",
        _("Lead buyer"),
        "主要采购商",
        aliases=("采购商", "主要客户", "品牌商", "主要买家"),
    ),
    Column(
        "contact_person",
        _("Contact person"),
        "联系人",
        aliases=("联系人姓名", "企业联系人", "联络人", "联系人员"),
    ),
    Column(
        "phone",
        _("Phone"),
        "电话",
        aliases=(
            "telephone",
            "tel",
            "mobile",
            "联系电话",
            "联系方式",
            "手机号码",
            "手机号",
            "手机",
            "电话号码",
            "联系人电话",
            "联系人手机",
            "联系人手机号",
            "固定电话",
            "办公电话",
        ),
    ),
    Column(
        "email",
        _("E-mail"),
        "电子邮箱",
        aliases=("email", "邮箱", "电子邮件", "邮件地址", "电子信箱"),
    ),
    Column(
        "status",
        _("Enterprise status"),
        "状态",
        CHOICE,
        lambda: Enterprise.Status.choices,
        aliases=("status", "企业状态"),
    ),
    Column("notes", _("Notes"), "备注", aliases=("说明", "备注说明", "remarks")),
    Column(
        "module",
        _("Module"),
        "模块",
        MODULE,
        enrolment=True,
        aliases=("培训模块", "报名模块", "课程模块"),
    ),
    Column(
        "enrolment_status",
        _("Enrolment status"),
        "报名状态",
        CHOICE,
        lambda: OPEN_ENROLMENT_STATUSES,
        enrolment=True,
    ),
    Column(
        "applied_on",
        _("Applied on"),
        "申请日期",
        DATE,
        enrolment=True,
        aliases=("报名日期", "申请时间", "报名时间"),
    ),
    Column("paid_enterprise", _("Paid by the enterprise"), "企业支付", DECIMAL, enrolment=True),
    Column("paid_sponsor", _("Paid by a sponsor"), "赞助方支付", DECIMAL, enrolment=True),
    Column("paid_government", _("Paid by government"), "政府支付", DECIMAL, enrolment=True),
    Column("paid_ilo", _("Paid by the ILO"), "国际劳工组织支付", DECIMAL, enrolment=True),
]
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
ENTERPRISE_COLUMNS = [c for c in COLUMNS if not c.enrolment]
ENROLMENT_COLUMNS = [c for c in COLUMNS if c.enrolment]
REQUIRED = ("name",)


def header_lookup() -> dict[str, str]:
    """Normalised header → column key."""
    return {name: column.key for column in COLUMNS for name in column.header_names()}


_ZH_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市")


def choice_lookup(column: Column) -> dict[str, str]:
    """Normalised code, English label or Chinese label → stored code."""
    lookup: dict[str, str] = {}
    assert column.choices is not None, f"{column.key} is not a choice column"
    for code, label in column.choices():
        names = {code}
        for language in ("en", "zh-hans"):
            with translation.override(language):
                names.add(str(label))
        for name in list(names):
            # "13 Textiles" → also "Textiles" and "13"; "浙江省" → also "浙江"
            number, _sep, rest = name.partition(" ")
            if number.isdigit() and rest:
                names.update({number, rest})
            if column.key == "ownership":
                names.add(f"{name}企业")  # 国有 → 国有企业
            for suffix in _ZH_SUFFIXES:
                if name.endswith(suffix) and len(name) > len(suffix) + 1:
                    names.add(name.removesuffix(suffix))
                    break
        for name in names:
            lookup.setdefault(normalise(name), code)
    return lookup
