"""Reading the import's files: bytes in, a table of stripped text cells out (or the problems why not). Pure: no ORM.

XLSX (the active sheet, normally the first) is read with openpyxl, row by row; CSV with the standard csv module,
because tablib's CSV reader drops blank lines and refuses rows of uneven length, and we promise the person fixing
the file the exact line of every problem. Line 1 is the header row; in XLSX a line is a spreadsheet row. Both
readers stop one row past the limit, so a huge file costs no more than a file just over it.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import PurePath

import openpyxl
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.validators import control_character_message, control_characters

from .columns import COLUMNS, MULTILINE_COLUMNS
from .results import Problems

Records = list[tuple[int, list[str]]]  # (line, cells as text), blank lines left out


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line, {column: stripped text})


def source_bytes(source) -> tuple[str, bytes]:
    """The file's name (without folders) and content, from a file-like object, a ``(name, bytes)`` pair or bytes."""
    if isinstance(source, tuple):
        name, data = source
    elif isinstance(source, bytes | bytearray):
        name, data = "", source
    else:
        if hasattr(source, "seek"):
            source.seek(0)
        name, data = getattr(source, "name", "") or "", source.read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    return PurePath(str(name)).name, bytes(data)


def looks_like_xlsx(name: str, data: bytes) -> bool:
    return data.startswith(b"PK\x03\x04") or name.lower().endswith(".xlsx")


def cell_text(value) -> str:
    """A spreadsheet cell as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _blank(cells) -> bool:
    return not any(str(c).strip() for c in cells)


def read_table(kind: str, data: bytes, *, name: str, max_rows: int, problems: Problems) -> Table | None:
    """One file as a table of its known columns, or None when it cannot be read or its header is wrong (the
    problems say why). Rows with problems of their own (too many values, control characters) are left out of
    the table and reported."""
    read = _xlsx_records if looks_like_xlsx(name, data) else _csv_records
    records = read(kind, data, max_rows=max_rows, problems=problems)
    if records is None:
        return None
    return _table(kind, records, max_rows=max_rows, problems=problems)


def _csv_records(kind: str, data: bytes, *, max_rows: int, problems: Problems) -> Records | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.add(
            kind,
            data.count(b"\n", 0, exc.start) + 1,
            "",
            _("The file is not UTF-8 text. Save it as 'CSV UTF-8 (comma-separated)' and try again."),
        )
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    records: Records = []
    line = 1
    try:
        for cells in reader:
            if not records or not _blank(cells):
                records.append((line, cells))
            line = reader.line_num + 1
            if len(records) > max_rows + 1:  # the header and one row too many: stop reading
                break
    except csv.Error as exc:
        problems.add(kind, line, "", _("The file cannot be read as CSV: %(error)s") % {"error": exc})
        return None
    return records


def _xlsx_records(kind: str, data: bytes, *, max_rows: int, problems: Problems) -> Records | None:
    # Row by row, and only as far as the limit, like the CSV reader: a workbook of a million rows is
    # refused after reading one row too many, not after loading them all.
    records = []
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for line, row in enumerate(book.active.iter_rows(values_only=True), start=1):
                cells = [cell_text(value) for value in row]
                if line == 1 or not _blank(cells):
                    records.append((line, cells))
                if len(records) > max_rows + 1:  # the header and one row too many: stop reading
                    break
        finally:
            book.close()
    except Exception:  # openpyxl and zipfile raise many kinds; all mean the same to the person
        problems.add(kind, None, "", _("The file cannot be read as an XLSX workbook. Save it as XLSX or CSV."))
        return None
    return records


def _table(kind: str, records: Records, *, max_rows: int, problems: Problems) -> Table | None:
    if not records or _blank(records[0][1]):
        problems.add(kind, 1, "", _("The first line must name the columns; it is empty."))
        return None
    headers = [str(h).strip().lower() for h in records[0][1]]
    bad_header = False
    for i, name in enumerate(headers):
        if name and name in headers[:i]:
            problems.add(kind, 1, name, _("This column appears twice in the header row."))
            bad_header = True
    for column in COLUMNS[kind]:
        if column.required and column.name not in headers:
            problems.add(kind, 1, column.name, _("This column is missing from the header row."))
            bad_header = True
    if bad_header:
        return None
    data_rows = records[1:]
    if len(data_rows) > max_rows:
        problems.add(
            kind,
            None,
            "",
            ngettext(
                "The file has more than %(max)d row; split it into smaller files.",
                "The file has more than %(max)d rows; split it into smaller files.",
                max_rows,
            )
            % {"max": max_rows},
        )
        return None
    rows = []
    for line, cells in data_rows:
        if len(cells) > len(headers) and not _blank(cells[len(headers) :]):
            problems.add(
                kind,
                line,
                "",
                _("This line has %(found)d values but the header row names %(expected)d columns.")
                % {"found": len(cells), "expected": len(headers)},
            )
            continue
        cells = [str(c).strip() for c in cells] + [""] * (len(headers) - len(cells))
        if any("\x00" in cell for cell in cells):  # PostgreSQL cannot store them: refuse, not crash
            problems.add(kind, line, "", _("Null characters are not allowed."))
            continue
        values = {name: value for name, value in zip(headers, cells, strict=False) if name}
        # Invisible control characters break pages and e-mail subjects: name each cell, with the code.
        controlled = False
        for name, value in values.items():
            found = control_characters(value, line_breaks=name in MULTILINE_COLUMNS.get(kind, ()))
            if found:
                problems.add(kind, line, name, control_character_message(found))
                controlled = True
        if not controlled:
            rows.append((line, values))
    return Table(headers=headers, rows=rows)
