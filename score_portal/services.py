"""Shared pieces for services in every app."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .access import access_for
from .figures_cache import figures_changed


class StaleEditError(ValidationError):
    """Someone else saved the record after this form was opened."""

    def __init__(self):
        super().__init__(
            _(
                "Someone else changed this record while you were editing it. "
                "Your changes were not saved: review the current values and "
                "apply your changes again."
            ),
            code="stale",
        )


def require(user, perm: str, partner_id: int | None = None) -> None:
    """Raise PermissionDenied unless ``user`` holds ``perm`` (for ``partner_id``)."""
    if not access_for(user).has_perm(perm, partner_id):
        raise PermissionDenied


def save_as(instance, acting_user, **save_kwargs):
    """Save ``instance`` with ``acting_user`` as the author of its history row: the one audit
    helper every service uses, inside or outside a request (a task, a command, a seed step).
    Models without history are saved as usual. Returns the instance."""
    instance._history_user = acting_user
    instance.save(**save_kwargs)
    return instance


def delete_as(instance, acting_user) -> None:
    """Delete ``instance`` with ``acting_user`` as the author of its history row."""
    instance._history_user = acting_user
    instance.delete()


def bulk_create_as(model, objs, acting_user, **kwargs) -> list:
    """``bulk_create`` that writes one history row per object with ``acting_user`` as author
    (simple-history's ``bulk_create_with_history``); models without history use plain
    ``bulk_create``."""
    objs = list(objs)
    if not objs:
        return objs
    figures_changed()  # bulk writes send no signals
    if hasattr(model, "history"):
        from simple_history.utils import bulk_create_with_history

        return bulk_create_with_history(objs, model, default_user=acting_user, **kwargs)
    return model.objects.bulk_create(objs, **kwargs)


def bulk_update_as(model, objs, fields, acting_user) -> int:
    """``bulk_update`` of ``fields`` that writes one history row per object with
    ``acting_user`` as author (simple-history's ``bulk_update_with_history``); models without
    history use plain ``bulk_update``."""
    objs = list(objs)
    if not objs:
        return 0
    figures_changed()  # bulk writes send no signals
    if hasattr(model, "history"):
        from simple_history.utils import bulk_update_with_history

        return bulk_update_with_history(objs, model, fields, default_user=acting_user)
    return model.objects.bulk_update(objs, fields)


def assign(instance, data: dict, fields) -> list[str]:
    """Set ``instance``'s ``fields`` found in ``data``; the names of those whose value changed
    (an update that changes none need not be saved, recorded or announced)."""
    changed = []
    for name in fields:
        if name not in data:
            continue
        value = data[name]
        field = instance._meta.get_field(name)
        if field.many_to_one or field.one_to_one:  # compare ids: never fetch the old object
            before, after = getattr(instance, field.attname), getattr(value, "pk", value)
        else:
            before, after = getattr(instance, name), value
        if before != after:
            changed.append(name)
        setattr(instance, name, value)
    return changed


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
            or not partners_for(acting_user).filter(pk=default_partner.pk).exists()
        ):
            raise PermissionDenied
        profile.default_partner = default_partner
    profile.full_clean()
    profile.save()
    return profile
