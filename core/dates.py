"""Dates and times as the portal writes them, in one place (DANISH.md §2, docs/danish.md).

Pages, e-mails and Python use the same named formats, through :func:`when` here or the ``when``, ``clock_range``
and ``week`` template filters (``{% load portal_dates %}``). Django's own names (``DATE_FORMAT``,
``SHORT_DATE_FORMAT``, ``TIME_FORMAT``...) come from ``core/formats/<language>/formats.py`` (FORMAT_MODULE_PATH).
An aware moment is shown in Europe/Copenhagen time (summer or winter time as it was that day); never strftime for
display.

====================  ==================================  ===============================
name                  Danish                              English
====================  ==================================  ===============================
date                  8. december 2026                    8 December 2026
date_short            8. dec. 2026                        8 Dec 2026
day_month             8. december                         8 December
day_month_short       8. dec.                             8 Dec
weekday_date          tirsdag den 8. december 2026        Tuesday 8 December 2026
weekday_day_month     tirsdag den 8. december             Tuesday 8 December
weekday_short         tirsdag 8. dec.                     Tuesday 8 Dec
time                  16.00                               16:00
clock                 kl. 16.00                           16:00
datetime              8. december 2026 kl. 16.00          8 December 2026, 16:00
datetime_short        8. dec. 2026 kl. 16.00              8 Dec 2026, 16:00
weekday_datetime      tirsdag den 8. december 2026 kl.    Tuesday 8 December 2026, 16:00
                      16.00
weekday_day_month_..  tirsdag den 8. december kl. 16.00   Tuesday 8 December, 16:00
weekday_short_time    tirsdag 8. dec. kl. 16.00           Tuesday 8 Dec, 16:00
day_month_time        8. december kl. 16.00               8 December, 16:00
datetime_seconds      8. december 2026 kl. 16.00.05       8 December 2026, 16:00:05
month_year            december 2026                       December 2026
====================  ==================================  ===============================
"""

import datetime as dt

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

FORMATS = {
    "da": {
        "date": "j. F Y",
        "date_short": "j. N Y",
        "day_month": "j. F",
        "day_month_short": "j. N",
        "weekday_date": r"l \d\e\n j. F Y",
        "weekday_day_month": r"l \d\e\n j. F",
        "weekday_short": "l j. N",
        "time": "G.i",
        "clock": r"\k\l. G.i",
        "datetime": r"j. F Y \k\l. G.i",
        "datetime_short": r"j. N Y \k\l. G.i",
        "weekday_datetime": r"l \d\e\n j. F Y \k\l. G.i",
        "weekday_day_month_time": r"l \d\e\n j. F \k\l. G.i",
        "weekday_short_time": r"l j. N \k\l. G.i",
        "day_month_time": r"j. F \k\l. G.i",
        "datetime_seconds": r"j. F Y \k\l. G.i.s",
        "month_year": "F Y",
    },
    "en": {
        "date": "j F Y",
        "date_short": "j M Y",
        "day_month": "j F",
        "day_month_short": "j M",
        "weekday_date": "l j F Y",
        "weekday_day_month": "l j F",
        "weekday_short": "l j M",
        "time": "H:i",
        "clock": "H:i",
        "datetime": "j F Y, H:i",
        "datetime_short": "j M Y, H:i",
        "weekday_datetime": "l j F Y, H:i",
        "weekday_day_month_time": "l j F, H:i",
        "weekday_short_time": "l j M, H:i",
        "day_month_time": "j F, H:i",
        "datetime_seconds": "j F Y, H:i:s",
        "month_year": "F Y",
    },
}


def _pattern(name: str) -> str:
    language = (translation.get_language() or "da").split("-")[0]
    patterns = FORMATS.get(language, FORMATS["da"])
    try:
        return patterns[name]
    except KeyError:
        raise ValueError(f"Unknown date format name {name!r}; see core/dates.py") from None


def _local(value):
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def when(value, name: str = "date") -> str:
    """``value`` (a date, a time or an aware moment) in the named format, in the active language."""
    if value in (None, ""):
        return ""
    return date_format(_local(value), _pattern(name))


def clock_range(start, end, *, clock: bool = False) -> str:
    """ "16.00–18.00" (or "kl. 16.00–18.00" with ``clock``): two times or moments, en dash, no spaces."""
    if not start:
        return ""
    first = when(start, "clock" if clock else "time")
    return f"{first}–{when(end, 'time')}" if end else first


def iso_week(value) -> int:
    """The ISO week number (Monday first) of a date or of an aware moment's Copenhagen date."""
    value = _local(value)
    return value.isocalendar()[1]


def week(value) -> str:
    """ "uge 50": the ISO week of a date or a moment."""
    if value in (None, ""):
        return ""
    return _("week %(number)s") % {"number": iso_week(value)}


def week_span(value) -> str:
    """ "uge 49 (30. nov.–6. dec.)": the ISO week with its Monday and Sunday."""
    day = _local(value)
    if isinstance(day, dt.datetime):
        day = day.date()
    monday = day - dt.timedelta(days=day.weekday())
    sunday = monday + dt.timedelta(days=6)
    return pgettext("week with its days", "%(week)s (%(monday)s–%(sunday)s)") % {
        "week": week(day),
        "monday": when(monday, "day_month_short"),
        "sunday": when(sunday, "day_month_short"),
    }
