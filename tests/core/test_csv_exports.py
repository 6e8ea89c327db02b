"""Every CSV export opens in Danish Excel as it is (a double-click, no import wizard) and runs nothing.

Danish Excel opens a CSV file with the system's list separator ``;``, reads it as UTF-8 only when it starts with a
byte-order mark (Windows-1252 otherwise), ends a record at CRLF, reads ``2026-12-08 16:00`` as a date and time and
``4,5`` as a number. :func:`open_in_danish_excel` opens a file that way and refuses one it would garble; each export
of the portal goes through it: the visits (the secretariat's page and the admin's action) and the audit log.
"""

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from core.audit import audit_record
from core.exports import cell, csv_lines, csv_response
from tests import factories
from tests.meetings.visits.conftest import book

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
MOMENT = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?")


def open_in_danish_excel(body: bytes) -> list[list[str]]:
    """The rows as Danish Excel shows them on a double-click; fails on a file it would read wrongly."""
    assert body.startswith(b"\xef\xbb\xbf"), "without a byte-order mark Excel reads Windows-1252: æøå garbled"
    text = body.decode("utf-8-sig")
    outside_quotes = re.sub(r'"(?:[^"]|"")*"', "", text)  # a line break inside a cell is LF, as Excel's Alt+Enter
    assert text.endswith("\r\n") and outside_quotes.count("\n") == outside_quotes.count("\r\n"), "records end in CRLF"
    header = text.split("\r\n", 1)[0]
    assert ";" in header and "," not in header, "Danish Excel splits cells at ; (the list separator), not ,"
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def as_excel_moment(text: str) -> dt.datetime:
    assert MOMENT.fullmatch(text), f"{text!r} is not a date and time Excel reads"
    return dt.datetime.fromisoformat(text)


# --- The writer -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (7, 7),
        (-5, -5),
        (Decimal("4.5"), "4,5"),
        (Decimal("-12.25"), "-12,25"),  # a number, not text: no apostrophe
        (55.6412, "55,6412"),
        (1e-05, "0,00001"),
        (dt.date(2026, 12, 8), "2026-12-08"),
        (dt.datetime(2026, 12, 8, 16, 0), "2026-12-08 16:00"),
        (dt.time(9, 30), "09:30"),
        ("Børnehuset Solsikken", "Børnehuset Solsikken"),
        ("-2+3", "'-2+3"),
        ("=1+1", "'=1+1"),
    ],
)
def test_a_value_becomes_the_cell_danish_excel_reads(value, expected):
    assert cell(value) == expected


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (dt.datetime(2026, 6, 16, 13, 30, tzinfo=dt.UTC), "2026-06-16 15:30"),  # summer: UTC+2
        (dt.datetime(2026, 12, 8, 15, 0, tzinfo=dt.UTC), "2026-12-08 16:00"),  # winter: UTC+1
        (dt.datetime(2026, 12, 8, 15, 0, 5, 250, tzinfo=dt.UTC), "2026-12-08 16:00:05"),
    ],
)
def test_a_moment_is_written_in_copenhagen_time_with_seconds_only_when_it_has_them(moment, shown):
    assert cell(moment) == shown


def test_yes_and_no_are_the_readers_words():
    with translation.override("da"):
        assert [cell(True), cell(False)] == ["Ja", "Nej"]


def test_a_cell_holding_the_separator_quotes_or_a_line_break_survives_the_round_trip():
    text = 'Mål; "at se" sprogarbejdet\nog legepladsen'
    rows = open_in_danish_excel(csv_response("x.csv", ["Formål", "Antal"], [[text, 3]]).content)
    assert rows == [["Formål", "Antal"], [text, "3"]]


def test_the_lines_are_made_one_at_a_time_so_a_stream_never_holds_the_whole_file():
    def endless():
        n = 0
        while True:
            n += 1
            yield [n]

    lines = csv_lines(["Nr."], endless())
    assert [next(lines) for _ in range(3)] == ["\ufeffNr.\r\n", "1\r\n", "2\r\n"]


# --- Each export ------------------------------------------------------------------------------------------------


@pytest.fixture
def booked(cast):
    """A visit in summer time, with a purpose holding Danish letters, the separator and a would-be formula."""
    start = dt.datetime(2030, 6, 18, 9, 30, tzinfo=COPENHAGEN)
    slot = factories.VisitSlotFactory(
        workplace=cast.workplace, offer__created_by=cast.leader, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    return book(slot, cast.member, purpose="=Se sprogarbejdet; også i vuggestuen")


def _visit_row(rows, visit):
    (row,) = [r for r in rows[1:] if r[0] == str(visit.pk)]
    return row


@pytest.mark.django_db
def test_the_visits_export_opens_in_danish_excel_with_copenhagen_times(client_for, cast, booked):
    response = client_for(cast.administrator).get(reverse("meetings:visit-export"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = open_in_danish_excel(response.content)
    assert rows[0][:4] == ["Besøg", "Arbejdsplads", "Starter", "Slutter"]
    row = _visit_row(rows, booked)
    assert row[1] == "Børnehuset Solsikken"
    assert as_excel_moment(row[2]) == dt.datetime(2030, 6, 18, 9, 30)  # Copenhagen, not UTC (7.30)
    assert as_excel_moment(row[3]) == dt.datetime(2030, 6, 18, 10, 30)
    assert row[-1] == "'=Se sprogarbejdet; også i vuggestuen"


@pytest.mark.django_db
def test_the_admins_visits_action_writes_the_same_file_for_danish_excel(client_for, cast, booked):
    response = client_for(cast.administrator).post(
        reverse("admin:meetings_visit_changelist"),
        {"action": "export_visits_csv", "_selected_action": [booked.pk]},
    )
    rows = open_in_danish_excel(response.content)
    row = _visit_row(rows, booked)
    assert as_excel_moment(row[2]) == dt.datetime(2030, 6, 18, 9, 30)
    assert row[-1] == "'=Se sprogarbejdet; også i vuggestuen"


@pytest.mark.django_db
def test_the_audit_log_export_opens_in_danish_excel_with_its_times_as_dates(client_for, cast):
    prankster = factories.UserFactory(full_name="@Ærlige Åge; formand")
    audit_record(actor=prankster, action="visit.requested", obj=cast.workplace)
    response = client_for(cast.administrator).get(reverse("auditlog:entry-export"))
    rows = open_in_danish_excel(b"".join(response.streaming_content))
    assert rows[0][:3] == ["Nr.", "Tidspunkt", "Person"]
    (row,) = [r for r in rows[1:] if r[2].endswith("Ærlige Åge; formand")]
    assert row[2] == "'@Ærlige Åge; formand"
    assert row[0].isdigit()
    moment = as_excel_moment(row[1])
    assert abs(moment - dt.datetime.now(COPENHAGEN).replace(tzinfo=None)) < dt.timedelta(minutes=5)
