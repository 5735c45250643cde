"""Printing an indicator's value: the rounding comes from its definition, so pages, PDFs
and spreadsheets print the same text."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlencode

from django.urls import get_script_prefix, get_urlconf, reverse

from score_portal.formatting import EMPTY as DASH
from score_portal.formatting import format_money, format_number, format_percent

from .definitions import MONEY, PERCENT, REGISTER


def format_value(code: str, value) -> str:
    indicator = REGISTER[code]
    if indicator.unit == PERCENT:
        return format_percent(value, indicator.decimals)
    if indicator.unit == MONEY:
        if not value:
            return DASH
        return (
            "; ".join(
                format_money(amount, currency, indicator.decimals)
                for currency, amount in sorted(value.items())
                if amount is not None
            )
            or DASH
        )
    return format_number(value, indicator.decimals) if value is not None else DASH


@lru_cache(maxsize=1024)
def _reversed(name: str, args: tuple, prefix: str, urlconf) -> str:
    return reverse(name, args=args, urlconf=urlconf)


def reverse_fixed(name: str, *args) -> str:
    """``reverse`` memoised (a dashboard asks for the same few links thousands of times):
    keyed by the script prefix and URLconf, which are all ``reverse`` depends on here."""
    return _reversed(name, args, get_script_prefix(), get_urlconf())


def definition_url(code: str) -> str:
    return reverse_fixed("reports:indicator-detail", code)


def list_url(code: str, **query) -> str | None:
    """The list behind a figure (enterprises, workshops, trainers), filtered accordingly."""
    indicator = REGISTER[code]
    if not indicator.list_url:
        return None
    params = {**indicator.list_query, **query}
    params = {key: value for key, value in params.items() if value not in (None, "")}
    url = reverse_fixed(indicator.list_url)
    return f"{url}?{urlencode(params)}" if params else url


def figure(code: str, value, **query) -> dict:
    """What a page needs to print one figure: label, text, and its two links."""
    indicator = REGISTER[code]
    return {
        "code": code,
        "label": indicator.name,
        "value": value,
        "text": format_value(code, value),
        "unit": indicator.unit,
        "definition_url": definition_url(code),
        "list_url": list_url(code, **query),
    }
