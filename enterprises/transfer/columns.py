"""The columns of enterprise import and export files: one table for both directions.

Each column has a key (the English header an import template uses), a translatable label (the
header an export writes in the current language) and extra Chinese aliases that files made by
Chinese Excel users carry. An import accepts any of them, so an exported file imports again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..choices import PROVINCE_CHOICES, SECTOR_LABELS
from ..models import Enrolment, Enterprise

TEXT, INT, CHOICE, DATE, DECIMAL, MODULE = "text", "int", "choice", "date", "decimal", "module"
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
    """Case, spaces, underscores, hyphens and required-markers do not matter in headers."""
    return re.sub(r"[\s_\-*]+", "", str(value)).casefold()


def _sectors():
    return SECTOR_LABELS.items()


COLUMNS: list[Column] = [
    Column("name", _("Enterprise name"), "企业名称", aliases=("名称", "enterprise")),
    Column("name_zh", _("Name in Chinese"), "中文名称"),
    Column(
        "credit_code",
        _("Unified Social Credit Code"),
        "统一社会信用代码",
        aliases=("credit code", "uscc", "信用代码"),
    ),
    Column("sector", _("Sector (ISIC)"), "行业", CHOICE, _sectors, aliases=("sector",)),
    Column("province", _("Province"), "省份", CHOICE, lambda: PROVINCE_CHOICES),
    Column("city", _("City"), "城市"),
    Column("address", _("Address"), "地址"),
    Column("employees_total", _("Employees"), "员工人数", INT, aliases=("employees",)),
    Column("employees_women", _("Women employees"), "女性员工", INT),
    Column("year_founded", _("Year founded"), "成立年份", INT),
    Column("ownership", _("Ownership"), "所有制", CHOICE, lambda: Enterprise.Ownership.choices),
    Column("parent_group", _("Parent group"), "所属集团"),
    Column("lead_buyer", _("Lead buyer"), "主要采购商"),
    Column("contact_person", _("Contact person"), "联系人"),
    Column("phone", _("Phone"), "电话"),
    Column("email", _("E-mail"), "电子邮箱", aliases=("email", "邮箱")),
    Column(
        "status",
        _("Enterprise status"),
        "状态",
        CHOICE,
        lambda: Enterprise.Status.choices,
        aliases=("status", "企业状态"),
    ),
    Column("notes", _("Notes"), "备注"),
    Column("module", _("Module"), "模块", MODULE, enrolment=True),
    Column(
        "enrolment_status",
        _("Enrolment status"),
        "报名状态",
        CHOICE,
        lambda: OPEN_ENROLMENT_STATUSES,
        enrolment=True,
    ),
    Column("applied_on", _("Applied on"), "申请日期", DATE, enrolment=True),
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
