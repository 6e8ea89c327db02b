"""Danish output formats (DANISH.md §2): "8. december 2026", "8. december 2026 kl. 16.00", "16.00". Django's own
Danish input formats are kept, so forms read what they read before."""

from django.conf.locale.da.formats import *  # noqa: F403 (the input formats, first day of week, separators)

DATE_FORMAT = "j. F Y"
TIME_FORMAT = "G.i"
DATETIME_FORMAT = r"j. F Y \k\l. G.i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j. F"
SHORT_DATE_FORMAT = "j. N Y"
SHORT_DATETIME_FORMAT = r"j. N Y \k\l. G.i"
