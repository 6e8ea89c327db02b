"""English output formats, day before month as in British English: "8 December 2026", "8 December 2026, 16:00"."""

from django.conf.locale.en.formats import *  # noqa: F403 (the input formats, first day of week, separators)

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
FIRST_DAY_OF_WEEK = 1  # Monday, as the ISO weeks the portal shows
