"""CSV files for spreadsheets, made safe: every export of the portal writes through :func:`csv_response`.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel and LibreOffice as
a formula (``=HYPERLINK("https://…","Klik")`` runs when the file is opened). Such text reaches the portal from
anyone who may type a purpose, a name or a note, and from the import, so every text cell is neutralised by a
leading apostrophe: the spreadsheet shows the text as it was typed and runs nothing. Numbers and dates are written
as they are. The files are UTF-8 with a byte-order mark and ``;`` between cells, as Danish Excel expects.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.http import HttpResponse

# The characters a spreadsheet reads as the start of a formula (OWASP's list, with the full-width forms that some
# spreadsheet versions treat the same way).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
DELIMITER = ";"


def neutralise(value):
    """The value as a cell that runs nothing: text that could start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    return [neutralise("" if value is None else value) for value in values]


def csv_response(filename: str, header: Iterable, rows: Iterable[Iterable]) -> HttpResponse:
    """An attachment ``filename`` with the header row and the rows, every cell neutralised."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so Excel reads the Danish letters
    writer = csv.writer(response, delimiter=DELIMITER)
    writer.writerow(safe_row(str(cell) for cell in header))
    for row in rows:
        writer.writerow(safe_row(row))
    return response
