"""plan_rotation (the documented JSON), the --history import and the iCalendar writer."""

import datetime as dt
import json

import icalendar
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from meetings import ics
from meetings.imports import OrganisationImportError, organisation_import
from meetings.models import Hosting, Meeting, RotationPlan

pytestmark = pytest.mark.django_db


def test_plan_rotation_writes_the_documented_json_and_generates_dates(cast, rotation, tmp_path):
    out = tmp_path / "plan.json"
    call_command("plan_rotation", "--committee", cast.committee.slug, "--year", str(rotation.year), "--json", str(out))
    data = json.loads(out.read_text())
    assert set(data) == {"committee", "year", "meetings", "fairness", "broken_rules", "cannot_host", "wishes_unmet"}
    assert data["committee"] == cast.committee.slug and data["year"] == rotation.year
    assert len(data["meetings"]) == 12
    first = data["meetings"][0]
    assert set(first) == {"date", "start", "host", "venue", "guests", "why"}
    assert dt.date.fromisoformat(first["date"]).year == rotation.year and first["start"] == "16:00"
    assert {"spread_after", "best_possible_spread", "hostings_per_workplace"} <= set(data["fairness"])
    assert RotationPlan.objects.drafts().filter(committee=cast.committee).count() == 1


def test_plan_rotation_publish_creates_the_meetings(cast, rotation):
    call_command("plan_rotation", "--committee", cast.committee.slug, "--year", str(rotation.year), "--publish")
    assert Meeting.objects.filter(committee=cast.committee).count() == 12


def test_plan_rotation_refuses_an_unknown_committee(db):
    with pytest.raises(CommandError, match="No committee"):
        call_command("plan_rotation", "--committee", "findes-ikke", "--year", "2027")


def test_history_import_adds_hostings_that_count_like_the_portals(cast, rotation):
    csv = (
        "committee,date,workplace\n"
        f"{cast.committee.slug},2024-02-13,{cast.workplace.slug}\n"
        f"{cast.committee.slug},2024-09-10,{cast.workplace.slug}\n"
    ).encode()
    result = organisation_import(history=("history.csv", csv))
    assert result["hostings"].created == 2
    assert Hosting.objects.filter(workplace=cast.workplace, source="import").count() == 2
    again = organisation_import(history=("history.csv", csv))
    assert again["hostings"].unchanged == 2
    from meetings.rotation import services

    plan = services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)
    hosts = [m.host_id for m in plan.meetings.order_by("date")]
    assert cast.workplace.pk not in hosts[:5]  # it hosted twice already: the others go first


def test_history_import_names_every_bad_row_and_imports_nothing(cast):
    future = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    csv = (
        "committee,date,workplace\n"
        f"{cast.committee.slug},2024-02-13,{cast.workplace.slug}\n"
        f"{cast.committee.slug},{future},{cast.workplace.slug}\n"
        f"findes-ikke,2024-03-12,{cast.workplace.slug}\n"
        f"{cast.committee.slug},2024-04-09,findes-ikke\n"
        f"{cast.committee.slug},2024-02-13,{cast.workplace.slug}\n"
        f"{cast.committee.slug},ikke-en-dato,{cast.workplace.slug}\n"
    ).encode()
    with pytest.raises(OrganisationImportError) as caught:
        organisation_import(history=("history.csv", csv))
    assert sorted((p.line, p.column) for p in caught.value.problems) == [
        (3, "date"),
        (4, "committee"),
        (5, "workplace"),
        (6, "date"),
        (7, "date"),
    ]
    assert not Hosting.objects.exists()


# --- The iCalendar writer -----------------------------------------------------------------------------------------


def test_text_is_escaped_and_long_lines_fold_without_splitting_a_letter():
    assert ics.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "æøå" * 60
    folded = ics.fold(line)
    parts = folded.split("\r\n ")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert "".join(parts) == line


def test_the_writer_output_parses_and_keeps_local_time_across_summer_time(settings):
    tz = dt.timezone(dt.timedelta(hours=2))
    summer = dt.datetime(2027, 7, 1, 10, tzinfo=tz)
    winter = dt.datetime(2027, 1, 14, 9, tzinfo=dt.UTC)
    events = [
        ics.Event(
            "a@x",
            0,
            summer,
            summer + dt.timedelta(hours=1),
            "Møde, på; stedet",
            "Vej 1",
            "Linje 1\nLinje 2",
            "https://x/1",
            "CONFIRMED",
        ),
        ics.Event("b@x", 3, winter, winter + dt.timedelta(hours=1), "Vinter", "", "", "https://x/2", "CANCELLED"),
    ]
    body = ics.calendar(events, name="Test")
    cal = icalendar.Calendar.from_ical(body)
    parsed = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert str(parsed["a@x"]["summary"]) == "Møde, på; stedet"
    assert str(parsed["a@x"]["description"]) == "Linje 1\nLinje 2"
    assert b"DTSTART;TZID=Europe/Copenhagen:20270701T100000" in body
    assert b"DTSTART;TZID=Europe/Copenhagen:20270114T100000" in body
    assert int(parsed["b@x"]["sequence"]) == 3 and str(parsed["b@x"]["status"]) == "CANCELLED"
    assert [t["TZID"] for t in cal.walk("VTIMEZONE")] == ["Europe/Copenhagen"]
