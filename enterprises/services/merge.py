"""Merge two records of one enterprise (a duplicate made by hand or by two imports).

Everything that points at the duplicate moves to the record kept: enrolments (with their
visits, assignments, KPI readings), EIT members, projects, suggestion counts, readings, and
links from other apps (found through the model's relations, so this layer names no higher
app). Each moved row is saved with history. A move that would break a unique rule (two
suggestion counts for one month, two open enrolments in one module ...) stops the merge with
a message naming what to resolve first; nothing is changed then.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from score_portal import events
from score_portal.access import Perm
from score_portal.services import delete_as, require, save_as

from ..models import Enterprise, KPILatest
from .enterprises import ENTERPRISE_FIELDS


def _is_history(model) -> bool:
    return model.__name__.startswith("Historical")


@transaction.atomic
def enterprise_merge(*, acting_user, keep: Enterprise, duplicate: Enterprise) -> Enterprise:
    """Move everything of ``duplicate`` to ``keep``, fill ``keep``'s empty fields from it,
    then delete ``duplicate`` (with history). Both must belong to one partner. Announces
    ``updated`` for each record moved and for ``keep``, ``deleted`` for ``duplicate``."""
    require(acting_user, Perm.CHANGE, keep.partner_id)
    require(acting_user, Perm.CHANGE, duplicate.partner_id)
    if keep.pk == duplicate.pk:
        raise ValidationError(_("Choose two different enterprises to merge."))
    if keep.partner_id != duplicate.partner_id:
        raise ValidationError(_("Only enterprises of the same partner can be merged."))
    keep = Enterprise.objects.select_for_update().get(pk=keep.pk)
    duplicate = Enterprise.objects.select_for_update().get(pk=duplicate.pk)
    conflicts: list[str] = []
    moved = []
    for relation in Enterprise._meta.related_objects:
        model = relation.related_model
        if isinstance(model, str) or _is_history(model) or model is KPILatest:
            continue  # KPILatest is derived: moving a reading rewrites both enterprises' pairs
        if relation.one_to_many or relation.one_to_one:
            field = relation.field.name
            for obj in model._base_manager.filter(**{field: duplicate}):
                setattr(obj, field, keep)
                try:
                    obj.validate_unique()
                    obj.validate_constraints()
                except ValidationError:
                    conflicts.append(f"{model._meta.verbose_name}: {obj}")
                    continue
                moved.append(obj)
        elif relation.many_to_many:
            accessor = relation.field.name
            for obj in model._base_manager.filter(**{accessor: duplicate}):
                manager = getattr(obj, accessor)
                manager.add(keep)
                manager.remove(duplicate)
    if conflicts:
        raise ValidationError(
            _("These records exist for both enterprises; resolve them first: %(items)s.")
            % {"items": "; ".join(conflicts[:10])}
        )
    by_model: dict[type, list] = {}
    for obj in moved:
        save_as(obj, acting_user)
        by_model.setdefault(type(obj), []).append(obj)
    for objs in by_model.values():  # enrolments, readings ...: one call per kind
        events.emit_many(events.UPDATED, objs)
    events.emit(events.DELETED, duplicate)  # as it was, before it is gone
    code = duplicate.credit_code
    notes = [keep.notes] if keep.notes else []
    notes.append(
        _("Merged with the record “%(name)s” (id %(id)s).")
        % {"name": duplicate.name, "id": duplicate.pk}
    )
    delete_as(duplicate, acting_user)  # first: its credit code may move to ``keep``
    for field in ENTERPRISE_FIELDS:
        if field not in ("notes", "status") and getattr(keep, field) in ("", None):
            value = code if field == "credit_code" else getattr(duplicate, field)
            setattr(keep, field, value)
    keep.notes = "\n".join(notes)
    keep.version += 1
    keep._change_reason = _("Merged a duplicate record")[:100]  # type: ignore[attr-defined]
    keep.full_clean()
    save_as(keep, acting_user)
    events.emit(events.UPDATED, keep)
    return keep
