"""Filters shared by every list: ``updated_since`` for incremental sync."""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework.exceptions import ValidationError


def changed_since(queryset, since):
    """Records changed (or created) at or after ``since``: by ``updated_at`` where the model
    has one, else by its history rows (every save through ``save_as`` writes one)."""
    model = queryset.model
    names = {f.name for f in model._meta.concrete_fields}
    if "updated_at" in names:
        return queryset.filter(updated_at__gte=since)
    if hasattr(model, "history"):
        rows = model.history.model.objects.filter(id=OuterRef("pk"), history_date__gte=since)
        return queryset.filter(Exists(rows))
    stamps = [n for n in ("created_at", "started_at", "finished_at") if n in names]
    q = Q()
    for name in stamps:
        q |= Q(**{f"{name}__gte": since})
    return queryset.filter(q)


class SyncFilterSet(filters.FilterSet):
    updated_since = filters.IsoDateTimeFilter(
        method="filter_updated_since",
        label=_("Only records created or changed at or after this time (ISO 8601)."),
    )

    def filter_updated_since(self, queryset, name, value):
        # in UTC: the database takes offsets up to ±15:59 only, Python up to ±23:59
        try:
            value = value.astimezone(datetime.UTC)
        except OverflowError:
            msg = _("Give a date and time after year 1.")
            raise ValidationError({"updated_since": [msg]}) from None
        return changed_since(queryset, value)


def ref(field_name: str, label) -> filters.NumberFilter:
    """A filter by a related record's id (no existence check: an id outside the user's scope
    simply matches nothing)."""
    return filters.NumberFilter(
        field_name=field_name, label=label, min_value=-(2**63), max_value=2**63 - 1
    )
