"""The enterprises app's models, one module per concern."""

from .enrolments import Enrolment
from .enterprises import (
    CREDIT_CODE_TAKEN,
    CURRENCY_CHOICES,
    EITMember,
    Enterprise,
    EnterpriseChild,
    ImprovementProject,
    SuggestionCount,
)
from .imports import ImportJob
from .kpi import EVIDENCE_EXTENSIONS, KPIReading, evidence_path, percent_change

__all__ = [
    "CREDIT_CODE_TAKEN",
    "CURRENCY_CHOICES",
    "EITMember",
    "Enrolment",
    "Enterprise",
    "EnterpriseChild",
    "EVIDENCE_EXTENSIONS",
    "ImportJob",
    "ImprovementProject",
    "KPIReading",
    "SuggestionCount",
    "evidence_path",
    "percent_change",
]
