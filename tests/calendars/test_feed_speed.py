"""A busy person's feed is built fast and kept: the links, the host and the translated words are worked out once per
feed, and the built body is kept under its ETag. The output is byte for byte what the event-at-a-time writer
wrote (kept below as the reference), and a change to anything the feed shows is in the next fetch (its versions:
meetings/feeds.py)."""

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from meetings import ics
from meetings.models import Committee, Meeting, Venue, Workplace
from meetings.rotation import ical as meeting_ical
from meetings.visits import ical as visit_ical
from meetings.visits import services
from meetings.visits.selectors import FeedRow
from tests import factories

STAMP = re.compile(rb"DTSTAMP:\d{8}T\d{6}Z")


# --- The reference: the writer as it was, one reverse() and one gettext per event ----------------------------------


def _reference_visit(row) -> ics.Event:
    url = f"{settings.PORTAL_BASE_URL}{reverse('meetings:visit-detail', args=[row.pk])}"
    description = [row.purpose, "", _("Participants: %(names)s") % {"names": ", ".join(row.participants)}]
    if row.practical_notes:
        description += ["", row.practical_notes]
    description += ["", url]
    return ics.Event(
        uid=f"visit-{row.pk}@{ics.host()}",
        sequence=row.sequence,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        summary=_("Visit: %(workplace)s") % {"workplace": row.workplace},
        location=row.address,
        description="\n".join(description),
        url=url,
        status=visit_ical._STATUS[row.status],
    )


def _reference_meeting(meeting, *, public=False) -> ics.Event:
    url = f"{settings.PORTAL_BASE_URL}{meeting.get_absolute_url()}"
    host = meeting.host.name if meeting.host else ""
    room = meeting.venue or meeting.venue_workplace
    description = [
        _("On-site meeting of %(committee)s at %(host)s.") % {"committee": meeting.committee.name, "host": host}
    ]
    if meeting.host and meeting.borrowed_room:
        description.append(_("%(host)s hosts in %(venue)s.") % {"host": host, "venue": meeting.borrowed_room.name})
    if meeting.agenda_url:
        description += ["", _("The agenda: %(url)s") % {"url": meeting.agenda_url}]
    if meeting.programme:
        description += ["", meeting.programme]
    if not public:
        description += ["", url]
    return ics.Event(
        uid=f"meeting-{meeting.pk}@{ics.host()}",
        sequence=meeting.sequence,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=_("%(committee)s at %(host)s") % {"committee": meeting.committee.name, "host": host},
        location=f"{room.name}, {meeting.address}" if room and meeting.address else meeting.address,
        description="\n".join(description),
        url=meeting.agenda_url if public and meeting.agenda_url else url,
        status="CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED",
    )


# --- Many events, in memory -------------------------------------------------------------------------------------

START = dt.datetime(2026, 3, 20, 8, tzinfo=dt.UTC)  # across the change to summer time and back in October
STATUSES = ["requested", "confirmed", "held", "declined", "cancelled", "no_show"]


def _rows(n: int) -> list[FeedRow]:
    return [
        FeedRow(
            pk=100 + i,
            sequence=i % 4,
            starts_at=START + dt.timedelta(days=i // 4, hours=i % 4),
            ends_at=START + dt.timedelta(days=i // 4, hours=i % 4, minutes=90),
            status=STATUSES[i % len(STATUSES)],
            purpose=f"Vi vil se sprogarbejdet, tale om hverdagen; og spørge til {i}.\r\nTak\\ på forhånd" * (i % 3),
            workplace=f"Børnehuset Solsikken, afdeling {i}",
            address="Skolevej 12; 8000 Aarhus C" if i % 5 else "",
            practical_notes="Parkér ved hallen.\nRing på døren." if i % 2 else "",
            participants=tuple(f"Politiker {k} Ørsted-Æblegård" for k in range(i % 4)),
        )
        for i in range(n)
    ]


def _meetings(n: int) -> list[Meeting]:
    committee = Committee(pk=7, name="Børne- og Ungeudvalget", slug="boern")
    meetings = []
    for i in range(n):
        host = Workplace(pk=i + 1, name=f"Skole {i}, Dalby", slug=f"s{i}") if i % 3 else None
        venue = Venue(pk=1, name="Medborgerhuset", slug="mb", address="Torvet 1") if i % 4 == 1 else None
        meetings.append(
            Meeting(
                pk=500 + i,
                committee=committee,
                host=host,
                venue=venue,
                sequence=i % 2,
                starts_at=START + dt.timedelta(days=7 * i, hours=8),
                ends_at=START + dt.timedelta(days=7 * i, hours=11),
                address="" if i % 5 == 0 else f"Skolevej {i}",
                agenda_url="https://dalby.example/dagsorden?id=1,2" if i % 2 else "",
                programme="Rundvisning\nKaffe, kage; snak" if i % 3 == 2 else "",
                status=Meeting.Status.CANCELLED if i % 7 == 3 else Meeting.Status.SCHEDULED,
            )
        )
    return meetings


def _freeze(monkeypatch):
    monkeypatch.setattr(ics.timezone, "now", lambda: dt.datetime(2026, 12, 6, 9, 30, tzinfo=dt.UTC))


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_feed_of_a_thousand_events_is_byte_identical_to_the_event_at_a_time_writer(monkeypatch, language):
    _freeze(monkeypatch)
    rows, meetings = _rows(1000), _meetings(60)
    with translation.override(language):
        reference = [_reference_visit(r) for r in rows] + [_reference_meeting(m) for m in meetings]
        fast = visit_ical.feed_events(rows) + meeting_ical.meeting_events(meetings)
        assert fast == reference
        expected = ics.calendar(
            sorted(reference, key=lambda e: e.starts_at), name="Min kalender", refresh=ics.FEED_REFRESH
        )
        built = ics.calendar(sorted(fast, key=lambda e: e.starts_at), name="Min kalender", refresh=ics.FEED_REFRESH)
    assert built == expected
    assert built.count(b"BEGIN:VEVENT") == 1060


def test_the_public_feeds_events_are_those_of_the_event_at_a_time_writer():
    meetings = _meetings(30)
    assert meeting_ical.meeting_events(meetings, public=True) == [_reference_meeting(m, public=True) for m in meetings]
    assert [meeting_ical.meeting_event(m) for m in meetings] == [_reference_meeting(m) for m in meetings]
    assert [visit_ical.feed_event(r) for r in _rows(20)] == [_reference_visit(r) for r in _rows(20)]


def test_a_link_template_gives_the_reversed_address_of_every_id():
    link = ics.UrlTemplate("meetings:visit-detail")
    for pk in (1, 7, 10, 987, 123456789):
        assert link.url(pk) == f"{settings.PORTAL_BASE_URL}{reverse('meetings:visit-detail', args=[pk])}"


# --- Over HTTP: the kept body and no stale feed ---------------------------------------------------------------------


@pytest.fixture
def personal(cast, booked):
    return reverse("meetings:calendar-feed", args=[services.calendar_token_ensure(person=cast.member).token])


def _counting_builds(monkeypatch) -> list:
    built = []
    real = ics.calendar

    def counting(*args, **kwargs):
        built.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(ics, "calendar", counting)
    return built


@pytest.mark.django_db
def test_an_unchanged_feed_is_built_once_and_then_served_as_kept(client, monkeypatch, personal):
    built = _counting_builds(monkeypatch)
    first = client.get(personal)
    second = client.get(personal)  # no If-None-Match: a calendar app that does not keep ETags
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert len(built) == 1


@pytest.mark.django_db
def test_the_kept_feed_is_the_feed_the_writer_builds(client, monkeypatch, personal):
    kept = client.get(personal).content
    monkeypatch.setattr(ics, "cache", _NoCache())
    fresh = client.get(personal).content
    assert STAMP.sub(b"", kept) == STAMP.sub(b"", fresh)


class _NoCache:
    def get(self, key, default=None):
        return default

    def set(self, *args, **kwargs):
        pass


def _unfolded(client, url) -> bytes:
    return client.get(url).content.replace(b"\r\n ", b"")


def _save(model, pk, **fields) -> None:
    """A change as the admin and the services make it: the row's save(), which tells the feeds (meetings/feeds.py).
    Bulk update() sends no signals; the code that uses it bumps the feeds' versions by hand."""
    obj = model.objects.get(pk=pk)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()


def _shows_at_once(client, url, change, *, expect: bytes) -> bool:
    assert expect not in _unfolded(client, url)
    change()
    return expect in _unfolded(client, url)


@pytest.mark.django_db
def test_every_kind_of_change_is_in_the_next_fetch_of_a_kept_feed(client, cast, booked, personal):
    from meetings.models import User, Visit, VisitOffer

    assert _shows_at_once(
        client, personal, lambda: services.visit_cancel(visit=booked, actor=cast.member), expect=b"STATUS:CANCELLED"
    )
    assert _shows_at_once(
        client,
        personal,
        lambda: _save(Workplace, cast.workplace.pk, address="Nyvej 1"),
        expect=b"Nyvej 1",
    )
    assert _shows_at_once(
        client,
        personal,
        lambda: _save(Workplace, cast.workplace.pk, name="Nyt Hus"),
        expect=b"Nyt Hus",
    )
    assert _shows_at_once(client, personal, lambda: _save(User, cast.member.pk, full_name="Anne Ny"), expect=b"Anne Ny")
    assert _shows_at_once(
        client,
        personal,
        lambda: _save(Visit, booked.pk, purpose="Nyt formål"),
        expect="Nyt formål".encode(),
    )
    assert _shows_at_once(
        client,
        personal,
        lambda: _save(VisitOffer, booked.slot.offer_id, practical_notes="Brug bagdoeren"),
        expect=b"Brug bagdoeren",
    )


@pytest.mark.django_db
def test_a_new_meeting_and_a_renamed_room_are_in_the_next_fetch_of_a_kept_feed(client, cast, personal):
    from meetings.models import RotationPlan

    start = factories.next_weekday_at(16, days_ahead=20)
    plan = RotationPlan.objects.create(committee=cast.committee, year=start.year, status=RotationPlan.Status.PUBLISHED)
    venue = Venue.objects.create(slug="mb", name="Medborgerhuset", address="Torvet 1", district=cast.workplace.district)

    def add():
        Meeting.objects.create(
            committee=cast.committee,
            plan=plan,
            host=cast.workplace,
            venue=venue,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=3),
            address="",
        )

    assert _shows_at_once(client, personal, add, expect=b"Medborgerhuset")
    assert _shows_at_once(client, personal, lambda: _save(Venue, venue.pk, name="Kulturhuset"), expect=b"Kulturhuset")


# --- The person's language: a calendar program has no session ---------------------------------------------------


def _chosen(person, language: str) -> None:
    from meetings.services import person_language_set

    person_language_set(person=person, language=language)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("", ["Besøg: Børnehuset Solsikken", "Deltagere:", "Dialogportalen – min kalender"]),
        ("da", ["Besøg:"]),
        ("en", ["Visit: Børnehuset Solsikken", "Participants:", "Dialogportalen – my calendar"]),
    ],
)
def test_the_feed_speaks_the_language_the_person_chose_whatever_the_request_asks(
    client, cast, personal, language, words
):
    if language:
        _chosen(cast.member, language)
    other = "da" if language == "en" else "en"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = other  # a browser's choice is not the calendar program's
    response = client.get(personal)
    body = _unfolded(client, personal).decode()
    assert all(word in body for word in words), body
    assert response["Content-Language"] == (language or "da")


@pytest.mark.django_db
def test_a_change_of_language_is_in_the_next_fetch_of_a_kept_feed_and_back_again(client, cast, personal):
    danish = client.get(personal)
    assert "Besøg:".encode() in danish.content
    _chosen(cast.member, "en")
    english = client.get(personal, HTTP_IF_NONE_MATCH=danish["ETag"])
    assert english.status_code == 200
    assert english["ETag"] != danish["ETag"]
    assert b"Visit: " in english.content and "Besøg:".encode() not in english.content
    _chosen(cast.member, "da")
    again = client.get(personal, HTTP_IF_NONE_MATCH=english["ETag"])
    assert again.status_code == 200
    assert again["ETag"] == danish["ETag"]
    assert "Besøg:".encode() in again.content
    assert client.get(personal, HTTP_IF_NONE_MATCH=danish["ETag"]).status_code == 304


# --- Golden: what the writer wrote before the feed was made fast -----------------------------------------------------

GOLDEN = Path(__file__).parent / "golden"
# The sha-256 and length of the feed of 1,000 visits and 60 meetings (below), as the portal wrote it before issue 19.
GOLDEN_1060 = ("ca5d35157b11dedd84f81fbaadd9963cb765fc79737ddfe4e7c70daf87cb7d56", 610370)


def _golden_feed(visits: int, meetings: int) -> bytes:
    events = visit_ical.feed_events(_rows(visits)) + meeting_ical.meeting_events(_meetings(meetings))
    events.sort(key=lambda e: e.starts_at)
    return ics.calendar(events, name="Dialogportalen – my calendar", refresh=ics.FEED_REFRESH)


@override_settings(PORTAL_BASE_URL="https://dialog.dalby.example")
def test_the_feed_is_byte_for_byte_what_it_was_before_it_was_made_fast(monkeypatch):
    _freeze(monkeypatch)
    with translation.override("en"):
        small, big = _golden_feed(60, 12), _golden_feed(1000, 60)
    assert small == (GOLDEN / "feed_72_events.ics").read_bytes()
    assert (hashlib.sha256(big).hexdigest(), len(big)) == GOLDEN_1060


def test_text_without_anything_to_escape_is_written_as_it_is_and_all_other_text_as_before():
    def slow(text):
        return ics.clean(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")

    alphabet = ["a", "Æ", " ", "\t", "\\", ";", ",", "\r\n", "\r", "\n", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"]
    alphabet += ["\x00", "\x1f", "\x7f", "\x9f", "\ud800", "é", "\u00a0", "😀"]
    texts = [""] + [a + b + c for a in alphabet for b in alphabet for c in ("", "x", ";")]
    for text in texts:
        assert ics.escape(text) == slow(text), repr(text)
    for line in ["", "A" * 75, "A" * 76, "Æ" * 37, "Æ" * 38, "Ø" * 80, "😀" * 19, "😀" * 20]:
        assert ics.fold(line).replace("\r\n ", "") == line
        assert all(len(part.encode()) <= 75 for part in ics.fold(line).split("\r\n"))


# --- The rows: in order of start, each visit once, its participants in the order they joined -----------------------


@pytest.mark.django_db
def test_the_feed_rows_are_the_visits_in_order_with_their_participants_as_they_joined(cast):
    from meetings.models import VisitParticipant
    from meetings.visits.selectors import feed_rows

    start = factories.next_weekday_at(10, days_ahead=9)

    def book(starts_at, purpose, booker=cast.member):
        slot = factories.VisitSlotFactory(workplace=cast.workplace, starts_at=starts_at, offer__created_by=cast.leader)
        return services.visit_book(slot=slot, booker=booker, purpose=purpose)

    crowded = book(start, "Mange deltagere")
    VisitParticipant.objects.create(visit=crowded, person=cast.vice_chair)
    VisitParticipant.objects.create(visit=crowded, person=cast.chair)
    colleague = factories.UserFactory(full_name="Test colleague")
    factories.MembershipFactory(user=colleague, committee=cast.committee)
    twin = book(start, "Samme tid", booker=colleague)  # the same start: the earlier booking first
    VisitParticipant.objects.create(visit=twin, person=cast.member)
    earlier = book(start - dt.timedelta(days=2), "Tidligere")  # booked last, starts first

    rows = feed_rows(cast.member)

    assert [row.pk for row in rows] == [earlier.pk, crowded.pk, twin.pk]
    assert rows[1].participants == ("Test member", "Test vice chair", "Test chair")  # as they joined, not by name
    assert rows[2].participants == ("Test colleague", "Test member")
    assert rows[0].participants == ("Test member",)
    assert [row.purpose for row in rows] == ["Tidligere", "Mange deltagere", "Samme tid"]


@pytest.mark.django_db
def test_a_leaders_feed_rows_name_everyone_at_their_workplace_and_themselves_where_they_take_part(cast):
    """A leader's feed holds the visits to their workplace they take no part in (with everyone who does) and those
    they joined, their own name among the others' in the order they joined."""
    from meetings.models import VisitParticipant
    from meetings.visits.selectors import feed_rows

    start = factories.next_weekday_at(10, days_ahead=9)
    slot = factories.VisitSlotFactory(workplace=cast.workplace, starts_at=start, offer__created_by=cast.leader)
    visit = services.visit_book(slot=slot, booker=cast.member, purpose="Besøg hos lederen")
    VisitParticipant.objects.create(visit=visit, person=cast.chair)
    elsewhere = factories.VisitSlotFactory(workplace=cast.other_workplace, starts_at=start + dt.timedelta(days=1))
    joined = services.visit_book(slot=elsewhere, booker=cast.other_member, purpose="Andetsteds")
    VisitParticipant.objects.create(visit=joined, person=cast.leader)
    VisitParticipant.objects.create(visit=joined, person=cast.vice_chair)

    rows = feed_rows(cast.leader)

    assert [(row.pk, row.participants) for row in rows] == [
        (visit.pk, ("Test member", "Test chair")),
        (joined.pk, ("Test other member", "Test leader", "Test vice chair")),
    ]
    assert feed_rows(cast.trio) == []  # a trio member leads nothing: no visit of the workplace's
