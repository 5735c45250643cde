"""The workshops app's models: workshops, participants and attendance."""

from .evaluations import (
    EvaluationAnswer,
    EvaluationResponse,
    EvaluationToken,
)
from .imports import ParticipantImport
from .participants import (
    Attendance,
    Participant,
)
from .workshops import (
    Workshop,
)

__all__ = [
    "EvaluationAnswer",
    "EvaluationResponse",
    "EvaluationToken",
    "Attendance",
    "Participant",
    "ParticipantImport",
    "Workshop",
]
