from django import template

from score_portal.formatting import format_date, format_money, format_number, format_percent

register = template.Library()


@register.filter
def percent(value, digits: int = 0) -> str:
    """0.456 → "46%" (locale-aware number); None → "—"."""
    return format_percent(value, digits)


@register.filter
def number(value, decimals: int = 0) -> str:
    return format_number(value, decimals)


@register.filter
def money(value, currency: str = "") -> str:
    return format_money(value, currency)


@register.filter
def day(value) -> str:
    return format_date(value)


@register.filter
def tel_href(value) -> str:
    """A phone number as people write it ("0571 8888-1234", "+86 138 0000 0000") → the
    ``tel:`` link a phone dials: digits, with a leading + kept."""
    text = str(value or "").strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    return f"tel:+{digits}" if text.startswith("+") else f"tel:{digits}"
