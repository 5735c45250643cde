"""Writes for modules (and, later, enrolments and workshops). Each runs in one transaction."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from score_portal.access import Perm, access_for

from .models import Module

MODULE_FIELDS = ("code", "name_en", "name_zh", "description", "classroom_days",
                 "planned_visits", "is_entry", "is_active", "order")


def _require_catalogue_manager(user) -> None:
    if not access_for(user).has_perm(Perm.MANAGE_CATALOGUE):
        raise PermissionDenied


@transaction.atomic
def module_save(*, acting_user, module: Module | None = None, **data) -> Module:
    """Create (no ``module``) or update a module. Making it the entry module takes that flag
    from the previous entry module in the same transaction."""
    _require_catalogue_manager(acting_user)
    module = module or Module()
    for name in MODULE_FIELDS:
        if name in data:
            setattr(module, name, data[name])
    if module.is_entry:
        Module.objects.filter(is_entry=True).exclude(pk=module.pk).update(is_entry=False)
    module.full_clean()
    module.save()
    return module
