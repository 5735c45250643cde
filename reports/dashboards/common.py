"""Helpers shared by the dashboard's figure blocks: which partners a user's dashboard
shows, year bounds, names and links."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.utils.translation import get_language

from enterprises.models import Enterprise
from score_portal.access import Perm, access_for, partners_for
from score_portal.models import Partner

from ..indicators.display import reverse_fixed

ATTENTION_ROWS = 10
BASELINE_STATUSES = [Enterprise.Status.ACTIVE, Enterprise.Status.COMPLETED]


def dashboard_partner_queryset(user):
    """Active partners whose figures the user may read (not those they only train for)."""
    access = access_for(user)
    partners = partners_for(user).filter(is_active=True)
    if not access.sees_all():
        partners = partners.filter(pk__in=access.partner_ids_with(Perm.VIEW, trainer=False))
    return partners.order_by("code")


def dashboard_partners(user) -> list[Partner]:
    return list(dashboard_partner_queryset(user))


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _name(row: dict, prefix: str = "") -> str:
    chinese = (get_language() or "").startswith("zh")
    return row[f"{prefix}name_zh"] if chinese and row[f"{prefix}name_zh"] else row[f"{prefix}name"]


def _url(name: str, *args, **query) -> str:
    url = reverse_fixed(name, *args)
    query = {key: value for key, value in query.items() if value not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url
