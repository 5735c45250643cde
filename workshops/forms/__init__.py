"""Forms, one module per concern: workshops, participants."""

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
    "CancelForm",
    "DelegationForm",
    "InviteForm",
    "ParticipantForm",
    "SheetUploadForm",
    "WorkshopForm",
]
