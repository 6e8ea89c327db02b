"""The calendar feed and .ics files: time zone, UID, SEQUENCE, status, location and link."""

import datetime as dt

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import CalendarFeedToken
from meetings.visits import services
from tests import factories

from .conftest import book

pytestmark = pytest.mark.django_db


def _slot_at(workplace, year, month, day, hour):
    start = factories.on_a_working_day(timezone.make_aware(dt.datetime(year, month, day, hour)), step=1)
    return factories.VisitSlotFactory(workplace=workplace, starts_at=start)


def _events(body: bytes):
    cal = icalendar.Calendar.from_ical(body)
    return cal, {str(e["uid"]): e for e in cal.walk("VEVENT")}


@pytest.fixture
def feed(cast):
    return services.calendar_token_ensure(person=cast.member)


def test_summer_and_winter_visits_keep_local_time_with_a_vtimezone(cast, client, feed, settings):
    year = timezone.localdate().year + 1
    summer = book(_slot_at(cast.workplace, year, 7, 1, 10), cast.member)
    winter = book(_slot_at(cast.workplace, year, 1, 14, 10), cast.member)

    response = client.get(reverse("meetings:calendar-feed", args=[feed.token]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content
    assert f"DTSTART;TZID=Europe/Copenhagen:{year}0701T100000".encode() in body
    assert f"DTSTART;TZID=Europe/Copenhagen:{year}0114T100000".encode() in body
    cal, events = _events(body)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Copenhagen"]
    utc = {uid: e.decoded("dtstart").astimezone(dt.UTC) for uid, e in events.items()}
    host = settings.PORTAL_BASE_URL.split("//")[1].split(":")[0]
    assert utc[f"visit-{summer.pk}@{host}"].hour == 8
    assert utc[f"visit-{winter.pk}@{host}"].hour == 9


def test_an_event_has_location_link_status_and_sequence(cast, client, feed, slot):
    visit = book(slot, cast.member)
    _cal, events = _events(client.get(reverse("meetings:calendar-feed", args=[feed.token])).content)
    (event,) = events.values()
    assert str(event["location"]) == cast.workplace.address
    assert str(event["url"]).endswith(reverse("meetings:visit-detail", args=[visit.pk]))
    assert str(event["status"]) == "TENTATIVE"
    assert int(event["sequence"]) == 0


def test_a_moved_and_then_cancelled_visit_keeps_its_uid_and_raises_the_sequence(cast, client, feed, slot):
    visit = services.visit_confirm(visit=book(slot, cast.member), actor=cast.leader)
    later = factories.VisitSlotFactory(
        workplace=cast.workplace, starts_at=factories.working_days_after(slot.starts_at, 1)
    )
    url = reverse("meetings:calendar-feed", args=[feed.token])
    _cal, before = _events(client.get(url).content)

    services.visit_move(visit=visit, actor=cast.member, slot=later)
    _cal, moved = _events(client.get(url).content)
    services.visit_cancel(visit=visit, actor=cast.member)
    _cal, cancelled = _events(client.get(url).content)

    assert before.keys() == moved.keys() == cancelled.keys()
    uid = next(iter(before))
    assert int(before[uid]["sequence"]) < int(moved[uid]["sequence"]) < int(cancelled[uid]["sequence"])
    assert moved[uid].decoded("dtstart") == timezone.localtime(later.starts_at)
    assert str(cancelled[uid]["status"]) == "CANCELLED"


def test_an_unknown_or_revoked_token_is_404(cast, client, feed):
    assert client.get(reverse("meetings:calendar-feed", args=["not-a-token"])).status_code == 404
    old = feed.token
    services.calendar_token_regenerate(person=cast.member)
    assert client.get(reverse("meetings:calendar-feed", args=[old])).status_code == 404
    new = CalendarFeedToken.objects.usable().get(person=cast.member)
    assert client.get(reverse("meetings:calendar-feed", args=[new.token])).status_code == 200
    services.calendar_token_revoke(person=cast.member)
    assert client.get(reverse("meetings:calendar-feed", args=[new.token])).status_code == 404


def test_a_feed_shows_only_its_owners_visits(cast, client, slot):
    mine = book(slot, cast.member)
    other_slot = factories.VisitSlotFactory(workplace=cast.other_workplace)
    theirs = book(other_slot, cast.other_member)
    token = services.calendar_token_ensure(person=cast.other_member)
    body = client.get(reverse("meetings:calendar-feed", args=[token.token])).content
    assert f"visit-{theirs.pk}@".encode() in body
    assert f"visit-{mine.pk}@".encode() not in body


def test_tokens_are_long_random_and_one_per_person(cast):
    first = services.calendar_token_ensure(person=cast.member)
    assert services.calendar_token_ensure(person=cast.member) == first
    assert len(first.token) >= 40
    assert services.calendar_token_ensure(person=cast.chair).token != first.token
