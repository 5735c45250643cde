"""Forms, one module per concern: workshops, participants."""

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
    "CancelForm",
    "DelegationForm",
    "InviteForm",
    "ParticipantForm",
    "WorkshopForm",
]
