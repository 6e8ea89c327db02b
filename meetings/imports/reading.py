"""Reading the import's files: bytes in, a table of stripped text cells out (or the problems why not). Pure: no ORM.

XLSX (the active sheet, normally the first) is read with openpyxl, row by row; CSV with the standard csv module,
because tablib's CSV reader drops blank lines and refuses rows of uneven length, and we promise the person fixing
the file the exact line of every problem. Line 1 is the header row; in XLSX a line is a spreadsheet row. Both
readers stop one row past the limit, so a huge file costs no more than a file just over it.

CSV comes as Excel writes it: Danish Excel's default "CSV (semikolonsepareret)" is Windows-1252 with ``;`` between
cells, its "CSV UTF-8" is UTF-8 with a byte-order mark and ``,``, and other tools write UTF-8 without one. The
separator is found in the header row (the one that names the file's columns) and the character set by trying UTF-8
first; every file says how it was read (:meth:`FileFormat.describe`), so a person whose file was read another way
than they meant sees it at once.
"""

import codecs
import csv
import datetime as dt
import io
import re
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


SEPARATORS = (";", ",")
UTF8, UTF8_BOM, WINDOWS_1252 = "utf-8", "utf-8-sig", "cp1252"
ENCODING_NAMES = {UTF8: "UTF-8", WINDOWS_1252: "Windows-1252"}
# An old Excel 97–2003 workbook (.xls): an OLE2 compound file.
XLS_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A UTF-8 sequence of two bytes (æ, ø, å, é … are C3 xx) or three ("–" is E2 80 93). In a Windows-1252 file these
# are an accented letter followed by symbols ("Ã¸", "â€“"), which Danish text does not hold; in a file that is not
# UTF-8 they mean the file mixes the two.
UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")


@dataclass(frozen=True)
class FileFormat:
    """How a file was read: an XLSX workbook (which sheet), or CSV (which separator and which character set)."""

    kind: str  # "csv" or "xlsx"
    separator: str = ""  # ";" or ","
    encoding: str = ""  # UTF8, UTF8_BOM or WINDOWS_1252
    sheet: str = ""

    def describe(self) -> str:
        """In words: "Read as CSV separated by semicolons, character set Windows-1252." """
        if self.kind == "xlsx":
            return _("Read as an Excel workbook (XLSX), the sheet »%(sheet)s«.") % {"sheet": self.sheet}
        encoding = _("UTF-8 with byte-order mark") if self.encoding == UTF8_BOM else ENCODING_NAMES[self.encoding]
        if self.separator == ";":
            return _("Read as CSV separated by semicolons, character set %(encoding)s.") % {"encoding": encoding}
        return _("Read as CSV separated by commas, character set %(encoding)s.") % {"encoding": encoding}


@dataclass
class ReadFile:
    """A file as read: its format (None when not even that could be told) and its table (None when refused)."""

    format: FileFormat | None
    table: Table | None


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
    return read_file(kind, data, name=name, max_rows=max_rows, problems=problems).table


def read_file(kind: str, data: bytes, *, name: str, max_rows: int, problems: Problems) -> ReadFile:
    """Like :func:`read_table`, and how the file was read, told even when its header row is refused (a header read
    with the wrong separator is the commonest reason)."""
    if looks_like_xlsx(name, data):
        sheet, records = _xlsx_records(kind, data, max_rows=max_rows, problems=problems)
        file_format = FileFormat("xlsx", sheet=sheet) if records is not None else None
    else:
        file_format, records = _csv_records(kind, data, max_rows=max_rows, problems=problems)
    if records is None:
        return ReadFile(file_format, None)
    return ReadFile(file_format, _table(kind, records, max_rows=max_rows, problems=problems))


def _line_of(data: bytes, offset: int) -> int:
    """The line (from 1) a byte offset is on, counting CRLF, LF and a lone CR as Excel and the csv module do."""
    head = data[:offset]
    return head.count(b"\n") + head.replace(b"\r\n", b"\n").count(b"\r") + 1


def decode(data: bytes, *, kind: str, problems: Problems) -> tuple[str, str] | None:
    """The file's text and its character set: UTF-8 (with or without a byte-order mark), else Windows-1252, which
    Danish Excel's "CSV (semikolonsepareret)" writes. None, with a problem that says what to do, for anything else:
    a file that mixes the two, UTF-16 ("Unicode-tekst"), an old .xls workbook, or bytes no character set explains."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        problems.add(
            kind,
            None,
            "",
            _(
                "The file is Unicode text (UTF-16), not CSV. In Excel, save it as CSV (semicolon- or "
                "comma-separated) or as an Excel workbook (XLSX), and try again."
            ),
        )
        return None
    if data.startswith(XLS_SIGNATURE):
        problems.add(
            kind,
            None,
            "",
            _("The file is an old Excel workbook (.xls). In Excel, save it as XLSX or CSV, and try again."),
        )
        return None
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data.decode(UTF8_BOM), UTF8_BOM
        return data.decode(UTF8), UTF8
    except UnicodeDecodeError as exc:
        not_utf8 = exc.start
    if data.startswith(codecs.BOM_UTF8) or UTF8_SEQUENCE.search(data):
        # Partly UTF-8: reading it as Windows-1252 would import "SÃ¸ren" for Søren. Refuse, naming the line.
        problems.add(
            kind,
            _line_of(data, not_utf8),
            "",
            _(
                "The file mixes two character sets: it is UTF-8 text, but this line is not. Save the file again "
                "from Excel as CSV or XLSX, and try again."
            ),
        )
        return None
    try:
        return data.decode(WINDOWS_1252), WINDOWS_1252
    except UnicodeDecodeError as exc:
        problems.add(
            kind,
            _line_of(data, exc.start),
            "",
            _(
                "The file is neither UTF-8 nor Windows-1252 text, so its letters cannot be read (the first "
                "unreadable character is on this line). Save it from Excel as CSV or XLSX, and try again."
            ),
        )
        return None


def separator(kind: str, text: str) -> str:
    """``;`` or ``,``: the one that splits the header row (line 1) into more of the file's own column names, or, when
    neither names one, into more cells; a tie is ``,``. The header row only, because a value may hold either."""
    header = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]
    known = {column.name for column in COLUMNS[kind]}

    def score(candidate: str) -> tuple[int, int]:
        try:
            cells = next(csv.reader([header], delimiter=candidate), [])
        except csv.Error:  # the reader reports it properly, with its line
            return 0, 0
        return len({cell.strip().lower() for cell in cells} & known), len(cells)

    return max(reversed(SEPARATORS), key=score)


def _csv_records(
    kind: str, data: bytes, *, max_rows: int, problems: Problems
) -> tuple[FileFormat | None, Records | None]:
    decoded = decode(data, kind=kind, problems=problems)
    if decoded is None:
        return None, None
    text, encoding = decoded
    file_format = FileFormat("csv", separator=separator(kind, text), encoding=encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=file_format.separator)
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
        return file_format, None
    return file_format, records


def _xlsx_records(kind: str, data: bytes, *, max_rows: int, problems: Problems) -> tuple[str, Records | None]:
    # Row by row, and only as far as the limit, like the CSV reader: a workbook of a million rows is
    # refused after reading one row too many, not after loading them all.
    records = []
    sheet = ""
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.active.title
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
        return sheet, None
    return sheet, records


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
