"""Working days in mainland China, for anything the portal plans (consulting visits).

A working day is Monday to Friday and not a public holiday. The public holidays, with the
days off the State Council moves next to them each year, come from the ``holidays`` package
(``holidays.China``, kept up to date upstream from the official notices). The package also
knows the weekend days declared working days (调休 make-up days); the portal does *not* plan on
them: a factory visit is never planned on a Saturday or Sunday, whatever the calendar says.
Years the package does not know yet fall back to its fixed-date holidays and to Mon-Fri.
"""

import datetime
from functools import lru_cache

import holidays

SATURDAY = 5


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.China(years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < SATURDAY and day not in _public_holidays(day.year)


def next_working_day(day: datetime.date) -> datetime.date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def working_days_after(start: datetime.date, offsets) -> list[datetime.date]:
    """One working day per offset (days after ``start``), each the offset's day or the next
    working day, and each after the one before (two offsets never share a day)."""
    days: list[datetime.date] = []
    for offset in offsets:
        day = start + datetime.timedelta(days=offset)
        if days and day <= days[-1]:
            day = days[-1] + datetime.timedelta(days=1)
        days.append(next_working_day(day))
    return days
