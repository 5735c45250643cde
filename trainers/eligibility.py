"""May a trainer teach a module on a day, and why not: the one place that turns a
certification's standing into words.

Warnings are kept as codes with parameters (``{"code": "expired", "module": "M1",
"date": "2026-03-01"}``) and turned into words only when shown, so a Chinese page shows
Chinese whatever language the person who chose the team used (issue 20, item 2)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Certification, Trainer

NOT_CERTIFIED = "not_certified"
EXPIRED = "expired"
SUSPENDED = "suspended"
CANDIDATE_ALONE = "candidate_alone"


def _day(value: str | datetime.date | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        return value
    return value.isoformat()


def standing_label(certification: Certification | None, on: datetime.date | None = None) -> str:
    """What a certification means on ``on``: "Certified trainer, valid until 2027-03-01",
    "Certified trainer, expired on 2026-03-01", "Candidate trainer", "not certified"."""
    if certification is None:
        return _("not certified")
    on = on or timezone.localdate()
    grade = certification.get_grade_display()
    if certification.is_expired(on) and certification.valid_until:
        return _("%(grade)s, expired on %(date)s") % {
            "grade": grade,
            "date": _day(certification.valid_until),
        }
    if certification.grade in Certification.QUALIFIED and certification.valid_until:
        return _("%(grade)s, valid until %(date)s") % {
            "grade": grade,
            "date": _day(certification.valid_until),
        }
    return grade


def trainer_warnings(
    certification: Certification | None,
    *,
    module_code: str,
    on: datetime.date,
    team_qualified: bool,
) -> list[dict]:
    """The warnings (codes) about one trainer teaching the module on ``on``."""
    if certification is not None and certification.is_qualified(on):
        return []
    if certification is None:
        return [{"code": NOT_CERTIFIED, "module": module_code}]
    if certification.is_expired(on):
        return [{"code": EXPIRED, "module": module_code, "date": _day(certification.valid_until)}]
    if certification.grade == Certification.Grade.SUSPENDED:
        return [{"code": SUSPENDED, "module": module_code}]
    if certification.grade == Certification.Grade.CANDIDATE and not team_qualified:
        return [{"code": CANDIDATE_ALONE, "module": module_code}]
    return []


def describe(warning: dict, *, trainer: Trainer | str) -> str:
    """One stored warning in the active language."""
    params = {"name": trainer, "module": warning.get("module", ""), "date": warning.get("date", "")}
    code = warning.get("code")
    if code == EXPIRED:
        return _("%(name)s's certification for %(module)s expired on %(date)s.") % params
    if code == SUSPENDED:
        return _("%(name)s's certification for %(module)s is suspended.") % params
    if code == CANDIDATE_ALONE:
        return (
            _("%(name)s is a candidate for %(module)s and needs a certified co-trainer.") % params
        )
    return _("%(name)s is not certified for %(module)s.") % params
