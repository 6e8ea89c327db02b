"""Bad input on the organisation import (issue 8): a file with any bad row imports nothing and names every bad
row, malformed files are refused with a Danish explanation and never crash, and a file at the row limit imports
in bounded memory while one row more is refused with a clear message.

The import is driven three ways: the service (meetings.imports), the secretariat's upload page, and the
``import_organisation`` command.
"""

import csv
import datetime as dt
import io
import re
import tracemalloc
from collections import Counter

import pytest
import tablib
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings.imports import COLUMNS, OrganisationImportError, organisation_import
from meetings.models import (
    Blackout,
    Committee,
    CommitteeMembership,
    District,
    Hosting,
    User,
    Workplace,
    WorkplaceKind,
    WorkplaceRole,
)

from . import figures
from .hostile import PAYLOADS, is_danish, runnable_in

pytestmark = pytest.mark.django_db

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
TALLY = Counter()
MODELS = (Committee, Workplace, User, CommitteeMembership, WorkplaceRole, Blackout, WorkplaceKind, District, Hosting)
MB = 1024 * 1024
CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def stored() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


# --- A valid organisation, then corrupted rows --------------------------------------------------------------------

# Valid extras for names: markup, Danish letters, emoji, a comma and quotes (the writer quotes them).
EXTRAS = ["", PAYLOADS[0], PAYLOADS[1], "ÆØÅ æøå", "😀", "\u202eRTL", "a, b", 'siger "hej"', "a\u200bb"]

# Values that make a cell wrong whatever the rest of the row says (no line breaks, so line numbers stay put).
BAD = {
    "committees": {
        "slug": ["bad slug!", PAYLOADS[0], "x" * 51, "æøå"],
        "name": ["", "x" * 201, "Kultur\x0budvalget"],
        "meeting_weekday": ["0", "8", "-1", "tirsdag", "1e3", "9" * 30, ""],
        "meeting_start": ["25:00", "16:60", "x", "", "24:00"],
        "meeting_minutes": ["14", "1441", "-5", "abc", "", "NaN"],
        "active": ["maybe", PAYLOADS[1]],
    },
    "workplaces": {
        "slug": ["bad slug!", PAYLOADS[1], ""],
        "name": ["", "y" * 201],
        "address": [""],
        "seats": ["-1", "100001", "x", "1e400"],
        "step_free": ["perhaps"],
        "active": ["måske"],
        "latitude": ["91", "abc", "NaN", "Infinity", "-90.5"],
        "committees": ["bad slug!", "udvalg-0;udvalg-0"],
        "kind": ["!!!", ""],
        "district": [""],
    },
    "people": {
        "email": ["not-an-email", "a@b", f"{PAYLOADS[0]}@dalby.example", ""],
        "full_name": ["", "z" * 201, "Anne\x1b[31mHansen", "Anne\x85Hansen"],
        "role": ["king", "", PAYLOADS[0]],
        "start_date": ["2026-02-30", "0000-01-01", "12/31/2026", "31.13.2026"],
    },
    "blackouts": {
        "workplace": ["bad slug!", PAYLOADS[0], ""],
        "first_day": ["2026-02-30", "0000-01-01", "12/31/2026", "30-02-2026", ""],
        "last_day": ["2000-01-01", "9999-99-99", ""],
        "reason": ["r" * 201, "Ferie\x7f"],
    },
}
HEADERS = {kind: [c.name for c in COLUMNS[kind]] for kind in ("committees", "workplaces", "people", "blackouts")}


@st.composite
def organisations(draw):
    """Four files of valid rows (names may carry markup and odd characters)."""
    extra = st.sampled_from(EXTRAS)
    committees = [
        {
            "slug": f"udvalg-{i}",
            "name": f"Udvalg {i} {draw(extra)}",
            "area": draw(extra),
            "meeting_weekday": str(draw(st.integers(1, 7))),
            "meeting_start": "16:00",
            "meeting_minutes": str(draw(st.integers(15, 1440))),
            "active": "ja",
        }
        for i in range(draw(st.integers(1, 3)))
    ]
    workplaces = [
        {
            "slug": f"sted-{j}",
            "name": f"Sted {j} {draw(extra)}",
            "kind": draw(st.sampled_from(["Skole", "Dagtilbud", "Plejecenter"])),
            "address": f"Torvet {j}",
            "district": draw(st.sampled_from(["Nord", "Syd"])),
            "committees": f"udvalg-{j % len(committees)}",
            "seats": str(draw(st.integers(0, 100))),
            "step_free": "ja",
            "active": "ja",
            "latitude": "55.1",
            "longitude": "12.2",
            "description": draw(extra),
        }
        for j in range(draw(st.integers(1, 3)))
    ]
    people = []
    for k in range(draw(st.integers(1, 4))):
        politician = draw(st.booleans())
        people.append(
            {
                "email": f"person{k}@dalby.example",
                "full_name": f"Person {k} {draw(extra)}",
                "role": "politician" if politician else "leader",
                "committee": f"udvalg-{k % len(committees)}" if politician else "",
                "committee_role": "member" if politician else "",
                "workplace": "" if politician else f"sted-{k % len(workplaces)}",
                "title": "",
                "start_date": "",
            }
        )
    blackouts = [
        {
            "workplace": f"sted-{b % len(workplaces)}",
            "first_day": (dt.date(2030, 1, 1) + dt.timedelta(days=10 * b)).isoformat(),
            "last_day": (dt.date(2030, 1, 5) + dt.timedelta(days=10 * b)).isoformat(),
            "reason": draw(extra),
        }
        for b in range(draw(st.integers(0, 3)))
    ]
    return {"committees": committees, "workplaces": workplaces, "people": people, "blackouts": blackouts}


def encode(kind: str, rows: list, *, fmt: str, extra_cells: set) -> tuple[str, bytes]:
    """One file; data row i is on line i + 2 in every format."""
    records = [HEADERS[kind]] + [[row.get(c, "") for c in HEADERS[kind]] for row in rows]
    if fmt == "xlsx":
        book = tablib.Dataset(headers=records[0])
        for record in records[1:]:
            book.append(record)
        return f"{kind}.xlsx", book.export("xlsx")
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n" if fmt == "csv-crlf" else "\n")
    for i, record in enumerate(records):
        writer.writerow(record + (["x", PAYLOADS[0]] if i - 1 in extra_cells else []))
    data = out.getvalue().encode("utf-8")
    return f"{kind}.csv", (b"\xef\xbb\xbf" + data) if fmt == "csv-bom" else data


@st.composite
def corrupted(draw):
    """A valid organisation with some rows made bad: the files and the (file, line) of every bad row."""
    org = draw(organisations())
    fmt = draw(st.sampled_from(["csv", "csv-crlf", "csv-bom", "xlsx"]))
    rows = [(kind, i) for kind, kind_rows in org.items() for i in range(len(kind_rows))]
    chosen = draw(st.sets(st.sampled_from(rows), min_size=1, max_size=min(4, len(rows))))
    extra_cells = {kind: set() for kind in org}
    for kind, i in sorted(chosen):
        if fmt != "xlsx" and draw(st.integers(0, 5)) == 0:
            extra_cells[kind].add(i)  # more values than columns
            continue
        column = draw(st.sampled_from(sorted(BAD[kind])))
        # XLSX cannot hold control characters at all (the workbook's XML refuses them): those are CSV's.
        values = [v for v in BAD[kind][column] if fmt != "xlsx" or not CONTROL.search(v)]
        org[kind][i][column] = draw(st.sampled_from(values))
    files = {
        kind: encode(kind, kind_rows, fmt=fmt, extra_cells=extra_cells[kind])
        for kind, kind_rows in org.items()
        if kind_rows
    }
    bad = {(files[kind][0], i + 2) for kind, i in chosen}
    return files, bad


def _via_service(files, client, tmp_path):
    with translation.override("da"), pytest.raises(OrganisationImportError) as refused:
        organisation_import(**files)
    problems = refused.value.problems
    for problem in problems:
        assert is_danish(problem.reason), problem.reason
    return {(p.file, p.line) for p in problems}


def _via_page(files, client, tmp_path):
    uploads = {kind: SimpleUploadedFile(name, data) for kind, (name, data) in files.items()}
    response = client.post(reverse("meetings:organisation-import"), uploads)
    assert response.status_code == 200
    content = response.content.decode()
    assert not runnable_in(content)
    problems = response.context["problems"]
    assert problems, "refused without naming a row"
    for problem in problems:
        assert is_danish(problem.reason), problem.reason
    (message,) = [str(m) for m in response.context["messages"]]
    assert is_danish(message), message
    return {(p.file, p.line) for p in problems}


def _via_command(files, client, tmp_path):
    arguments = []
    for kind, (name, data) in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        arguments += [f"--{kind}", str(path)]
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_organisation", *arguments, stderr=err)
    # Every problem is one line: "<file> linje <n>, <column>: <reason>".
    return {
        (m["file"], int(m["line"]))
        for m in re.finditer(r"^(?P<file>[\w.]+) \w+ (?P<line>\d+)", err.getvalue(), re.MULTILINE)
    }


@pytest.mark.parametrize("way", [_via_service, _via_page, _via_command], ids=["service", "page", "command"])
def test_files_with_bad_rows_import_nothing_and_name_every_bad_row(way, cast, client, tmp_path):
    client.force_login(cast.administrator)
    before = stored()

    @SETTINGS
    @given(case=corrupted())
    def attempt(case):
        files, bad = case
        savepoint = transaction.savepoint()
        try:
            named = way(files, client, tmp_path)
            assert stored() == before, "a refused import wrote something"
            assert bad <= named, f"bad rows not named: {sorted(bad - named)}"
        finally:
            transaction.savepoint_rollback(savepoint)
            cache.clear()
        TALLY["examples"] += 1
        TALLY["bad_rows"] += len(bad)

    attempt()


def test_the_same_files_without_a_bad_row_import_and_show_no_markup(cast, client):
    """The generator's files are valid until corrupted: markup in names is stored as text and shown escaped."""
    client.force_login(cast.administrator)

    @SETTINGS
    @given(org=organisations(), fmt=st.sampled_from(["csv", "csv-crlf", "csv-bom", "xlsx"]))
    def attempt(org, fmt):
        savepoint = transaction.savepoint()
        try:
            files = {kind: encode(kind, rows, fmt=fmt, extra_cells=set()) for kind, rows in org.items() if rows}
            uploads = {kind: SimpleUploadedFile(name, data) for kind, (name, data) in files.items()}
            response = client.post(reverse("meetings:organisation-import"), uploads)
            assert response.status_code == 302, response.context and [str(p) for p in response.context["problems"]]
            assert Committee.objects.filter(slug__startswith="udvalg-").count() == len(org["committees"])
            for page in (reverse("meetings:committee-list"), reverse("meetings:workplace-list")):
                assert not runnable_in(client.get(page).content.decode()), page
        finally:
            transaction.savepoint_rollback(savepoint)
            cache.clear()
        TALLY["examples"] += 1

    attempt()


# --- Malformed files ------------------------------------------------------------------------------------------------

HEADER = "slug,name,area,meeting_weekday,meeting_start,meeting_minutes"
ROW = "kultur,Kulturudvalget,Biblioteker,1,16:00,120"
MALFORMED = {
    # name: (file name, bytes, imports?)
    "binary": ("committees.csv", bytes(range(256)) * 4, False),
    # Latin-1 is Windows-1252 for every Danish letter: read as that, and said so.
    "latin-1": ("committees.csv", f"{HEADER}\n{ROW}\nsport,Idrætsudvalget,,1,16:00,120\n".encode("latin-1"), True),
    "utf-16": ("committees.csv", f"{HEADER}\n{ROW}\n".encode("utf-16"), False),
    "no header": ("committees.csv", f"{ROW}\n{ROW}\n".encode(), False),
    "empty first line": ("committees.csv", f"\n{HEADER}\n{ROW}\n".encode(), False),
    "semicolons": ("committees.csv", f"{HEADER}\n{ROW}\n".replace(",", ";").encode(), True),
    "tabs": ("committees.csv", f"{HEADER}\n{ROW}\n".replace(",", "\t").encode(), False),
    "0 bytes": ("committees.csv", b"", False),
    # Stored, a NUL crashed the page on PostgreSQL ("A string literal cannot contain NUL").
    "NUL in a cell": ("committees.csv", f"{HEADER}\nkultur,Kul\x00tur,,1,16:00,120\n".encode(), False),
    "a cell over the csv field limit": (
        "committees.csv",
        f"{HEADER}\nkultur,{'x' * 200_000},,1,16:00,120\n".encode(),
        False,
    ),
    "an unclosed quote": ("committees.csv", f'{HEADER}\nkultur,"Kultur,,1,16:00,120\n'.encode(), False),
    "a broken xlsx": ("committees.xlsx", b"PK\x03\x04" + b"\x00" * 100, False),
    "csv named .xlsx": ("committees.xlsx", f"{HEADER}\n{ROW}\n".encode(), False),
    "markup file name": ("<script>alert(1)</script>.csv", b"\xff\xfe", False),
    "a byte-order mark": ("committees.csv", f"\ufeff{HEADER}\n{ROW}\n".encode(), True),
    "CRLF line ends": ("committees.csv", f"{HEADER}\r\n{ROW}\r\n".encode(), True),
    "CR line ends": ("committees.csv", f"{HEADER}\r{ROW}\r".encode(), True),
    "only the header": ("committees.csv", f"{HEADER}\n".encode(), True),
    "blank lines only after the header": ("committees.csv", f"{HEADER}\n\n\n,,,,,\n".encode(), True),
}


@pytest.mark.parametrize("case", list(MALFORMED), ids=list(MALFORMED))
def test_a_malformed_file_is_refused_in_danish_or_imported_never_a_crash(case, cast, client):
    name, data, imports = MALFORMED[case]
    client.force_login(cast.administrator)
    before = stored()
    response = client.post(reverse("meetings:organisation-import"), {"committees": SimpleUploadedFile(name, data)})
    TALLY["malformed_files"] += 1
    assert not runnable_in(response.content.decode())
    if response.status_code == 302:
        assert imports is not False, f"{case} was imported"
        page = client.get(response["Location"])
        result, read = [str(m) for m in page.context["messages"]]  # the result, and how the file was read
        assert is_danish(result), result
        file, _, description = read.partition(": ")
        assert file == name and is_danish(description), read
        return
    assert imports is not True, f"{case} was refused: {[str(p) for p in response.context['problems']]}"
    assert response.status_code == 200
    assert stored() == before
    reasons = [p.reason for p in response.context["problems"]]
    if not reasons:  # refused by the upload form itself (an empty file)
        with translation.override("da"):
            reasons = [str(e) for errors in response.context["form"].errors.values() for e in errors]
    assert reasons
    assert all(is_danish(reason) for reason in reasons), reasons
    content = response.content.decode()
    assert all(escape(reason) in content for reason in reasons)


@pytest.mark.parametrize("case", ["binary", "0 bytes", "a cell over the csv field limit", "a broken xlsx"])
def test_the_command_refuses_a_malformed_file_with_the_reason_not_a_traceback(case, cast, tmp_path):
    name, data, _imports = MALFORMED[case]
    path = tmp_path / name.replace("/", "_")
    path.write_bytes(data)
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_organisation", "--committees", str(path), stderr=err)
    assert is_danish(str(refused.value)), str(refused.value)  # the portal's language, as LANGUAGE_CODE says
    assert err.getvalue().strip()
    assert "Traceback" not in err.getvalue()


# --- Size -----------------------------------------------------------------------------------------------------------


def blackout_rows(count: int) -> bytes:
    """``count`` different blackout periods of the cast's workplace."""
    lines = ["workplace,first_day,last_day,reason"]
    for i in range(count):
        first = dt.date(2030, 1, 1) + dt.timedelta(days=i // 100)
        lines.append(f"solsikken,{first},{first + dt.timedelta(days=i % 100)},Lukket {i}")
    return ("\n".join(lines) + "\n").encode()


def test_the_row_limit_is_fifty_thousand_by_default(settings):
    assert settings.DIALOG_IMPORT_MAX_ROWS == 50_000


def test_one_row_over_the_limit_is_refused_with_a_clear_danish_message_in_bounded_memory(cast, client, settings):
    data = blackout_rows(settings.DIALOG_IMPORT_MAX_ROWS + 1)
    tracemalloc.start()
    try:
        with translation.override("da"), pytest.raises(OrganisationImportError) as refused:
            organisation_import(blackouts=("lukkedage.csv", data))
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    (problem,) = refused.value.problems
    assert problem.reason == "Filen har mere end 50000 rækker; del den op i mindre filer."
    assert is_danish(problem.reason)
    assert peak < 50 * MB, f"{peak / MB:.1f} MB"
    assert not Blackout.objects.exists()

    client.force_login(cast.administrator)
    response = client.post(
        reverse("meetings:organisation-import"), {"blackouts": SimpleUploadedFile("lukkedage.csv", data)}
    )
    assert response.status_code == 200
    assert "Filen har mere end 50000 rækker; del den op i mindre filer." in response.content.decode()
    assert not Blackout.objects.exists()
    TALLY["over_limit_peak_mb"] = round(peak / MB, 1)


def test_a_file_at_the_limit_imports_every_row_in_bounded_memory(cast, settings):
    rows = settings.DIALOG_IMPORT_MAX_ROWS
    data = blackout_rows(rows)
    tracemalloc.start()
    try:
        result = organisation_import(blackouts=("lukkedage.csv", data))
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result["blackouts"].created == rows
    assert Blackout.objects.filter(workplace=cast.workplace).count() == rows
    assert peak < 200 * MB, f"{peak / MB:.1f} MB"
    TALLY["limit_rows"] = rows
    TALLY["limit_import_peak_mb"] = round(peak / MB, 1)


def test_an_xlsx_file_over_the_limit_is_refused_after_one_row_too_many_not_read_whole(settings, monkeypatch):
    """A workbook of a million rows is a small upload; reading it whole took minutes and memory to match."""
    from meetings.imports import reading

    settings.DIALOG_IMPORT_MAX_ROWS = 100
    book = tablib.Dataset(headers=HEADERS["blackouts"])
    for i in range(5_000):
        book.append(["solsikken", "2030-01-01", "2030-01-02", f"Lukket {i}"])
    cells_read = Counter()
    real = reading.cell_text
    monkeypatch.setattr(reading, "cell_text", lambda value: cells_read.update([1]) or real(value))

    with translation.override("da"), pytest.raises(OrganisationImportError) as refused:
        organisation_import(blackouts=("lukkedage.xlsx", book.export("xlsx")))

    assert [p.reason for p in refused.value.problems] == ["Filen har mere end 100 rækker; del den op i mindre filer."]
    assert cells_read[1] <= (100 + 2) * len(HEADERS["blackouts"])


@pytest.fixture(scope="module", autouse=True)
def _record_figures():
    yield
    if TALLY["examples"] or TALLY["malformed_files"]:
        figures.record(
            "bad_input_imports",
            examples=TALLY["examples"],
            bad_rows_named=TALLY["bad_rows"],
            malformed_files=TALLY["malformed_files"],
            row_limit=TALLY["limit_rows"] or None,
            over_limit_parse_peak_mb=TALLY["over_limit_peak_mb"] or None,
            limit_import_peak_mb=TALLY["limit_import_peak_mb"] or None,
        )
