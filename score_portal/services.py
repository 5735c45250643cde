"""Shared pieces for services in every app."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
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


_UNCHANGED = object()


@transaction.atomic
def profile_update(*, acting_user, language=_UNCHANGED, default_partner=_UNCHANGED):
    """Store the acting user's own preferences (creating the profile on first use). A default
    partner must be one the user may see; only programme managers choose one."""
    from .access import partners_for
    from .models import Profile

    profile, _created = Profile.objects.select_for_update().get_or_create(user=acting_user)
    if language is not _UNCHANGED:
        profile.language = language or ""
    if default_partner is not _UNCHANGED:
        if default_partner is not None and (
                not access_for(acting_user).programme
                or not partners_for(acting_user).filter(pk=default_partner.pk).exists()):
            raise PermissionDenied
        profile.default_partner = default_partner
    profile.full_clean()
    profile.save()
    return profile
