"""The one localised way to print a figure: pages, PDFs and spreadsheets all call these.

Each function prints in the active language (``translation.override`` in tasks that render
for someone else) and answers "—" when there is nothing to print, so a template never shows
"None" or an empty cell.

==================  ===================  =====================
function            English              Simplified Chinese
==================  ===================  =====================
``format_number``   4,000                4,000
``format_percent``  46%                  46%
``format_money``    4,000 CNY            4,000 元
``format_date``     21 Nov 2026          2026年11月21日
``format_month``    Dec 2026             2026年12月
``format_datetime`` 21 Nov 2026 14:05    2026年11月21日 14:05
==================  ===================  =====================

The date formats live in ``config/formats/<language>/formats.py`` (``FORMAT_MODULE_PATH``), so
``{{ value|date }}``, the admin and these functions agree. Numbers are always grouped by
thousands (Django's Chinese formats group nothing: "4000"). Counts of people are words, not
figures: use ``ngettext`` where they are printed ("1 woman", "2 women").

Spreadsheets keep numbers and dates as numbers and dates; ``NUMBER_FORMAT``, ``MONEY_FORMAT``
and ``DATE_FORMAT_XLSX`` are the cell formats that show them the same way.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats, timezone
from django.utils.numberformat import format as numberformat
from django.utils.translation import gettext, pgettext

EMPTY = "—"

# openpyxl number formats for the same figures in a spreadsheet cell.
NUMBER_FORMAT = "#,##0"
MONEY_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
DATE_FORMAT_XLSX = "yyyy-mm-dd"
DATETIME_FORMAT_XLSX = "yyyy-mm-dd hh:mm"


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def _rounded(number: Decimal, decimals: int) -> Decimal:
    return number.quantize(Decimal(1).scaleb(-int(decimals)), rounding=ROUND_HALF_UP)


def format_number(value, decimals: int = 0) -> str:
    """4000 → "4,000"; 1234.5 with ``decimals=1`` → "1,234.5"; None → "—".

    A negative ``decimals`` means "at most that many, trailing zeros dropped": 12.50 with
    ``-2`` → "12.5", 12.00 → "12" (a KPI reading or a plausible range)."""
    number = _decimal(value)
    if number is None:
        return EMPTY
    decimals = int(decimals)
    if decimals < 0:
        exponent = _rounded(number, -decimals).normalize().as_tuple().exponent
        decimals = max(0, -int(exponent))
    rounded = _rounded(number, decimals)
    if rounded == 0:
        rounded = abs(rounded)  # never "-0"
    return numberformat(
        rounded,
        formats.get_format("DECIMAL_SEPARATOR"),
        decimal_pos=decimals,
        grouping=formats.get_format("NUMBER_GROUPING") or 3,
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR") or ",",
        force_grouping=True,
    )


def format_percent(share, decimals: int = 0) -> str:
    """A share of one (0.456) → "46%"; ``decimals=1`` → "45.6%"; None → "—"."""
    number = _decimal(share)
    if number is None:
        return EMPTY
    return f"{format_number(number * 100, decimals)}%"


def currency_name(currency: str) -> str:
    """How the language names a currency code: "CNY" in English, "元" in Chinese."""
    code = (currency or "").strip().upper()
    names = {
        "CNY": pgettext("currency", "CNY"),
        "RMB": pgettext("currency", "CNY"),
        "USD": pgettext("currency", "USD"),
        "EUR": pgettext("currency", "EUR"),
        "CHF": pgettext("currency", "CHF"),
    }
    return names.get(code, code)


def format_money(amount, currency: str = "CNY", decimals: int = 0) -> str:
    """4000 CNY → "4,000 CNY" (English), "4,000 元" (Chinese); None → "—"."""
    if _decimal(amount) is None:
        return EMPTY
    name = currency_name(currency)
    number = format_number(amount, decimals)
    if not name:
        return number
    # Translators: an amount of money, e.g. "4,000 CNY"; keep both placeholders.
    return gettext("%(amount)s %(currency)s") % {"amount": number, "currency": name}


def _as_date(value) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def format_date(value) -> str:
    """A date (or an ISO date string) → "21 Nov 2026" / "2026年11月21日"; None → "—"."""
    day = _as_date(value)
    return formats.date_format(day, "DATE_FORMAT") if day else EMPTY


def format_month(value) -> str:
    """A date's month → "Dec 2026" / "2026年12月"; None → "—"."""
    day = _as_date(value)
    return formats.date_format(day, "YEAR_MONTH_FORMAT") if day else EMPTY


def format_datetime(value) -> str:
    """A moment in local time → "21 Nov 2026 14:05" / "2026年11月21日 14:05"; None → "—"."""
    if value is None or value == "":
        return EMPTY
    if not isinstance(value, datetime.datetime):
        return format_date(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATETIME_FORMAT")


def format_date_range(start, end) -> str:
    """Two dates as one span ("21 Nov 2026 – 23 Nov 2026"), one date when both are the
    same day, "—" when there is neither."""
    first, last = _as_date(start), _as_date(end)
    if first and last and first != last:
        return f"{format_date(first)} – {format_date(last)}"
    return format_date(first or last)


def format_cell(value) -> str:
    """Any value in a PDF table cell: numbers grouped with at most two decimals (none for a
    whole amount: "13,066,500"), dates as dates, text as it is (an empty cell stays empty),
    None as "—"."""
    if value is None:
        return EMPTY
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime.datetime):
        return format_datetime(value)
    if isinstance(value, datetime.date):
        return format_date(value)
    if isinstance(value, int):
        return format_number(value)
    if isinstance(value, float | Decimal):
        number = _decimal(value)
        if number is None:
            return EMPTY
        return format_number(number, -2)
    return str(value)
