"""CSV files for spreadsheets, made for Danish Excel and made safe: every export of the portal writes through here.

**Danish Excel opens them as they are.** A double-click in Danish Excel reads a CSV file with the system's list
separator (``;``) and, without a byte-order mark, as Windows-1252. So every file is UTF-8 with a byte-order mark,
``;`` between cells and CRLF at the end of each line (as Excel itself writes). Dates and times are written as
``2026-12-08`` and ``2026-12-08 16:00`` in Copenhagen time, which Excel in every language reads as a date (and then
shows the Danish way); decimal numbers get a decimal comma (``4,5``), which Danish Excel reads as a number; yes/no
as the reader's words. See :func:`cell`.

**Nothing runs.** A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel and
LibreOffice as a formula (``=HYPERLINK("https://…","Klik")`` runs when the file is opened). Such text reaches the
portal from anyone who may type a purpose, a name or a note, and from the import, so every text cell is neutralised
by a leading apostrophe: the spreadsheet shows the text as it was typed and runs nothing. Numbers, dates and times
are written by the portal itself and left as they are.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

# The characters a spreadsheet reads as the start of a formula (OWASP's list, with the full-width forms that some
# spreadsheet versions treat the same way).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
DELIMITER = ";"
LINE_END = "\r\n"
BYTE_ORDER_MARK = "\ufeff"
CONTENT_TYPE = "text/csv; charset=utf-8"


def neutralise(value):
    """The value as a cell that runs nothing: text that could start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def cell(value) -> str | int:
    """``value`` as Danish Excel reads it, and safe: empty for None, the reader's yes/no for a boolean, an integer
    as it is, a decimal number with a decimal comma, a date ``2026-12-08``, a moment in Copenhagen time
    ``2026-12-08 16:00`` (with seconds when it has them), anything else as neutralised text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        return format(Decimal(str(value)), "f").replace(".", ",")
    if isinstance(value, dt.datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return moment.strftime("%Y-%m-%d %H:%M:%S" if moment.second else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    return neutralise(str(value))


def safe_row(values: Iterable) -> list:
    return [cell(value) for value in values]


class _Line:
    """A file-like object whose ``write`` returns the line, so ``csv.writer`` hands each line back."""

    def write(self, value):
        return value


def csv_lines(header: Iterable, rows: Iterable[Iterable]) -> Iterator[str]:
    """The file's text a line at a time: the byte-order mark and the header row first, then one line per row, each
    cell through :func:`cell`. Lazy, so a streamed export never holds the whole file."""
    writer = csv.writer(_Line(), delimiter=DELIMITER, lineterminator=LINE_END)
    yield BYTE_ORDER_MARK + writer.writerow([neutralise(str(name)) for name in header])
    for row in rows:
        yield writer.writerow(safe_row(row))


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename: str, header: Iterable, rows: Iterable[Iterable]) -> HttpResponse:
    """An attachment ``filename`` with the header row and the rows, for Danish Excel, every cell made safe."""
    return _attachment(HttpResponse("".join(csv_lines(header, rows)), content_type=CONTENT_TYPE), filename)


def csv_streaming_response(filename: str, lines: Iterable[str]) -> StreamingHttpResponse:
    """The same as a stream, for an export too long to hold in memory; ``lines`` from :func:`csv_lines`."""
    return _attachment(StreamingHttpResponse(lines, content_type=CONTENT_TYPE), filename)
