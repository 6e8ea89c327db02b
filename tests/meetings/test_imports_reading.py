"""Reading the import's files (meetings/imports/reading.py): bytes in, a table or its problems out. No database:
these tests have no ``db`` fixture, so a query would fail them."""

import datetime as dt
import io

import pytest
import tablib
from django.utils import translation

from meetings.imports.reading import cell_text, read_file, read_table, source_bytes
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


# --- Files as Excel writes them ------------------------------------------------------------------------------------
# Danish Excel's default "CSV (semikolonsepareret)": Windows-1252, ; between cells, CRLF, a cell holding ; quoted, a
# decimal comma, dates as the Danish short date. Its "CSV UTF-8 (kommasepareret)": a byte-order mark, then UTF-8 and ,.
WORKPLACES_DANISH_EXCEL = (
    "slug;name;kind;address;district;committees;seats;step_free;active;latitude;longitude;description\r\n"
    'aeldrecenter-aabo;Ældrecenter Åbo;Plejecenter;Søvej 3, 4000 Dalby;Øst;"aeldre;social";12;ja;ja;55,6412;12,081;'
    "Plejecenter med 40 boliger, café og have.\r\n"
).encode("cp1252")
BLACKOUTS_DANISH_EXCEL = (
    "workplace;first_day;last_day;reason\r\naeldrecenter-aabo;27-06-2030;09-08-2030;Sommerferie på Åbo\r\n"
).encode("cp1252")


def describe(kind: str, data: bytes, *, name: str = "fil.csv") -> str | None:
    problems = Problems()
    with translation.override("da"):
        read = read_file(kind, data, name=name, max_rows=100, problems=problems)
        return read.format.describe() if read.format else None


def test_danish_excels_semicolon_csv_in_windows_1252_is_read_with_its_letters_and_says_so():
    table, problems = read("workplaces", WORKPLACES_DANISH_EXCEL)
    assert problems == []
    ((line, values),) = table.rows
    assert line == 2
    assert values["name"] == "Ældrecenter Åbo" and values["district"] == "Øst"
    assert values["committees"] == "aeldre;social"  # the quoted cell keeps its own ;
    assert values["address"] == "Søvej 3, 4000 Dalby"  # and a , inside a value is no separator
    assert (values["latitude"], values["longitude"]) == ("55,6412", "12,081")
    assert values["description"] == "Plejecenter med 40 boliger, café og have."
    assert describe("workplaces", WORKPLACES_DANISH_EXCEL) == (
        "Læst som CSV adskilt med semikolon, tegnsæt Windows-1252."
    )


def test_excels_csv_utf8_with_a_byte_order_mark_and_commas_is_read_and_says_so():
    data = b"\xef\xbb\xbf" + f"{BLACKOUTS}\r\nsolsikken,2030-07-01,2030-07-14,Sommer på Solsikken\r\n".encode()
    table, problems = read("blackouts", data)
    assert problems == []
    assert table.rows[0][1]["reason"] == "Sommer på Solsikken"
    assert describe("blackouts", data) == "Læst som CSV adskilt med komma, tegnsæt UTF-8 med BOM."


def test_utf8_without_a_byte_order_mark_with_semicolons_is_read_and_says_so():
    data = b"workplace;first_day;last_day;reason\nsolsikken;2030-07-01;2030-07-14;Lukket, ferie\n"
    table, problems = read("blackouts", data)
    assert problems == [] and table.rows[0][1]["reason"] == "Lukket, ferie"
    assert describe("blackouts", data) == "Læst som CSV adskilt med semikolon, tegnsæt UTF-8."


def test_the_separator_is_the_one_that_names_the_files_columns_even_when_the_other_is_more_common_in_the_rows():
    data = b"workplace;first_day;last_day;reason\nsolsikken;2030-07-01;2030-07-14;a, b, c, d, e, f\n"
    assert read("blackouts", data)[0].rows[0][1]["reason"] == "a, b, c, d, e, f"
    # A header in words the import does not know: the separator that splits it into more cells, and the missing
    # columns named one by one (with how the file was read beside them on the page).
    table, problems = read("blackouts", b"arbejdsplads;fra;til;grund\n")
    assert table is None and [column for _line, column, _reason in problems] == [
        "workplace",
        "first_day",
        "last_day",
        "reason",
    ]
    assert describe("blackouts", b"arbejdsplads;fra;til;grund\n").startswith("Læst som CSV adskilt med semikolon")


def test_danish_excels_dates_reach_the_checks_as_written():
    table, problems = read("blackouts", BLACKOUTS_DANISH_EXCEL)
    assert problems == []
    assert table.rows[0][1] == {
        "workplace": "aeldrecenter-aabo",
        "first_day": "27-06-2030",
        "last_day": "09-08-2030",
        "reason": "Sommerferie på Åbo",
    }


def test_a_file_that_mixes_utf8_and_windows_1252_is_refused_with_the_line_rather_than_read_as_garbled_letters():
    data = f"{BLACKOUTS}\nsolsikken,,,Søren\n".encode() + b"myren,,,S\xf8ren\n"
    table, problems = read("blackouts", data)
    assert table is None
    assert problems == [
        (
            3,
            "",
            "The file mixes two character sets: it is UTF-8 text, but this line is not. Save the file again from "
            "Excel as CSV or XLSX, and try again.",
        )
    ]


def test_a_file_that_begins_with_a_utf8_byte_order_mark_but_is_not_utf8_is_refused():
    data = b"\xef\xbb\xbf" + f"{BLACKOUTS}\r\n".encode() + b"myren,,,S\xf8ren\r\n"
    table, problems = read("blackouts", data)
    assert table is None and problems[0][0] == 2 and "mixes two character sets" in problems[0][2]


def test_a_file_that_is_neither_utf8_nor_windows_1252_is_refused_in_danish_with_the_line():
    data = f"{BLACKOUTS}\r\nsolsikken,,,\r\n".encode() + b"myren,,,\x81\x8d\r\n"
    table, problems = read("blackouts", data)
    assert table is None
    assert [(line, reason.split(",")[0]) for line, _column, reason in problems] == [
        (3, "The file is neither UTF-8 nor Windows-1252 text")
    ]
    problems = Problems()
    with translation.override("da"):
        read_file("blackouts", data, name="fil.csv", max_rows=10, problems=problems)
    assert problems.items[0].reason.startswith("Filen er hverken UTF-8- eller Windows-1252-tekst")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (f"{BLACKOUTS}\r\n".encode("utf-16"), "The file is Unicode text (UTF-16), not CSV."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "The file is an old Excel workbook (.xls)."),
    ],
)
def test_other_things_excel_saves_are_refused_with_what_to_save_instead(data, reason):
    table, problems = read("blackouts", data)
    assert table is None
    ((line, column, text),) = problems
    assert (line, column) == (None, "") and text.startswith(reason) and "XLSX" in text


def test_a_workbook_says_which_sheet_was_read():
    book = tablib.Dataset(headers=BLACKOUTS.split(","), title="Lukkedage")
    book.append(["solsikken", dt.date(2030, 7, 1), dt.date(2030, 7, 14), "Sommer"])
    assert describe("blackouts", book.export("xlsx"), name="lukkedage.xlsx") == (
        "Læst som Excel-projektmappe (XLSX), arket »Lukkedage«."
    )


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
