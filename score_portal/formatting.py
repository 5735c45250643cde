"""The one localised way to print numbers, shares, money and dates (pages, PDFs and
spreadsheets). Minimal version; the formatting work (issue 20) owns this module."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format, number_format

DASH = "—"


def _rounded(value, decimals: int) -> Decimal:
    exponent = Decimal(1).scaleb(-int(decimals))
    return Decimal(value).quantize(exponent, rounding=ROUND_HALF_UP)


def format_number(value, decimals: int = 0) -> str:
    if value in (None, ""):
        return DASH
    return number_format(_rounded(value, decimals), decimal_pos=int(decimals), force_grouping=True)


def format_percent(share, decimals: int = 0) -> str:
    """A share 0..1 as a percentage: 0.456 → "46%"; None → "—"."""
    if share in (None, ""):
        return DASH
    return f"{format_number(Decimal(share) * 100, decimals)}%"


def format_money(amount, currency: str, decimals: int = 0) -> str:
    if amount in (None, ""):
        return DASH
    return f"{format_number(amount, decimals)} {currency}"


def format_date(d: dt.date | None) -> str:
    if not d:
        return DASH
    return date_format(d)
