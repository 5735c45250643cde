"""Writes for the catalogue: modules and KPI definitions. Only programme managers (the
"manage catalogue" permission) write here; each write runs in one transaction and keeps its
author in the history."""

from django.db import transaction

from score_portal.access import Perm
from score_portal.services import assign, require, save_as

from .models import KPIDefinition, Module

MODULE_FIELDS = (
    "code",
    "name_en",
    "name_zh",
    "description",
    "classroom_days",
    "planned_visits",
    "is_entry",
    "is_active",
    "order",
)


@transaction.atomic
def module_save(*, acting_user, module: Module | None = None, **data) -> Module:
    """Create (no ``module``) or update a module. Making it the entry module takes that flag
    from the previous entry module in the same transaction."""
    require(acting_user, Perm.MANAGE_CATALOGUE)
    module = module or Module()
    assign(module, data, MODULE_FIELDS)
    if module.is_entry:
        for previous in Module.objects.filter(is_entry=True).exclude(pk=module.pk):
            previous.is_entry = False
            save_as(previous, acting_user, update_fields=["is_entry"])
    module.full_clean()
    return save_as(module, acting_user)


KPI_FIELDS = (
    "code",
    "name_en",
    "name_zh",
    "unit",
    "unit_zh",
    "direction",
    "normalisation",
    "module",
    "plausible_min",
    "plausible_max",
    "headline",
    "is_active",
    "order",
)


@transaction.atomic
def kpi_definition_save(*, acting_user, kpi: KPIDefinition | None = None, **data) -> KPIDefinition:
    require(acting_user, Perm.MANAGE_CATALOGUE)
    kpi = kpi or KPIDefinition()
    assign(kpi, data, KPI_FIELDS)
    kpi.full_clean()
    return save_as(kpi, acting_user)
