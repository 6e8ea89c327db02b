"""The municipality's calendar: Danish public holidays, the municipality's own closed days and working days.

Pure functions, no ORM: every feature that counts days (meeting dates, booking notice, hearing and answer deadlines)
stands on this one calendar. Public holidays come from the ``holidays`` library, which computes the moving Easter
holidays and already knows that Store Bededag was abolished from 2024. The municipality also closes on a few days
that are not public holidays by law; they are a parameter (``closed_days``) with that default.

A working day is a Monday to Friday that is not closed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from functools import lru_cache

import holidays

# (month, day) pairs the municipality treats as closed on top of the public holidays:
# Grundlovsdag, Christmas Eve and New Year's Eve.
MUNICIPAL_CLOSED_DAYS: tuple[tuple[int, int], ...] = ((6, 5), (12, 24), (12, 31))
_MUNICIPAL_NAMES = {(6, 5): "Grundlovsdag", (12, 24): "Juleaftensdag", (12, 31): "Nytårsaftensdag"}

# A guard against a loop over an absurd count (a typo of 10,000 working days).
MAX_WORKING_DAYS = 3660


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> tuple[tuple[dt.date, str], ...]:
    return tuple(sorted(holidays.Denmark(years=year, language="da").items()))


@lru_cache(maxsize=64)
def _closed(year: int, closed_days: tuple[tuple[int, int], ...]) -> dict[dt.date, str]:
    days = dict(_public_holidays(year))
    for month, day in closed_days:
        days.setdefault(dt.date(year, month, day), _MUNICIPAL_NAMES.get((month, day), ""))
    return days


def closed_days_of_year(
    year: int, closed_days: Collection[tuple[int, int]] = MUNICIPAL_CLOSED_DAYS
) -> dict[dt.date, str]:
    """Every closed day in ``year``, with its Danish name.

    Public holidays (Nytårsdag, Skærtorsdag, Langfredag, Påskedag, 2. påskedag, Kristi himmelfartsdag, Pinsedag,
    2. pinsedag, Juledag, 2. juledag, and Store bededag before 2024) plus the ``closed_days`` (month, day) pairs.
    """
    return dict(_closed(year, tuple(closed_days)))


def is_closed(day: dt.date, closed_days: Collection[tuple[int, int]] = MUNICIPAL_CLOSED_DAYS) -> bool:
    return day in _closed(day.year, tuple(closed_days))


def is_working_day(day: dt.date, closed_days: Collection[tuple[int, int]] = MUNICIPAL_CLOSED_DAYS) -> bool:
    return day.weekday() < 5 and not is_closed(day, closed_days)


def add_working_days(
    day: dt.date, count: int, closed_days: Collection[tuple[int, int]] = MUNICIPAL_CLOSED_DAYS
) -> dt.date:
    """The day ``count`` working days after ``day`` (before it when ``count`` is negative); 0 gives ``day``."""
    if abs(count) > MAX_WORKING_DAYS:
        raise ValueError(f"count must be at most {MAX_WORKING_DAYS} working days, not {count}")
    step = dt.timedelta(days=1 if count >= 0 else -1)
    remaining = abs(count)
    while remaining:
        day += step
        if is_working_day(day, closed_days):
            remaining -= 1
    return day


def working_days_between(
    start: dt.date, end: dt.date, closed_days: Collection[tuple[int, int]] = MUNICIPAL_CLOSED_DAYS
) -> int:
    """How many working days lie after ``start`` up to and including ``end`` (negative when ``end`` is earlier)."""
    if end < start:
        return -working_days_between(end, start, closed_days)
    if (end - start).days > MAX_WORKING_DAYS * 2:
        raise ValueError("the period is too long to count working days in")
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + dt.timedelta(days=n), closed_days))
