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


_configured = False


def _django_ready() -> bool:
    """Whether Django's settings are configured. Once they are they stay so, and the answer is remembered: a plan
    asks for hundreds of words, and asking Django each time cost more than translating them."""
    global _configured
    if _configured:
        return True
    try:
        from django.conf import settings
    except ImportError:  # pragma: no cover - Django is a project dependency
        return False
    _configured = settings.configured
    return _configured


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


def join_names(names: list[str], limit: int = 2) -> str:
    """Workplaces in a sentence, grouped so none is repeated and a long list stays short:
    "Bakkeskolen", "Bakkeskolen and Åskolen", "Bakkeskolen, Åskolen and 5 others"."""
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    if len(names) <= limit + 1:
        return _("{names} and {last}").format(names=", ".join(names[:-1]), last=names[-1])
    rest = len(names) - limit
    return ngettext("{names} and {count} other", "{names} and {count} others", rest).format(
        names=", ".join(names[:limit]), count=rest
    )


def group_reasons(items) -> list[str]:
    """``(workplace name or None, day or "", reason)`` as sentences, each reason once with everyone it concerns:
    "Bakkeskolen, Åskolen and 5 others: Not invited: …" instead of the same sentence seven times."""
    order: list[tuple[str, str]] = []
    names: dict[tuple[str, str], list[str]] = {}
    for name, day, reason in items:
        key = (day or "", reason)
        if key not in names:
            order.append(key)
            names[key] = []
        if name and name not in names[key]:
            names[key].append(name)
    sentences = []
    for day, reason in order:
        who = join_names(sorted(names[(day, reason)]))
        if day and who:
            sentences.append(_("{day}, {names}: {reason}").format(day=day, names=who, reason=reason))
        elif day or who:
            sentences.append(_("{names}: {reason}").format(names=day or who, reason=reason))
        else:
            sentences.append(reason)
    return sentences
