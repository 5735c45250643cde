"""The enterprises app's models, one module per concern."""

from .assessments import Assessment, AssessmentAnswer
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
from .exports import ExportJob
from .groups import EnterpriseGroup
from .imports import ImportJob
from .kpi import EVIDENCE_EXTENSIONS, KPILatest, KPIReading, evidence_path, percent_change
from .review import COMMENT_MAX_LENGTH, ReadingComment

__all__ = [
    "Assessment",
    "AssessmentAnswer",
    "MANUAL_STATUSES",
    "enterprise_status_for",
    "COMMENT_MAX_LENGTH",
    "CREDIT_CODE_TAKEN",
    "CURRENCY_CHOICES",
    "EITMember",
    "Enrolment",
    "Enterprise",
    "EnterpriseChild",
    "EnterpriseGroup",
    "EVIDENCE_EXTENSIONS",
    "ExportJob",
    "ImportJob",
    "ImprovementProject",
    "KPILatest",
    "KPIReading",
    "ReadingComment",
    "SuggestionCount",
    "evidence_path",
    "percent_change",
]
