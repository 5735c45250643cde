"""Values as people write them: synonyms and codes for the choice columns, years and worker
counts in their everyday forms. Used by the import; the model's ``clean`` holds the
plausibility rules the form shares (``enterprises.validators``)."""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from .. import industry
from ..choices import SIZE_BANDS
from .columns import Column, normalise

OWNERSHIP_SYNONYMS = {
    "private": (
        "私营",
        "民营",
        "个体",
        "个体户",
        "个体工商户",
        "私营企业",
        "民营企业",
        "私企",
        "民企",
        "私人",
        "个人独资",
        "个人独资企业",
        "合伙企业",
        "私营独资",
        "私营有限责任公司",
        "私营股份有限公司",
        "自然人独资",
        "private",
        "privately owned",
        "privately-owned",
        "private enterprise",
    ),
    "state": (
        "国有",
        "国营",
        "国企",
        "国有企业",
        "国有独资",
        "国有控股",
        "国有控股企业",
        "央企",
        "中央企业",
        "地方国企",
        "国有独资公司",
        "全民所有制",
        "state",
        "state owned",
        "soe",
    ),
    "collective": (
        "集体",
        "集体企业",
        "集体所有制",
        "集体所有制企业",
        "乡镇企业",
        "村办企业",
        "股份合作",
        "股份合作企业",
        "collective",
        "collectively owned",
    ),
    "foreign": (
        "外资",
        "外资企业",
        "外商独资",
        "外商独资企业",
        "外商投资",
        "外商投资企业",
        "外企",
        "外国投资",
        "港澳台",
        "港澳台投资",
        "港澳台投资企业",
        "港澳台商投资企业",
        "港资",
        "澳资",
        "台资",
        "wfoe",
        "foreign",
        "foreign invested",
        "foreign owned",
        "hong kong, macao and taiwan invested",
    ),
    "joint_venture": (
        "合资",
        "合资企业",
        "中外合资",
        "中外合资企业",
        "中外合资经营企业",
        "中外合作",
        "中外合作经营企业",
        "合营",
        "联营",
        "联营企业",
        "jv",
        "joint venture",
    ),
    "other": ("其他", "其它", "股份制", "股份制企业", "混合所有制", "other", "mixed"),
}
# Legal forms as the business licence writes them, e.g. 有限责任公司（自然人投资或控股）.
OWNERSHIP_CONTAINS = (
    ("中外合资", "joint_venture"),
    ("中外合作", "joint_venture"),
    ("外商投资、非独资", "joint_venture"),
    ("非独资", "joint_venture"),
    ("外商独资", "foreign"),
    ("外国法人独资", "foreign"),
    ("外商投资", "foreign"),
    ("港澳台", "foreign"),
    ("台港澳", "foreign"),
    ("国有", "state"),
    ("集体", "collective"),
    ("自然人", "private"),
    ("私营", "private"),
    ("民营", "private"),
    ("个人独资", "private"),
    ("合伙", "private"),
)

PROVINCE_NAMES = {
    "Anhui": ("安徽省",),
    "Beijing": ("北京市",),
    "Chongqing": ("重庆市",),
    "Fujian": ("福建省",),
    "Gansu": ("甘肃省",),
    "Guangdong": ("广东省",),
    "Guangxi": ("广西壮族自治区", "广西自治区", "Guangxi Zhuang Autonomous Region"),
    "Guizhou": ("贵州省",),
    "Hainan": ("海南省",),
    "Hebei": ("河北省",),
    "Heilongjiang": ("黑龙江省",),
    "Henan": ("河南省",),
    "Hubei": ("湖北省",),
    "Hunan": ("湖南省",),
    "Inner Mongolia": ("内蒙古自治区", "内蒙", "Nei Mongol", "Neimenggu", "Nei Menggu"),
    "Jiangsu": ("江苏省",),
    "Jiangxi": ("江西省",),
    "Jilin": ("吉林省",),
    "Liaoning": ("辽宁省",),
    "Ningxia": ("宁夏回族自治区", "Ningxia Hui Autonomous Region"),
    "Qinghai": ("青海省",),
    "Shaanxi": ("陕西省",),
    "Shandong": ("山东省",),
    "Shanghai": ("上海市",),
    "Shanxi": ("山西省",),
    "Sichuan": ("四川省",),
    "Tianjin": ("天津市",),
    "Tibet": ("西藏自治区", "Xizang", "Xizang Autonomous Region"),
    "Xinjiang": (
        "新疆维吾尔自治区",
        "Xinjiang Uygur Autonomous Region",
        "Xinjiang Uyghur Autonomous Region",
    ),
    "Yunnan": ("云南省",),
    "Zhejiang": ("浙江省",),
    "Other": (
        "香港",
        "香港特别行政区",
        "澳门",
        "澳门特别行政区",
        "台湾",
        "台湾省",
        "境外",
        "海外",
        "Hong Kong",
        "Macao",
        "Macau",
        "Taiwan",
        "abroad",
    ),
}
_ZH_SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
)
_EN_SUFFIXES = (
    "zhuang autonomous region",
    "hui autonomous region",
    "uygur autonomous region",
    "uyghur autonomous region",
    "autonomous region",
    "province",
    "municipality",
    "sheng",
    "shi",
)


@functools.cache
def _province_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for code, written in PROVINCE_NAMES.items():
        for name in (code, *written):
            names.setdefault(normalise(name), code)
            for suffix in _ZH_SUFFIXES:
                if name.endswith(suffix) and len(name) > len(suffix) + 1:
                    names.setdefault(normalise(name.removesuffix(suffix)), code)
                    break
    return names


def extend_lookup(column: Column, lookup: dict[str, str]) -> None:
    """Add the synonyms of ``column`` to its label lookup (normalised name → code)."""
    if column.key == "ownership":
        for code, words in OWNERSHIP_SYNONYMS.items():
            for word in words:
                lookup.setdefault(normalise(word), code)
    elif column.key == "province":
        for name, code in _province_names().items():
            lookup.setdefault(name, code)
    elif column.key == "sector":
        # A bare number is a GB/T 4754 division (the Chinese lists' code), not ISIC.
        for key in [k for k in lookup if k.isdigit()]:
            del lookup[key]


def resolve(column: Column, text: str, lookup: dict[str, str]) -> str:
    """The stored code for ``text`` in a choice column, or a ValidationError that lists
    the allowed values."""
    key = normalise(text)
    code = lookup.get(key)
    if code is not None:
        return code
    if column.key == "sector":
        return _resolve_sector(text, lookup)
    if column.key == "province":
        code = _province_prefix(key) or _strip_english(key, lookup)
    elif column.key == "ownership":
        code = next((c for word, c in OWNERSHIP_CONTAINS if word in text), None)
    if code:
        return code
    raise not_allowed(column, text)


def _province_prefix(key: str) -> str | None:
    """浙江省湖州市 → Zhejiang."""
    names = _province_names()
    for name in sorted(names, key=len, reverse=True):
        if len(name) >= 2 and key.startswith(name) and not name.isascii():
            return names[name]
    return None


def _strip_english(key: str, lookup: dict[str, str]) -> str | None:
    for suffix in _EN_SUFFIXES:
        suffix = normalise(suffix)
        if key.endswith(suffix) and key != suffix:
            return lookup.get(key.removesuffix(suffix))
    return None


_CODE_AND_NAME = re.compile(r"^\s*([A-Ta-t]?)\s*(\d{2,4})?\s*[.、:：\s]*(.*)$")


def _resolve_sector(text: str, lookup: dict[str, str]) -> str:
    """GB/T 4754-2017 at any level: a section letter (C), a division, group or class code
    (18, 181, 1810, C1810), a name (纺织服装、服饰业) or an everyday word (服装)."""
    names = industry.name_lookup()
    plain = unicodedata.normalize("NFKC", text).strip()
    match = _CODE_AND_NAME.match(plain)
    letter, digits, rest = match.groups() if match else ("", None, plain)
    rest = (rest or "").strip()
    found = None
    for candidate in (plain, rest):
        key = "".join(candidate.split()).casefold()
        if key and key in names:
            found = names[key]
            break
        if key and key in lookup:
            return lookup[key]
    if found is None and digits:
        found = ("division", digits[:2])
    if found is None and letter and not rest:
        found = ("section", letter.upper())
    if found is None and rest:
        for suffix in ("制造业", "行业", "产业", "业"):
            stem = "".join(rest.removesuffix(suffix).split()).casefold()
            if stem != rest and stem in names:
                found = names[stem]
                break
    if found is not None:
        level, code = found
        if level == "division" and code in industry.DIVISIONS_BY_CODE:
            division = industry.DIVISIONS_BY_CODE[code]
            if division.isic:
                return division.isic
            raise ValidationError(
                _(
                    "“%(value)s” (GB/T 4754-2017 %(code)s %(name)s) has no sector in the "
                    "programme's list: leave the sector empty or choose the nearest one."
                )
                % {"value": text, "code": division.code, "name": division.zh}
            )
        if level == "section" and code in industry.SECTIONS_BY_CODE:
            section = industry.SECTIONS_BY_CODE[code]
            if section.isic:
                return section.isic
            raise ValidationError(
                _(
                    "“%(value)s” (GB/T 4754-2017 %(code)s %(name)s) is too broad or has no "
                    "sector in the programme's list: give the two-digit division, for "
                    "example 18 纺织服装、服饰业."
                )
                % {"value": text, "code": section.code, "name": section.zh}
            )
    raise ValidationError(
        _(
            "“%(value)s” is not a sector the portal knows. Give a GB/T 4754-2017 code or "
            "name (for example 18 or 纺织服装、服饰业) or one of: %(allowed)s."
        )
        % {"value": text, "allowed": _short_list(lookup)}
    )


def _short_list(lookup: dict[str, str]) -> str:
    return ", ".join(sorted(set(lookup.values())))


def not_allowed(column: Column, text: str) -> ValidationError:
    assert column.choices is not None
    labels = []
    for code, label in column.choices():
        with translation.override(translation.get_language()):
            labels.append(f"{label} ({code})" if str(label) != code else code)
    return ValidationError(
        _("“%(value)s” is not one of the allowed values: %(allowed)s.")
        % {"value": text, "allowed": "; ".join(labels)}
    )


# --- Numbers people write --------------------------------------------------------------------

_YEAR = re.compile(r"^(\d{4})(?:\s*(?:年|[-/.]).*)?$")


def to_year(raw) -> int:
    """2015, 2015.0, 2015年, 2015-03-12, 2015/3, 2015年3月 or a date cell → 2015."""
    if isinstance(raw, datetime.datetime | datetime.date):
        return raw.year
    if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
        return int(raw)
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    match = _YEAR.match(text)
    if match:
        return int(match.group(1))
    raise ValidationError(_("Enter a year, for example 2015."))


_COUNT = re.compile(
    r"^(?:约|大约|近|逾|超过|about|approx\.?|~)?\s*(\d[\d,]*)(?:\.0+)?\s*(?:人|名|余人|多人|\+)?$"
)
_BAND = re.compile(r"^(\d[\d,]*)\s*(?:-|–|—|~|～|至|到)\s*(\d[\d,]*)\s*人?$")
_ABOVE = re.compile(r"^(\d[\d,]*)\s*人?\s*(?:以上|及以上|\+|and more|or more)$")
_BELOW = re.compile(r"^(?:under|below|less than|<)?\s*(\d[\d,]*)\s*人?\s*(?:以下|以内)?$")


def to_workers(raw) -> tuple[int, str]:
    """A worker count: 120, "120人", "约1,200人", or a band ("100-249", "500人以上", "50人以下")
    stored as its lower bound, with a warning. Returns (count, warning)."""
    if isinstance(raw, bool):
        raise ValidationError(_("Enter a whole number."))
    if isinstance(raw, int | float) and float(raw).is_integer():
        return int(raw), ""
    if isinstance(raw, int | float):
        raise ValidationError(_("Enter a whole number."))
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    if text.startswith("-") and text[1:].strip().replace(",", "").isdigit():
        raise ValidationError(_("A number of workers cannot be negative."))
    match = _COUNT.match(text)
    if match:
        return int(match.group(1).replace(",", "")), ""
    for code, label, low, _high in SIZE_BANDS:
        if normalise(text) in {normalise(str(label)), normalise(code)}:
            return low, _band_warning(text, low)
    band = _BAND.match(text) or _ABOVE.match(text)
    if band:
        low = int(band.group(1).replace(",", ""))
        return low, _band_warning(text, low)
    below = _BELOW.match(text)
    if below and ("以下" in text or "以内" in text or not text[0].isdigit()):
        return 0, _band_warning(text, 0)
    raise ValidationError(_("Enter a whole number of workers, for example 120."))


def _band_warning(text: str, low: int) -> str:
    return _(
        "“%(value)s” is a band: stored as %(low)s, its lower bound. Give the number when you "
        "know it."
    ) % {"value": text, "low": low}
