"""The workshops app's models: workshops, participants and attendance."""

from .evaluations import (
    EvaluationAnswer,
    EvaluationResponse,
    EvaluationToken,
)
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
    "Workshop",
]
