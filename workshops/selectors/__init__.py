"""Reads, one module per concern: workshops, participants."""

from .evaluations import (
    SATISFIED_RATINGS,
    evaluation_summary,
    evaluation_token_get,
    evaluation_url,
    evaluation_window,
    overall_answers,
    satisfied_q,
    workshop_evaluation,
)
from .participants import (
    PARTICIPANT_COUNTS,
    delegations,
    participant_counts,
    participant_counts_by,
)
from .workshops import (
    attending_enterprise_count,
    baseline_warning,
    enterprises_without_baseline,
    invitable_enrolments,
    workshop_get,
    workshop_list,
)

__all__ = [
    "SATISFIED_RATINGS",
    "evaluation_summary",
    "evaluation_token_get",
    "evaluation_url",
    "evaluation_window",
    "overall_answers",
    "satisfied_q",
    "workshop_evaluation",
    "PARTICIPANT_COUNTS",
    "attending_enterprise_count",
    "baseline_warning",
    "enterprises_without_baseline",
    "delegations",
    "invitable_enrolments",
    "participant_counts",
    "participant_counts_by",
    "workshop_get",
    "workshop_list",
]
