"""One date rule: every date a person types must lie in a plausible range.

A year typed as 0001 or 9999 is always a slip; stored, it breaks every page that does
arithmetic on the date (months before year 1, weeks after 9999). Two ranges:

- ``PAST``: what already happened (a visit, a reading, a decision, an application): from
  ``EARLIEST`` to today (plus a day, for a time zone ahead of the server's).
- ``PLANNED``: what may be scheduled (workshops, planned visits, due dates, validity):
  from ``EARLIEST`` to ``FUTURE_YEARS`` years ahead.

Models declare their rule per field in ``DATE_RULES`` and inherit ``PlausibleDatesMixin``;
``full_clean`` (every service and every model form) then refuses a date out of range with a
message on that field. Date fields a model does not list get ``PLANNED``.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

EARLIEST = datetime.date(1950, 1, 1)
FUTURE_YEARS = 10

PAST = "past"
PLANNED = "planned"


def _years_ahead(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def date_range(rule: str = PLANNED) -> tuple[datetime.date, datetime.date]:
    """The first and last date ``rule`` accepts, today."""
    today = timezone.localdate()
    if rule == PAST:
        return EARLIEST, today + datetime.timedelta(days=1)
    return EARLIEST, _years_ahead(today, FUTURE_YEARS)


def URL_DATE_RANGE() -> tuple[datetime.date, datetime.date]:  # noqa: N802 (a constant's role)
    """What a page accepts from its URL (a month to show, a period): the widest rule."""
    return date_range(PLANNED)


def check_plausible_date(value, rule: str = PLANNED) -> None:
    """Raise ValidationError (code ``implausible_date``) if ``value`` is out of range."""
    if value is None:
        return
    if isinstance(value, datetime.datetime):
        value = value.date()
    first, last = date_range(rule)
    if value < first:
        raise ValidationError(
            _("Enter a date on or after %(first)s."),
            code="implausible_date",
            params={"first": formats.date_format(first, "SHORT_DATE_FORMAT")},
        )
    if value > last:
        if rule == PAST:
            raise ValidationError(_("This date cannot be in the future."), code="implausible_date")
        raise ValidationError(
            _("Enter a date on or before %(last)s."),
            code="implausible_date",
            params={"last": formats.date_format(last, "SHORT_DATE_FORMAT")},
        )


def plausible_date(rule: str = PLANNED):
    """A validator for a form field: ``validators=[plausible_date(PAST)]``."""

    def validate(value):
        check_plausible_date(value, rule)

    return validate


class PlausibleDatesMixin:
    """Check every date field of the model against its rule in ``full_clean``."""

    DATE_RULES: dict[str, str] = {}

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if (
                not isinstance(field, models.DateField)
                or isinstance(field, models.DateTimeField)
                or field.auto_now
                or field.auto_now_add
            ):
                continue
            if (exclude and field.name in exclude) or field.name in errors:
                continue
            try:
                check_plausible_date(
                    getattr(self, field.attname), self.DATE_RULES.get(field.name, PLANNED)
                )
            except ValidationError as exc:
                errors[field.name] = exc.error_list
        if errors:
            raise ValidationError(errors)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by whole months, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (following - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last_day))
