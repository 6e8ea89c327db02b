"""The writer's fast passes pinned to the plain, one-line-at-a-time writer they replace (kept below as the
reference): text escaped per value, each line folded on its own, each time converted on its own. Tricky data goes
through both and must come out byte for byte the same: long lines folded inside multi-octet characters, commas,
semicolons and backslashes, line breaks of every kind split over values, the days summer time starts and ends (the
repeated hour), cancelled events and invitations, and times given in other zones than UTC."""

import datetime as dt
import itertools
import re
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from meetings import ics

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
STAMP = dt.datetime(2026, 12, 6, 9, 30, tzinfo=dt.UTC)


# --- The reference: one line at a time ----------------------------------------------------------------------------


def _reference_document(events, *, method, header, people=()) -> bytes:
    tzid = settings.TIME_ZONE
    tz = ZoneInfo(tzid)
    stamp = STAMP.strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Dialogportalen//Calendar//DA", "CALSCALE:GREGORIAN"]
    lines += [f"METHOD:{method}", *header]
    if events:
        first = min(e.starts_at for e in events).astimezone(tz).year - 1
        last = max(e.ends_at for e in events).astimezone(tz).year + 1
        lines.append(ics.vtimezone(tzid, first, last))
        for event in events:
            lines += [
                "BEGIN:VEVENT",
                ics.fold(f"UID:{ics.escape(event.uid)}"),
                f"SEQUENCE:{event.sequence}",
                f"DTSTAMP:{stamp}",
                ics._time_property("DTSTART", event.starts_at, tz, tzid),
                ics._time_property("DTEND", event.ends_at, tz, tzid),
                ics.fold(f"SUMMARY:{ics.escape(event.summary)}"),
                ics.fold(f"LOCATION:{ics.escape(event.location)}"),
                ics.fold(f"URL:{ics._uri(event.url)}"),
                ics.fold(f"DESCRIPTION:{ics.escape(event.description)}"),
                f"STATUS:{'CANCELLED' if method == ics.CANCEL else event.status}",
                *people,
                "END:VEVENT",
            ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _reference_calendar(events, *, name, refresh=None) -> bytes:
    header = [ics.fold(f"X-WR-CALNAME:{ics.escape(name)}"), f"X-WR-TIMEZONE:{settings.TIME_ZONE}"]
    if refresh is not None:
        header += [
            f"REFRESH-INTERVAL;VALUE=DURATION:{ics._duration(refresh)}",
            f"X-PUBLISHED-TTL:{ics._duration(refresh)}",
        ]
    return _reference_document(events, method=ics.PUBLISH, header=header)


@pytest.fixture(autouse=True)
def _frozen(monkeypatch):
    monkeypatch.setattr(ics.timezone, "now", lambda: STAMP)


# --- Tricky data --------------------------------------------------------------------------------------------------

# Texts that escape, clean or fold: every kind of line break (a CR at a value's end meets the LF the next value may
# start with only inside one value), the characters escaped, controls, the separator the fast pass joins values by,
# non-breaking space and tab, and long lines of one-, two-, three- and four-octet characters around 75 octets.
TEXTS = [
    "",
    "Besøg: Børnehuset Solsikken",
    "Skolevej 12; 8000 Aarhus C, 2. sal \\ bagindgang",
    "Første linje\r\nanden\rtredje\nfjerde\x0bfemte\x0csjette\x85syvende\u2028ottende\u2029niende",
    "ender med CR\r",
    "\nbegynder med LF",
    "kontrol\x00tegn\x1f og \x7f og \x9f og \ud800 væk",
    "tab\tog\u00a0hårdt mellemrum",
    "pris ¤ 100,-",
    "A" * 62,
    "A" * 63,
    "A" * 64,
    "Æ" * 31 + "A",
    "ÆA" * 40,
    "€" * 30,
    "😀" * 16 + "x",
    "Vi vil se sprogarbejdet, tale om hverdagen; og spørge til alt.\n\nDeltagere: Anne Ørsted-Æblegård, Bo Å\n\n" * 3,
]


def _tricky_events(count: int = 300) -> list[ics.Event]:
    # Times on the days summer time starts and ends (the gap and the repeated hour), in UTC and in local time, and
    # with microseconds, which the writer leaves out.
    moments = [
        dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC),  # 02:30 summer time: the repeated hour's first run
        dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC),  # 02:30 winter time: its second run
        dt.datetime(2026, 10, 24, 22, 59, 59, 999999, tzinfo=dt.UTC),
        dt.datetime(2027, 1, 14, 10, tzinfo=COPENHAGEN),
        dt.datetime(2027, 7, 1, 10, 15, 30, tzinfo=COPENHAGEN),
        dt.datetime(2027, 12, 31, 23, 30, tzinfo=COPENHAGEN),
    ]
    statuses = ["TENTATIVE", "CONFIRMED", "CANCELLED"]
    cycle = itertools.cycle(TEXTS)
    events = []
    for i in range(count):
        start = moments[i % len(moments)] + dt.timedelta(days=7 * (i // len(moments)) * (i % 3 == 0))
        events.append(
            ics.Event(
                uid=f"visit-{i}@dialog.example" if i % 11 else f"visit-{i},{i};x@dialog.example",
                sequence=i % 5,
                starts_at=start,
                ends_at=start + dt.timedelta(minutes=30 + 45 * (i % 4)),
                summary=next(cycle),
                location=next(cycle),
                description=next(cycle) + next(cycle),
                url=f"https://dialog.example/besoeg/{i}/" + ("x" * 70 if i % 7 == 0 else "") + ("\r\n" * (i % 13 == 0)),
                status=statuses[i % 3],
            )
        )
    return events


def test_a_feed_of_tricky_events_is_byte_for_byte_what_the_one_line_at_a_time_writer_writes():
    events = _tricky_events()
    fast = ics.calendar(events, name="Dialogportalen – min kalender; test, ¤", refresh=ics.FEED_REFRESH)
    assert fast == _reference_calendar(events, name="Dialogportalen – min kalender; test, ¤", refresh=ics.FEED_REFRESH)
    assert fast.count(b"BEGIN:VEVENT") == 300
    assert b"DTSTART:20261025T003000Z" in fast and b"DTSTART:20261025T013000Z" in fast  # the repeated hour, in UTC
    assert b"DTSTART;TZID=Europe/Copenhagen:20260329T013000" in fast  # before the gap
    assert b"DTSTART;TZID=Europe/Copenhagen:20260329T030000" in fast  # after it
    assert all(len(line) <= 75 for line in fast.split(b"\r\n"))


@pytest.mark.parametrize("method", [ics.REQUEST, ics.CANCEL])
def test_an_invitation_of_a_tricky_event_is_what_the_one_line_at_a_time_writer_writes(method):
    attendee = ics.Party('Anne Ørsted-Æblegård, "formand"; udvalget' * 2, "anne@dalby.example")
    sender = ics.Party("Dialogportalen, Dalby Kommune", "noreply@dalby.example")
    people = (
        ics.fold(f"ORGANIZER;CN={ics._param(sender.name)}:mailto:{sender.email}"),
        ics.fold(
            f"ATTENDEE;CN={ics._param(attendee.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE"
            f":mailto:{attendee.email}"
        ),
    )
    for event in _tricky_events(24):
        fast = ics.invitation(event, method=method, attendee=attendee, sender=sender)
        assert fast == _reference_document([event], method=method, header=[], people=people)


def test_values_escaped_together_are_escaped_as_each_on_its_own():
    alphabet = ["a", "Æ", "€", "😀", " ", "\t", "\u00a0", "\\", ";", ",", "\r\n", "\r", "\n", "\x0b", "\x85"]
    alphabet += ["\u2028", "\x00", "\x7f", "\ud800", ics._SEPARATOR]
    pieces = ["", *alphabet, *(a + b for a in alphabet for b in alphabet)]
    for size in (1, 2, 3, 7):
        for start in range(0, len(pieces), size):
            values = pieces[start : start + size]
            assert ics._escape_all(values) == [ics.escape(v) for v in values], values
    assert ics._escape_all([]) == []
    clean = [t for t in TEXTS if t.replace("\n", " ").isprintable()]
    assert ics._escape_all(clean) == [ics.escape(t) for t in clean]


def test_a_document_folded_at_once_is_each_line_folded_on_its_own():
    lines = [f"DESCRIPTION:{ics.escape(a + b)}" for a in TEXTS for b in TEXTS]
    lines += ["X" * n + tail for n in range(60, 80) for tail in ("", "Æ", "€", "😀", "😀😀")]
    data = "\r\n".join(lines).encode()
    assert ics._fold_all(data) == "\r\n".join(ics.fold(line) for line in lines).encode()
    assert ics._fold_all(ics._fold_all(data)) == ics._fold_all(data)  # a line folded already is left as it is


def test_a_wording_fills_its_placeholder_as_the_percent_operator_does():
    for text in [
        "Visit: %(workplace)s",
        "%(workplace)s",
        "100%% %(workplace)s, %(workplace)s!",
        "Besøg hos %(workplace)s",
    ]:
        wording = ics.Wording(text, "workplace")
        for value in ["", "Børnehuset", "50% %(workplace)s", "\x00", "a\x00b"]:
            assert wording.format(value) == text % {"workplace": value}
    odd = ics.Wording("a\x00b %(names)s", "names")  # a text that holds the mark itself
    assert odd.format("Anne") == "a\x00b Anne"


def test_the_local_times_of_a_document_are_those_converted_one_at_a_time():
    times = ics._LocalTimes(COPENHAGEN, "Europe/Copenhagen", 2025, 2028)
    start = dt.datetime(2026, 3, 28, tzinfo=dt.UTC)
    moments = [start + dt.timedelta(minutes=17 * k, microseconds=k) for k in range(20000)]  # to November
    moments += [m.astimezone(COPENHAGEN) for m in moments[::7]]
    expected = [ics._time_property("DTEND", m, COPENHAGEN, "Europe/Copenhagen") for m in moments]
    assert times.properties("DTEND", moments) == expected
    assert re.search(r"DTEND:\d{8}T\d{6}Z", "\n".join(expected))  # the repeated hour came by
    assert timezone.is_aware(moments[-1])


@pytest.mark.parametrize(
    "tzid",
    [
        "Europe/Copenhagen",
        "America/New_York",  # clocks turned on other days, at local 02:00 on the other side of UTC
        "Australia/Lord_Howe",  # summer time of half an hour, in the southern summer (over New Year)
        "Asia/Kolkata",  # no summer time, an offset of hours and a half
        "Africa/Casablanca",  # summer time suspended for Ramadan: several changes a year
        "UTC",
    ],
)
def test_the_local_times_of_any_zone_are_those_converted_one_at_a_time(tzid):
    """Whatever the zone's rules, every moment of a document comes out as converted one at a time with the zone: on
    the days of its changes (both directions, any hour and minute) and around New Year, in the years the
    document asks for (a document asks for the years of its events and one on each side)."""
    zone = ZoneInfo(tzid)
    times = ics._LocalTimes(zone, tzid, 2024, 2029)
    start = dt.datetime(2024, 12, 30, tzinfo=dt.UTC)
    moments = [
        start + dt.timedelta(minutes=53 * k, seconds=k % 61, microseconds=999_999 * (k % 2)) for k in range(42000)
    ]
    moments += [m.astimezone(zone) for m in moments[::11]]
    moments += [
        change.at + dt.timedelta(seconds=d)
        for y in range(2025, 2029)
        for change in ics._changes(zone, y)
        for d in (-1, 0, 1)
    ]
    expected = [ics._time_property("DTSTART", m, zone, tzid) for m in moments]
    assert times.properties("DTSTART", moments) == expected
