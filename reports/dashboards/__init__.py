"""The dashboard: figures per partner, targets against actuals, provinces, the 12-month trend
and what needs attention (``figures`` and ``sections``), for the partners a user may read
(``common``)."""

from .common import dashboard_partner_queryset, dashboard_partners, year_bounds
from .figures import (
    actual_for,
    comparison_rows,
    dashboard_data,
    partner_dashboard_figures,
    target_rows,
)
from .sections import attention, province_rows, trend

__all__ = [
    "actual_for",
    "attention",
    "comparison_rows",
    "dashboard_data",
    "dashboard_partner_queryset",
    "dashboard_partners",
    "partner_dashboard_figures",
    "province_rows",
    "target_rows",
    "trend",
    "year_bounds",
]
