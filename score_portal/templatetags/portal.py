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
