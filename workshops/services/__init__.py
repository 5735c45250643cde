"""Writes, one module per concern: workshops, participants (with attendance)."""

from .evaluations import (
    EvaluationRefused,
    evaluation_submit,
    evaluation_tokens_issue,
)
from .participants import (
    PARTICIPANT_FIELDS,
    attendance_record,
    delegation_add,
    participant_delete,
    participant_save,
)
from .workshops import (
    WORKSHOP_FIELDS,
    attending_enrolments,
    workshop_cancel,
    workshop_invite,
    workshop_mark_held,
    workshop_save,
)

__all__ = [
    "EvaluationRefused",
    "evaluation_submit",
    "evaluation_tokens_issue",
    "PARTICIPANT_FIELDS",
    "WORKSHOP_FIELDS",
    "attendance_record",
    "attending_enrolments",
    "delegation_add",
    "participant_delete",
    "participant_save",
    "workshop_cancel",
    "workshop_invite",
    "workshop_mark_held",
    "workshop_save",
]
