"""Meeting dates generated from a pattern, never on a closed day.

Pure functions, no ORM. The closed days (Danish public holidays and the municipality's own) are the organisation's
calendar, :mod:`meetings.workdays`, which every feature shares; they are re-exported here under their old names.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from collections.abc import Collection, Iterable

from meetings.workdays import MUNICIPAL_CLOSED_DAYS, closed_days_of_year, is_closed

__all__ = ["LAST", "MUNICIPAL_CLOSED_DAYS", "closed_days_of_year", "is_closed", "meeting_dates", "nth_weekday"]

LAST = -1


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date | None:
    """The ``nth`` (1–5, or -1 for the last) ``weekday`` (0 = Monday) of a month, or None if there is none."""
    if not 0 <= weekday <= 6:
        raise ValueError(f"weekday must be 0–6, not {weekday}")
    days_in_month = _calendar.monthrange(year, month)[1]
    matching = [d for d in range(1, days_in_month + 1) if dt.date(year, month, d).weekday() == weekday]
    if nth == LAST:
        return dt.date(year, month, matching[-1])
    if not 1 <= nth <= 5:
        raise ValueError(f"nth must be 1–5 or -1, not {nth}")
    return dt.date(year, month, matching[nth - 1]) if nth <= len(matching) else None


def meeting_dates(
    year: int,
    weekday: int,
    nth: int,
    skip_months: Iterable[int] = (),
    start: dt.time = dt.time(16, 0),
    minutes: int = 180,
    closed_days: Collection[tuple[int, int]] = MUNICIPAL_CLOSED_DAYS,
) -> list[tuple[dt.date, dt.time, dt.time]]:
    """Proposed meeting dates for a pattern such as "the second Tuesday of every month except July, 16:00–19:00".

    Returns (date, start, end) tuples in date order. A date that falls on a closed day (see
    :func:`closed_days_of_year`) moves to the next same weekday in the same month that is not closed; if the month
    has none left, that month gets no proposed date. A month without an ``nth`` weekday (a fifth Tuesday) is
    skipped too. The administrator edits the proposals one by one afterwards.
    """
    skip = set(skip_months)
    closed = closed_days_of_year(year, tuple(closed_days))
    end = (dt.datetime.combine(dt.date(year, 1, 1), start) + dt.timedelta(minutes=minutes)).time()
    proposals = []
    for month in range(1, 13):
        if month in skip:
            continue
        day = nth_weekday(year, month, weekday, nth)
        while day is not None and day in closed:
            day = day + dt.timedelta(days=7)
            if day.month != month:
                day = None
        if day is not None:
            proposals.append((day, start, end))
    return proposals
