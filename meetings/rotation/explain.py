"""Words for the planner's explanations.

The rotation package must import and run without Django configured (its tests use no database and no settings),
so these helpers translate through Django only when settings are configured and fall back to the English source
string otherwise. Strings are still marked with ``_``/``ngettext`` so ``makemessages`` picks them up.
"""

from __future__ import annotations

import datetime as dt

_ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _django_ready() -> bool:
    try:
        from django.conf import settings
    except ImportError:  # pragma: no cover - Django is a project dependency
        return False
    return settings.configured


def _(message: str) -> str:
    if _django_ready():
        from django.utils.translation import gettext

        return gettext(message)
    return message


def ngettext(singular: str, plural: str, number: int) -> str:
    if _django_ready():
        from django.utils.translation import ngettext as django_ngettext

        return django_ngettext(singular, plural, number)
    return singular if number == 1 else plural


def format_month(day: dt.date) -> str:
    """ "March 2024" — the one place a date becomes words, so month names are localised in one spot."""
    if _django_ready():
        from django.utils.dates import MONTHS

        return f"{MONTHS[day.month]} {day.year}"
    return f"{_ENGLISH_MONTHS[day.month - 1]} {day.year}"


def format_day(day: dt.date) -> str:
    """ "8. dec. 2026" (core/dates.py) once Django is configured; the ISO date in the planner's own tests."""
    if _django_ready():
        from core.dates import when

        return when(day, "date_short")
    return day.isoformat()


def join_slugs(slugs: list[str], limit: int = 5) -> str:
    """A short, deterministic list of workplaces for a reason text."""
    shown = ", ".join(slugs[:limit])
    if len(slugs) > limit:
        return _("{shown} and {count} more").format(shown=shown, count=len(slugs) - limit)
    return shown
