"""The files of the organisation import: their kinds, their columns and the words a cell may hold.

The column reference for administrators is docs/import.md; COLUMNS below must agree with it.
"""

import re
from dataclasses import dataclass

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FILES = ("committees", "workplaces", "people", "blackouts", "history", "venues")

FILE_LABELS = {
    "committees": gettext_lazy("Committees"),
    "workplaces": gettext_lazy("Workplaces"),
    "people": gettext_lazy("People"),
    "blackouts": gettext_lazy("Blackout periods"),
    "history": gettext_lazy("Past hostings"),
    "venues": gettext_lazy("Venues"),
}


@dataclass(frozen=True)
class Column:
    name: str
    required: bool  # must appear in the header row (its value may still be allowed to be empty)


COLUMNS: dict[str, tuple[Column, ...]] = {
    "committees": (
        Column("slug", True),
        Column("name", True),
        Column("area", True),
        Column("meeting_weekday", True),
        Column("meeting_start", True),
        Column("meeting_minutes", True),
        Column("meeting_nth", False),
        Column("meeting_skip_months", False),
        Column("active", False),
    ),
    "workplaces": (
        Column("slug", True),
        Column("name", True),
        Column("kind", True),
        Column("address", True),
        Column("district", True),
        Column("committees", True),
        Column("seats", True),
        Column("step_free", True),
        Column("active", True),
        Column("latitude", True),
        Column("longitude", True),
        Column("description", False),
        Column("lends_room", False),
    ),
    "people": (
        Column("email", True),
        Column("full_name", True),
        Column("role", True),
        Column("committee", True),
        Column("committee_role", True),
        Column("workplace", True),
        Column("title", False),
        Column("start_date", False),
    ),
    "blackouts": (
        Column("workplace", True),
        Column("first_day", True),
        Column("last_day", True),
        Column("reason", True),
    ),
    # Meetings the committees held at workplaces before the portal: they count for the rotation's equal access.
    "history": (
        Column("committee", True),
        Column("date", True),
        Column("workplace", True),
    ),
    # The municipality's meeting rooms, where a workplace too small to seat its committee may host (issue 20).
    "venues": (
        Column("slug", True),
        Column("name", True),
        Column("address", True),
        Column("district", True),
        Column("seats", True),
        Column("step_free", True),
        Column("latitude", True),
        Column("longitude", True),
        Column("active", False),
    ),
}

# Columns where a line break (and a tab) belongs: longer texts. Every other cell is one line.
MULTILINE_COLUMNS = {"committees": ("area",), "workplaces": ("description",)}

# Which of the month's weekdays a committee meets on (meeting_nth): the first to the fifth, or -1 for the last.
NTH_WEEKDAYS = (1, 2, 3, 4, 5, -1)
DEFAULT_NTH_WEEKDAY = 2

# SAND and FALSK are what Danish Excel writes for a cell holding TRUE or FALSE.
YES = {"yes", "ja", "true", "sand", "1"}
NO = {"no", "nej", "false", "falsk", "0"}

# Roles in the people file; the Danish words are accepted too.
PERSON_ROLES = {
    "administrator": "administrator",
    "politician": "politician",
    "politiker": "politician",
    "leader": "leader",
    "leder": "leader",
    "trio": "trio",
}

SLUG_RE = re.compile(r"[-a-zA-Z0-9_]+")
TIME_RE = re.compile(r"(\d{1,2})[:.](\d{2})(?::00)?")
ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Danish Excel saves a date cell as 01-07-2026 (or 01.07.2026 with newer Windows settings).
DANISH_DATE_RE = re.compile(r"(\d{1,2})[-.](\d{1,2})[-.](\d{4})")
SLUG_MAX = 50
DANISH_LETTERS = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "oe", "Ø": "Oe", "å": "aa", "Å": "Aa"})


def danish_slugify(value: str) -> str:
    """A slug that keeps Danish letters readable: 'Ældrecenter' → 'aeldrecenter', not 'ldrecenter'."""
    return slugify(value.translate(DANISH_LETTERS))


def column_summary(kind: str) -> str:
    """The columns of one file, for help texts: 'slug, name, … (optional: active)'."""
    required = ", ".join(c.name for c in COLUMNS[kind] if c.required)
    optional = ", ".join(c.name for c in COLUMNS[kind] if not c.required)
    if not optional:
        return required
    return _("%(required)s (optional: %(optional)s)") % {"required": required, "optional": optional}
