"""The enterprises app's models, one module per concern."""

from .enrolments import MANUAL_STATUSES, Enrolment, enterprise_status_for
from .enterprises import (
    CREDIT_CODE_TAKEN,
    CURRENCY_CHOICES,
    EITMember,
    Enterprise,
    EnterpriseChild,
    ImprovementProject,
    SuggestionCount,
)
from .groups import EnterpriseGroup
from .imports import ImportJob
from .kpi import EVIDENCE_EXTENSIONS, KPILatest, KPIReading, evidence_path, percent_change

__all__ = [
    "MANUAL_STATUSES",
    "enterprise_status_for",
    "CREDIT_CODE_TAKEN",
    "CURRENCY_CHOICES",
    "EITMember",
    "Enrolment",
    "Enterprise",
    "EnterpriseChild",
    "EnterpriseGroup",
    "EVIDENCE_EXTENSIONS",
    "ImportJob",
    "ImprovementProject",
    "KPILatest",
    "KPIReading",
    "SuggestionCount",
    "evidence_path",
    "percent_change",
]
