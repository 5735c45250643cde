"""Writes, one module per concern: enterprises (and their EIT, projects, suggestions),
enrolments, KPI readings (``services.kpi``)."""

from .enrolments import (
    ENROLMENT_PAYMENT_FIELDS,
    enrolment_create,
    enrolment_transition,
    enrolment_update,
    enterprise_status_follow,
    enterprise_statuses_sync,
)
from .enterprises import (
    EIT_FIELDS,
    ENTERPRISE_FIELDS,
    PROJECT_FIELDS,
    eit_member_delete,
    eit_member_save,
    enterprise_create,
    enterprise_set_status,
    enterprise_update,
    project_save,
    suggestions_record,
)
from .groups import (
    GROUP_FIELDS,
    enterprise_group_assign,
    enterprise_group_create,
    enterprise_group_update,
)
from .merge import enterprise_merge

__all__ = [
    "GROUP_FIELDS",
    "enterprise_group_assign",
    "enterprise_group_create",
    "enterprise_group_update",
    "enterprise_merge",
    "EIT_FIELDS",
    "ENROLMENT_PAYMENT_FIELDS",
    "ENTERPRISE_FIELDS",
    "PROJECT_FIELDS",
    "eit_member_delete",
    "eit_member_save",
    "enrolment_create",
    "enrolment_transition",
    "enrolment_update",
    "enterprise_status_follow",
    "enterprise_statuses_sync",
    "enterprise_create",
    "enterprise_set_status",
    "enterprise_update",
    "project_save",
    "suggestions_record",
]
