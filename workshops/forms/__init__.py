"""Forms, one module per concern: workshops, participants, imports, evaluations."""

from .evaluations import EvaluationForm
from .imports import SheetUploadForm
from .participants import (
    DelegationForm,
    ParticipantForm,
)
from .workshops import (
    CancelForm,
    InviteForm,
    WorkshopForm,
)

__all__ = [
    "EvaluationForm",
    "CancelForm",
    "DelegationForm",
    "InviteForm",
    "ParticipantForm",
    "SheetUploadForm",
    "WorkshopForm",
]
