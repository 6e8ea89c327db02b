"""The calendar writer read back by three independent parsers: every event starts and ends, in UTC, when the portal
meant, in summer and winter, in the hours around the changes, over many years and in other zones."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from meetings import ics

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def _event(uid: str, start: dt.datetime, *, minutes: int = 60, **texts) -> ics.Event:
    return ics.Event(
        uid=uid,
        sequence=texts.pop("sequence", 0),
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=minutes),
        summary=texts.pop("summary", "Besøg"),
        location=texts.pop("location", "Skolevej 12, 4200 Slagelse"),
        description=texts.pop("description", ""),
        url="https://dialog.example/besoeg/1/",
        status=texts.pop("status", "CONFIRMED"),
    )


def _last_sunday(year: int, month: int) -> dt.date:
    day = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=(day.weekday() - 6) % 7)


def _times(reading) -> dict:
    return {uid: (e.start, e.end) for uid, e in reading.events.items()}


def _meant(events) -> dict:
    return {e.uid: (e.starts_at.astimezone(dt.UTC), e.ends_at.astimezone(dt.UTC)) for e in events}


def test_a_meeting_at_half_past_three_in_june_is_read_at_half_past_three_in_every_year(reader):
    # The case: with the old VTIMEZONE, every summer after the first came out an hour late.
    events = [
        _event(f"{year}-{month}-{day}", dt.datetime(year, month, day, 15, 30, tzinfo=COPENHAGEN))
        for year in range(2026, 2031)
        for month in range(1, 13)
        for day in (1, 15, 28)
    ]

    reading = reader(ics.calendar(events, name="Udvalget"))

    assert _times(reading) == _meant(events)
    june = reading.events["2029-6-15"]
    assert june.start == dt.datetime(2029, 6, 15, 13, 30, tzinfo=dt.UTC)


def test_the_hours_around_both_changes_of_summer_time_are_read_as_meant(reader):
    events = []
    for year in (2026, 2027, 2028):
        spring, autumn = _last_sunday(year, 3), _last_sunday(year, 10)
        # 02:00 becomes 03:00 in spring: the minute before, the first minute after, mid-morning.
        for hour, minute in ((1, 59), (3, 0), (3, 30), (10, 0)):
            start = dt.datetime.combine(spring, dt.time(hour, minute), tzinfo=COPENHAGEN)
            events.append(_event(f"spring-{year}-{hour}{minute:02d}", start, minutes=90))
        # 03:00 becomes 02:00 in autumn: 02:30 happens twice; both runs are meant here, given in UTC.
        first_run = dt.datetime.combine(autumn, dt.time(0, 30), tzinfo=dt.UTC)
        events.append(_event(f"autumn-{year}-first-0230", first_run))
        events.append(_event(f"autumn-{year}-second-0230", first_run + dt.timedelta(hours=1)))
        for hour in (1, 3, 10):
            start = dt.datetime.combine(autumn, dt.time(hour, 30), tzinfo=COPENHAGEN)
            events.append(_event(f"autumn-{year}-{hour}30", start, minutes=120))

    reading = reader(ics.calendar(events, name="Skift"))

    assert _times(reading) == _meant(events)


def test_the_vtimezone_gives_the_yearly_rules_as_outlook_and_google_write_them():
    body = ics.calendar([_event("a", dt.datetime(2027, 6, 15, 15, 30, tzinfo=COPENHAGEN))], name="x").decode()

    zone = body[body.index("BEGIN:VTIMEZONE") : body.index("END:VTIMEZONE")]
    assert "RDATE" not in zone
    daylight = zone[zone.index("BEGIN:DAYLIGHT") : zone.index("END:DAYLIGHT")].split("\r\n")
    standard = zone[zone.index("BEGIN:STANDARD") : zone.index("END:STANDARD")].split("\r\n")
    assert "DTSTART:20260329T020000" in daylight  # the last Sunday of March 2026 at 02:00 standard time
    assert {"TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"} <= set(daylight)
    assert "DTSTART:20261025T030000" in standard  # the last Sunday of October 2026 at 03:00 summer time
    assert {"TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"} <= set(standard)


def test_both_runs_of_the_repeated_hour_are_written_in_utc_and_the_hours_around_them_in_local_time():
    second_run = dt.datetime(2027, 10, 31, 1, 30, tzinfo=dt.UTC)  # 02:30 winter time

    body = ics.calendar(
        [_event("second", second_run, minutes=60), _event("first", second_run - dt.timedelta(hours=1), minutes=90)],
        name="x",
    )

    assert b"DTSTART:20271031T013000Z" in body
    assert b"DTSTART:20271031T003000Z" in body
    assert b"DTEND;TZID=Europe/Copenhagen:20271031T030000" in body  # 03:00 happens once: local


@pytest.mark.parametrize(
    ("tzid", "first", "last", "rules"),
    [
        ("America/New_York", 2025, 2029, True),  # the second Sunday of March, the first of November
        ("Australia/Sydney", 2025, 2029, True),  # summer time across New Year
        ("America/Sao_Paulo", 2017, 2021, False),  # summer time abolished in 2019: one observance per change
        ("Asia/Tokyo", 2025, 2029, False),  # no summer time
    ],
)
def test_other_zones_are_read_as_meant_too(reader, settings, tzid, first, last, rules):
    settings.TIME_ZONE = tzid
    zone = ZoneInfo(tzid)
    events = [
        _event(f"{year}-{month}", dt.datetime(year, month, 10, 9, 45, tzinfo=zone))
        for year in range(first, last + 1)
        for month in range(1, 13)
    ]

    body = ics.calendar(events, name="x")
    reading = reader(body)

    assert _times(reading) == _meant(events)
    assert (b"RRULE:" in body) is rules
    assert b"RDATE" not in body


def test_control_characters_in_user_text_are_dropped_and_every_parser_reads_the_feed(reader):
    purpose = "Vi vil se\x0bkøkkenet\x0cog legepladsen.\x00\x1b\x7f\x85Tak\u2028for\tnu\x1f"
    events = [
        _event("purpose", dt.datetime(2027, 6, 15, 15, 30, tzinfo=COPENHAGEN), description=purpose),
        _event("name", dt.datetime(2027, 1, 14, 10, tzinfo=COPENHAGEN), summary="Besøg:\x0b Solsikken\x1b"),
    ]

    body = ics.calendar(events, name="Min\x0ckalender")
    reading = reader(body)

    assert not any(ch in body for ch in b"\x00\x0b\x0c\x1b\x1f\x7f")
    assert _times(reading) == _meant(events)
    assert reading.events["purpose"].description == "Vi vil se\nkøkkenet\nog legepladsen.\nTak\nfor\tnu"
    assert reading.events["name"].summary == "Besøg:\n Solsikken"


def test_a_feed_carries_a_refresh_hint_and_a_download_does_not():
    event = _event("a", dt.datetime(2027, 6, 15, 15, 30, tzinfo=COPENHAGEN))

    feed = ics.calendar([event], name="x", refresh=dt.timedelta(hours=1)).decode()
    download = ics.calendar([event], name="x").decode()

    assert "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in feed
    assert "\r\nX-PUBLISHED-TTL:PT1H\r\n" in feed
    assert "REFRESH-INTERVAL" not in download and "X-PUBLISHED-TTL" not in download
    assert "\r\nMETHOD:PUBLISH\r\n" in feed and "ORGANIZER" not in feed


@pytest.mark.parametrize("method", [ics.REQUEST, ics.CANCEL])
def test_an_invitation_names_the_portal_as_organizer_and_the_recipient_as_attendee(reader, settings, method):
    settings.DEFAULT_FROM_EMAIL = '"Dialogportalen, Dalby Kommune" <noreply@dalby.example>'
    event = _event("visit-7@dialog.example", dt.datetime(2027, 6, 15, 15, 30, tzinfo=COPENHAGEN), sequence=3)

    body = ics.invitation(event, method=method, attendee=ics.Party('Anne "Skipper" Hansen, MF', "anne@dalby.example"))
    reading = reader(body)

    assert reading.method == method
    read = reading.events["visit-7@dialog.example"]
    assert read.organizer == "noreply@dalby.example"
    assert read.attendees == ("anne@dalby.example",)
    assert read.sequence == 3
    assert read.status == ("CANCELLED" if method == ics.CANCEL else "CONFIRMED")
    assert (read.start, read.end) == _meant([event])[event.uid]
    text = body.decode().replace("\r\n ", "")
    assert 'ORGANIZER;CN="Dialogportalen, Dalby Kommune":mailto:noreply@dalby.example' in text
    assert "ATTENDEE;CN=\"Anne 'Skipper' Hansen, MF\";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE" in text


def test_the_organizer_is_named_after_the_municipality_when_the_sender_has_no_name(settings):
    settings.DEFAULT_FROM_EMAIL = "noreply@dalby.example"
    settings.PORTAL_MUNICIPALITY_NAME = "Dalby Kommune"

    assert ics.organizer() == ics.Party("Dialogportalen, Dalby Kommune", "noreply@dalby.example")


def test_an_invitation_is_a_request_or_a_cancel():
    event = _event("a", dt.datetime(2027, 6, 15, 15, 30, tzinfo=COPENHAGEN))
    with pytest.raises(ValueError):
        ics.invitation(event, method=ics.PUBLISH, attendee=ics.Party("A", "a@dalby.example"))


def test_a_feeds_etag_follows_its_content_and_language_but_not_the_clock():
    rows = [("visit", 1, dt.datetime(2027, 6, 15, 13, 30, tzinfo=dt.UTC))]
    with translation.override("da"):
        danish = ics.etag("Min kalender", rows)
        again = ics.etag("Min kalender", list(rows))
        changed = ics.etag("Min kalender", [*rows, ("visit", 2, None)])
    with translation.override("en"):
        english = ics.etag("Min kalender", rows)

    assert danish == again
    assert len({danish, changed, english}) == 3
    assert danish.startswith('W/"') and danish.endswith('"')
