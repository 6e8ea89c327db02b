"""The import takes the files as Danish Excel saves them, and says how it read each one (issue 15).

The secretariat opens the sample files in Danish Excel, edits them and saves. Excel's default, "CSV
(semikolonsepareret)", writes Windows-1252 with ``;`` between cells and CRLF line ends, quotes a cell that holds ``;``,
writes the date cells as the Danish short date (01-07-2026) and decimals with a comma; its "CSV UTF-8
(kommasepareret)" writes a byte-order mark, UTF-8 and ``,``. The portal used to refuse the first with six misleading
"column missing" errors. :func:`as_danish_excel` writes the sample files the way Excel does.
"""

import csv
import io
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from meetings.imports import organisation_import
from meetings.models import Blackout, Committee, User, Workplace

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"
KINDS = ("committees", "workplaces", "people", "blackouts", "history")
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
DECIMAL = re.compile(r"-?\d+\.\d+")
SEMICOLON_1252 = "Læst som CSV adskilt med semikolon, tegnsæt Windows-1252."


def as_danish_excel(kind: str) -> bytes:
    """The sample file as Danish Excel's "CSV (semikolonsepareret)" saves it after opening it."""
    rows = list(csv.reader(io.StringIO((SAMPLES / f"{kind}.csv").read_text(encoding="utf-8"))))
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")  # Excel quotes only what must be quoted
    for row in rows:
        cells = []
        for value in row:
            if match := ISO_DATE.fullmatch(value):
                value = f"{match[3]}-{match[2]}-{match[1]}"  # a date cell, in the Danish short date
            elif DECIMAL.fullmatch(value):
                value = value.rstrip("0").replace(".", ",")  # a number cell, with a decimal comma
            cells.append(value)
        writer.writerow(cells)
    return out.getvalue().encode("cp1252")


def as_excel_utf8(kind: str) -> bytes:
    """The sample file as Excel's "CSV UTF-8 (kommasepareret)" saves it: a byte-order mark, commas, CRLF."""
    text = (SAMPLES / f"{kind}.csv").read_text(encoding="utf-8")
    return b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()


def test_the_sample_files_saved_by_danish_excel_really_are_windows_1252_semicolons_and_danish_dates():
    data = as_danish_excel("blackouts")
    assert b";" in data and b"\r\n" in data and b"bes\xf8g" in data  # ø as one Windows-1252 byte
    assert not data.startswith(b"\xef\xbb\xbf")
    assert re.search(rb"\d\d-\d\d-\d{4}", data)
    assert b'"' in as_danish_excel("workplaces")  # a cell holding ; (two committees) is quoted


def test_all_five_files_saved_by_danish_excel_import_like_the_originals_and_each_says_how_it_was_read():
    with translation.override("da"):
        result = organisation_import(**{kind: (f"{kind}.csv", as_danish_excel(kind)) for kind in KINDS})
    assert [str(read) for read in result.files] == [
        *(f"{kind}.csv: {SEMICOLON_1252}" for kind in KINDS[:4]),
        # No letter beyond a–z: it reads the same in both, and is told as the first tried.
        "history.csv: Læst som CSV adskilt med semikolon, tegnsæt UTF-8.",
    ]
    assert result["committees"].created == 3 and result["workplaces"].created == 5
    assert User.objects.get(email="birthe.lyngbaek@dalby.example").full_name == "Birthe Lyngbæk"
    blackout = Blackout.objects.get(workplace__slug="dalby-skole")
    assert (blackout.first_day.isoformat(), blackout.last_day.isoformat()) == ("2026-06-27", "2026-08-09")
    workplace = Workplace.objects.get(slug="dalby-skole")
    assert str(workplace.latitude) == "55.641200"
    # The very same files as UTF-8 change nothing: the two readings agree on every value.
    again = organisation_import(**{kind: (f"{kind}.csv", (SAMPLES / f"{kind}.csv").read_bytes()) for kind in KINDS})
    assert not again.changed


def test_excels_csv_utf8_imports_and_says_so():
    with translation.override("da"):
        result = organisation_import(committees=("udvalg.csv", as_excel_utf8("committees")))
    assert [str(read) for read in result.files] == [
        "udvalg.csv: Læst som CSV adskilt med komma, tegnsæt UTF-8 med BOM."
    ]
    assert Committee.objects.count() == 3


def test_the_command_prints_how_each_file_was_read(tmp_path):
    args = []
    for kind in ("committees", "workplaces"):
        path = tmp_path / f"{kind}.csv"
        path.write_bytes(as_danish_excel(kind))
        args += [f"--{kind}", str(path)]
    out = StringIO()
    with translation.override("da"):
        call_command("import_organisation", *args, stdout=out, stderr=StringIO())
    lines = out.getvalue().splitlines()
    assert f"committees.csv: {SEMICOLON_1252}" in lines
    assert f"workplaces.csv: {SEMICOLON_1252}" in lines


def test_the_page_says_how_each_file_was_read_after_the_import(client_for, cast):
    files = {kind: SimpleUploadedFile(f"{kind}.csv", as_danish_excel(kind)) for kind in ("committees", "workplaces")}
    response = client_for(cast.administrator).post(
        reverse("meetings:organisation-import"), files, follow=True, HTTP_ACCEPT_LANGUAGE="da"
    )
    messages = [str(m) for m in response.context["messages"]]
    assert messages[1] == f"committees.csv: {SEMICOLON_1252} workplaces.csv: {SEMICOLON_1252}"
    assert Workplace.objects.filter(slug="jobcenter-dalby").exists()


def test_the_page_says_how_a_refused_file_was_read_beside_its_problems(client_for, cast):
    people = as_danish_excel("people") + "ny@dalby.example;Ny Nielsen;borgmester;;;;;\r\n".encode("cp1252")
    files = {"people": SimpleUploadedFile("personer.csv", people)}
    response = client_for(cast.administrator).post(
        reverse("meetings:organisation-import"), files, HTTP_ACCEPT_LANGUAGE="da"
    )
    html = response.content.decode()
    assert response.context["problems"]
    assert "Sådan blev filerne læst" in html
    files_read = re.search(r'data-testid="files-read">(.*?)</ul>', html, re.DOTALL)[1]
    assert f"personer.csv: {SEMICOLON_1252}" in files_read
