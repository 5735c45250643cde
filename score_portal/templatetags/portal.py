from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value, digits: int = 0) -> str:
    """0.456 → "46%" (locale-aware number); None → "—"."""
    if value in (None, ""):
        return "—"
    exponent = Decimal(1).scaleb(-int(digits))
    rounded = (Decimal(value) * 100).quantize(exponent, rounding=ROUND_HALF_UP)
    return f"{number_format(rounded, decimal_pos=int(digits))}%"


@register.filter
def tel_href(value) -> str:
    """A phone number as people write it ("0571 8888-1234", "+86 138 0000 0000") → the
    ``tel:`` link a phone dials: digits, with a leading + kept."""
    text = str(value or "").strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    return f"tel:+{digits}" if text.startswith("+") else f"tel:{digits}"
