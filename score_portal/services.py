"""Shared pieces for services in every app."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from .access import access_for


class StaleEditError(ValidationError):
    """Someone else saved the record after this form was opened."""

    def __init__(self):
        super().__init__(_("Someone else changed this record while you were editing it. "
                           "Your changes were not saved: review the current values and "
                           "apply your changes again."), code="stale")


def require(user, perm: str, partner_id: int | None = None) -> None:
    """Raise PermissionDenied unless ``user`` holds ``perm`` (for ``partner_id``)."""
    if not access_for(user).has_perm(perm, partner_id):
        raise PermissionDenied


def assign(instance, data: dict, fields) -> None:
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])
