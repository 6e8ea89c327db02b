"""Reading the import's files (meetings/imports/reading.py): bytes in, a table or its problems out. No database:
these tests have no ``db`` fixture, so a query would fail them."""

import datetime as dt
import io

import pytest
import tablib
from django.utils import translation

from meetings.imports.reading import cell_text, read_table, source_bytes
from meetings.imports.results import Problems

BLACKOUTS = "workplace,first_day,last_day,reason"


def read(kind: str, text: str | bytes, *, name: str = "fil.csv", max_rows: int = 100):
    problems = Problems()
    problems.names[kind] = name
    data = text.encode("utf-8") if isinstance(text, str) else text
    with translation.override("en"):
        table = read_table(kind, data, name=name, max_rows=max_rows, problems=problems)
    return table, [(p.line, p.column, p.reason) for p in problems.sorted()]


def test_a_file_becomes_rows_of_stripped_text_under_lower_case_headers_with_their_lines():
    text = "\ufeffWorkplace,First_day,last_day,reason\n\n solsikken ,2030-07-01,2030-07-14,Sommer\n"
    table, problems = read("blackouts", text)
    assert problems == []
    assert table.headers == ["workplace", "first_day", "last_day", "reason"]
    assert table.rows == [
        (3, {"workplace": "solsikken", "first_day": "2030-07-01", "last_day": "2030-07-14", "reason": "Sommer"})
    ]


def test_a_quoted_line_break_counts_as_a_line_so_the_next_row_keeps_its_number():
    table, problems = read("blackouts", f'{BLACKOUTS}\nsolsikken,2030-07-01,2030-07-02,"to\nlinjer"\nmyren,,,\n')
    assert [line for line, _values in table.rows] == [4]
    assert [(line, column) for line, column, _reason in problems] == [(2, "reason")]  # one line per cell here


def test_short_rows_are_padded_and_unnamed_columns_are_dropped():
    table, problems = read("blackouts", f"{BLACKOUTS},\nsolsikken,2030-07-01\n")
    assert problems == []
    assert table.rows == [(2, {"workplace": "solsikken", "first_day": "2030-07-01", "last_day": "", "reason": ""})]


def test_a_file_that_is_not_utf8_is_refused_with_the_line_of_the_first_bad_byte():
    table, problems = read("blackouts", f"{BLACKOUTS}\nsolsikken,,,\n".encode() + b"S\xf8ren,,,\n")
    assert table is None
    assert problems == [(3, "", "The file is not UTF-8 text. Save it as 'CSV UTF-8 (comma-separated)' and try again.")]


def test_a_header_row_with_a_missing_or_repeated_column_names_each_and_gives_no_table():
    table, problems = read("blackouts", "workplace,first_day,first_day\nsolsikken,2030-07-01,2030-07-02\n")
    assert table is None
    assert problems == [
        (1, "first_day", "This column appears twice in the header row."),
        (1, "last_day", "This column is missing from the header row."),
        (1, "reason", "This column is missing from the header row."),
    ]


def test_an_empty_file_asks_for_a_header_row():
    assert read("blackouts", "\n\n") == (None, [(1, "", "The first line must name the columns; it is empty.")])


def test_a_file_over_the_limit_is_one_problem_for_the_whole_file():
    rows = "".join(f"solsikken,2030-07-01,2030-07-02,{i}\n" for i in range(5))
    table, problems = read("blackouts", f"{BLACKOUTS}\n{rows}", max_rows=4)
    assert table is None
    assert problems == [(None, "", "The file has more than 4 rows; split it into smaller files.")]
    table, problems = read("blackouts", f"{BLACKOUTS}\n{rows}", max_rows=5)
    assert len(table.rows) == 5 and problems == []


def test_bad_lines_are_reported_and_left_out_while_good_lines_stay():
    text = (
        f"{BLACKOUTS}\n"
        "solsikken,2030-07-01,2030-07-02,Sommer,ekstra\n"
        "solsikken,2030-07-01,2030-07-02,Nul\x00tegn\n"
        "solsikken,2030-07-01,2030-07-02,Klokke\x07\n"
        "myren,2030-07-01,2030-07-02,God\n"
    )
    table, problems = read("blackouts", text)
    assert [line for line, _values in table.rows] == [5]
    assert problems == [
        (2, "", "This line has 5 values but the header row names 4 columns."),
        (3, "", "Null characters are not allowed."),
        (4, "reason", "The text contains an invisible control character (U+0007). Remove it and try again."),
    ]


def test_a_line_break_is_let_through_only_in_the_longer_text_columns():
    header = "slug,name,area,meeting_weekday,meeting_start,meeting_minutes"
    table, problems = read("committees", f'{header}\nkultur,"Kultur\tudvalget","Biblioteker\tog musik",1,16:00,120\n')
    assert [(line, column) for line, column, _reason in problems] == [(2, "name")]
    assert table.rows == []


def test_an_xlsx_workbook_is_read_like_csv_with_its_cells_as_text():
    book = tablib.Dataset(headers=BLACKOUTS.split(","))
    book.append(["solsikken", dt.date(2030, 7, 1), dt.datetime(2030, 7, 14), "Sommer"])
    book.append(["", None, None, None])
    book.append(["myren", "2030-08-01", "2030-08-02", 7.0])
    table, problems = read("blackouts", book.export("xlsx"), name="lukkedage.xlsx")
    assert problems == []
    assert table.rows == [
        (2, {"workplace": "solsikken", "first_day": "2030-07-01", "last_day": "2030-07-14", "reason": "Sommer"}),
        (4, {"workplace": "myren", "first_day": "2030-08-01", "last_day": "2030-08-02", "reason": "7"}),
    ]


def test_a_damaged_workbook_is_refused_as_a_whole():
    table, problems = read("blackouts", b"PK\x03\x04 not really", name="lukkedage.csv")
    assert table is None
    assert problems == [(None, "", "The file cannot be read as an XLSX workbook. Save it as XLSX or CSV.")]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "yes"),
        (False, "no"),
        (dt.datetime(2030, 7, 1), "2030-07-01"),
        (dt.datetime(2030, 7, 1, 9, 30), "2030-07-01 09:30:00"),
        (dt.date(2030, 7, 1), "2030-07-01"),
        (dt.time(16, 0), "16:00"),
        (dt.time(16, 0, 30), "16:00:30"),
        (120.0, "120"),
        (55.5, "55.5"),
        ("Tekst", "Tekst"),
    ],
)
def test_a_spreadsheet_cell_becomes_the_text_a_csv_file_would_hold(value, text):
    assert cell_text(value) == text


def test_a_source_may_be_a_file_a_named_pair_or_bytes_and_only_its_file_name_is_kept():
    upload = io.BytesIO(b"data")
    upload.name = "/home/sekretariat/filer/udvalg.csv"
    upload.read()  # already read once, as an upload may be
    assert source_bytes(upload) == ("udvalg.csv", b"data")
    assert source_bytes(("../personer.csv", "tekst")) == ("personer.csv", b"tekst")
    assert source_bytes(b"data") == ("", b"data")
