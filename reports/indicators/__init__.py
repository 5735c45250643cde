"""The indicator register: every programme figure defined once (``definitions``), computed
by one piece of code (``compute``) and printed one way (``display``)."""

from .compute import ALL, indicator_values, value_of
from .definitions import CODES, INDICATORS, REGISTER, Indicator, indicator

__all__ = [
    "ALL",
    "CODES",
    "INDICATORS",
    "REGISTER",
    "Indicator",
    "indicator",
    "indicator_values",
    "value_of",
]
