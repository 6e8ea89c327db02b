"""The booking rules that are plain arithmetic: notice in working days and whether two addresses are one place.
Pure: no ORM, so they are tested without a database; the services and selectors apply them."""

import datetime as dt
import re

from ..workdays import add_working_days

# A workplace asks for at most this many working days' notice (six weeks).
MAX_NOTICE_DAYS = 30


def first_day_after_notice(today: dt.date, notice_days: int) -> dt.date:
    """The first day a visit may take place when it needs ``notice_days`` working days' notice given ``today``:
    with 2 days' notice on a Monday, Wednesday; on a Friday, Tuesday (weekends and holidays do not count)."""
    return add_working_days(today, max(notice_days, 0))


def inside_notice(day: dt.date, *, today: dt.date, notice_days: int) -> bool:
    return day < first_day_after_notice(today, notice_days)


_SPACES = re.compile(r"[\s,.]+")


def same_address(first: str, second: str) -> bool:
    """Two addresses name one place: the same words, whatever the case, commas, full stops and spaces. An empty
    address is never the same place as anything (we cannot know where it is)."""
    a, b = (_SPACES.sub(" ", (text or "").casefold()).strip() for text in (first, second))
    return bool(a) and a == b
