"""The workshops app's models: workshops, participants and attendance."""

from .imports import ParticipantImport
from .participants import (
    Attendance,
    Participant,
)
from .workshops import (
    Workshop,
)

__all__ = [
    "Attendance",
    "Participant",
    "ParticipantImport",
    "Workshop",
]
