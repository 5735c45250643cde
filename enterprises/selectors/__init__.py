"""Reads, one module per concern: enterprises, enrolments, KPI readings
(``selectors.kpi``)."""

from .enrolments import (
    cost_recovery,
)
from .enterprises import (
    eit_active_q,
    eit_composition,
    eit_member_is_active,
    eit_members,
    eit_summary,
    enterprise_get,
    enterprise_list,
    likely_duplicates,
    merge_candidates,
    project_savings,
    project_summary,
    recent_projects,
    suggestion_summary,
)

__all__ = [
    "cost_recovery",
    "eit_active_q",
    "eit_composition",
    "eit_member_is_active",
    "eit_members",
    "eit_summary",
    "enterprise_get",
    "likely_duplicates",
    "merge_candidates",
    "enterprise_list",
    "project_savings",
    "project_summary",
    "recent_projects",
    "suggestion_summary",
]
