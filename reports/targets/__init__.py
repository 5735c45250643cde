"""Targets per partner, indicator of the register and period: reads scoped to the user
(``selectors``), the writes (``services``: a grid, copying last year's), targets against
actual figures from the register (``actuals``) and the logframe spreadsheet (``logframe``)."""

from .selectors import (
    GridRow,
    target_grid_rows,
    target_indicators,
    target_list,
    target_values,
)
from .services import CopyPlan, targets_copy_plan, targets_copy_year, targets_set

__all__ = [
    "CopyPlan",
    "GridRow",
    "target_grid_rows",
    "target_indicators",
    "target_list",
    "target_values",
    "targets_copy_plan",
    "targets_copy_year",
    "targets_set",
]
