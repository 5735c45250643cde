"""The workshops app's models: workshops, participants and attendance."""

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
    "Workshop",
]
