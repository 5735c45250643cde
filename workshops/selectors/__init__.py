"""Reads, one module per concern: workshops, participants."""

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
