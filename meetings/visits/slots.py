"""What a leader offers, and how it becomes bookable times. Pure: plain dates and times in, aware datetimes out.

An offer is one of two kinds, each a small value: :class:`SingleTime` (one window on one day) or
:class:`WeeklyTimes` (a window on one weekday, every week between two days), with :class:`OfferTerms` for what
every visit of the offer shares. The form builds them; ``services.visit_offer_create`` refuses what must never be.
"""

import datetime as dt
from dataclasses import asdict, dataclass
from typing import ClassVar
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


# --- What a leader offers ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfferTerms:
    """What every visit of an offer shares: its length, how many politicians, and what the workplace tells them."""

    slot_minutes: int = 60
    min_politicians: int = 1
    max_politicians: int = 4
    topics: str = ""
    practical_notes: str = ""


class _Times:
    kind: ClassVar[str]  # VisitOffer.Kind

    def fields(self) -> dict:
        """The offer's own columns for this kind: the value's fields, named as the columns are."""
        return asdict(self)


@dataclass(frozen=True)
class SingleTime(_Times):
    """One window on one day, from ``starts_at`` to ``ends_at`` (aware datetimes)."""

    kind: ClassVar[str] = "single"

    starts_at: dt.datetime
    ends_at: dt.datetime

    def windows(self, minutes: int, tz: ZoneInfo) -> list[Window]:
        return split_window(self.starts_at, self.ends_at, minutes)


@dataclass(frozen=True)
class WeeklyTimes(_Times):
    """A window on one weekday (1 = Monday), every week from ``first_day`` to ``last_day``; wall-clock times."""

    kind: ClassVar[str] = "weekly"

    weekday: int
    start_time: dt.time
    end_time: dt.time
    first_day: dt.date
    last_day: dt.date

    def windows(self, minutes: int, tz: ZoneInfo) -> list[Window]:
        return weekly_windows(**self.fields(), minutes=minutes, tz=tz)


OfferTimes = SingleTime | WeeklyTimes
