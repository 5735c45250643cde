"""Likely duplicates inside one partner: a new row whose name is the same once the legal
form and place names are left out (湖州丝绸有限公司 / 湖州丝绸), or with the same phone or
address as an enterprise the partner already has. A warning in the preview, not an error:
staff decide, and can merge two records afterwards (``services.enterprise_merge``)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from ..models import Enterprise
from .columns import normalise

_LEGAL_FORMS = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|集团|总公司|分公司|公司|厂|"
    r"co\.?,?\s*ltd\.?|company\s+limited|limited|ltd\.?|inc\.?|corp\.?|group)$",
    re.IGNORECASE,
)


def name_core(name: str) -> str:
    text = normalise(name).replace("(", "").replace(")", "")
    for _round in range(3):
        stripped = _LEGAL_FORMS.sub("", text).strip(" ,.")
        if stripped == text:
            break
        text = stripped
    return text


def phone_key(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    return digits[-11:] if len(digits) >= 7 else ""


class LikelyDuplicates:
    """The partner's enterprises by name core, phone and address (one query)."""

    def __init__(self, partner):
        self.by = {"name": {}, "phone": {}, "address": {}}
        rows = Enterprise.objects.filter(partner=partner).values_list(
            "pk", "name", "phone", "address"
        )
        for pk, name, phone, address in rows:
            for kind, key in (
                ("name", name_core(name)),
                ("phone", phone_key(phone)),
                ("address", normalise(address) if len(address or "") >= 6 else ""),
            ):
                if key:
                    self.by[kind].setdefault(key, (pk, name))

    def warning(self, values: dict, exclude_pk=None) -> str:
        keys = {
            "name": name_core(values.get("name", "")),
            "phone": phone_key(values.get("phone", "")),
            "address": normalise(values.get("address", ""))
            if len(values.get("address", "")) >= 6
            else "",
        }
        reasons = {
            "name": _("a similar name"),
            "phone": _("the same phone"),
            "address": _("the same address"),
        }
        for kind, key in keys.items():
            match = self.by[kind].get(key) if key else None
            if match and match[0] != exclude_pk:
                return _(
                    "Possibly the same enterprise as “%(name)s”, already registered "
                    "(%(reason)s): check, and merge the two records if they are one."
                ) % {"name": match[1], "reason": reasons[kind]}
        return ""
