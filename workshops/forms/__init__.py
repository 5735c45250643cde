"""Forms, one module per concern: workshops, participants."""

from .evaluations import EvaluationForm
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
    "WorkshopForm",
]
