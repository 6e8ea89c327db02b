"""Turn an offer's window into bookable times. Pure: plain dates and times in, aware datetimes out."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

# A weekly offer spans at most about a year, so one offer never creates an unbounded number of slots.
MAX_WEEKLY_SPAN = dt.timedelta(days=366)


@dataclass(frozen=True)
class Window:
    start: dt.datetime
    end: dt.datetime


def split_window(start: dt.datetime, end: dt.datetime, minutes: int) -> list[Window]:
    """Whole visits of ``minutes`` that fit between start and end; a remainder is dropped."""
    step = dt.timedelta(minutes=minutes)
    out = []
    cursor = start
    while cursor + step <= end:
        out.append(Window(cursor, cursor + step))
        cursor += step
    return out


def weekly_windows(
    *,
    weekday: int,
    start_time: dt.time,
    end_time: dt.time,
    first_day: dt.date,
    last_day: dt.date,
    minutes: int,
    tz: ZoneInfo,
) -> list[Window]:
    """Every ``weekday`` (1 = Monday) from first_day to last_day, split into visits of ``minutes``.

    Times are wall-clock times in ``tz``, so 9:00 stays 9:00 across summer time.
    """
    if last_day - first_day > MAX_WEEKLY_SPAN:
        raise ValueError("A weekly offer spans at most a year.")
    day = first_day + dt.timedelta(days=(weekday - 1 - first_day.weekday()) % 7)
    out: list[Window] = []
    while day <= last_day:
        start = dt.datetime.combine(day, start_time, tzinfo=tz)
        end = dt.datetime.combine(day, end_time, tzinfo=tz)
        out.extend(split_window(start, end, minutes))
        day += dt.timedelta(days=7)
    return out
