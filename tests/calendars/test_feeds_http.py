"""The feeds as calendar apps fetch them: a refresh hint, an ETag, 304 Not Modified without building the body while
nothing changed, a new ETag when anything shown changes, and a charset on every calendar response."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import ics
from meetings.models import Meeting, User, Workplace
from meetings.visits import services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def personal(cast, booked, meeting):
    return reverse("meetings:calendar-feed", args=[services.calendar_token_ensure(person=cast.member).token])


@pytest.fixture
def public(cast, meeting):
    return reverse("meetings:public-feed", args=[cast.committee.slug])


def _not_built(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the body was built for an unchanged feed")

    monkeypatch.setattr(ics, "calendar", refuse)


@pytest.mark.parametrize(("feed", "policy"), [("personal", "private, max-age=300"), ("public", "public, max-age=900")])
def test_an_unchanged_feed_answers_304_with_its_etag_without_building_the_body(
    client, request, monkeypatch, feed, policy
):
    url = request.getfixturevalue(feed)
    first = client.get(url)
    assert first.status_code == 200
    tag = first["ETag"]
    assert tag.startswith('W/"')
    assert first["Cache-Control"] == policy

    _not_built(monkeypatch)
    again = client.get(url, HTTP_IF_NONE_MATCH=tag)

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == tag
    assert again["Cache-Control"] == policy


def test_a_304_runs_no_more_queries_than_the_full_feed(client, personal):
    with CaptureQueriesContext(connection) as full:
        tag = client.get(personal)["ETag"]
    with CaptureQueriesContext(connection) as unchanged:
        assert client.get(personal, HTTP_IF_NONE_MATCH=tag).status_code == 304
    assert len(unchanged) <= len(full)


def test_an_etag_the_feed_no_longer_has_gets_the_full_feed(client, personal):
    response = client.get(personal, HTTP_IF_NONE_MATCH='W/"something-older"')
    assert response.status_code == 200
    assert b"BEGIN:VEVENT" in response.content


def _save(model, pk, **fields) -> None:
    """A change as the admin and the services make it: the row's save(), which tells the feeds (meetings/feeds.py)."""
    obj = model.objects.get(pk=pk)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()


def _changes_etag(client, url, change) -> bool:
    tag = client.get(url)["ETag"]
    change()
    response = client.get(url, HTTP_IF_NONE_MATCH=tag)
    return response.status_code == 200 and response["ETag"] != tag


def test_the_personal_feeds_etag_changes_with_every_change_its_events_show(client, cast, booked, meeting, personal):
    later = factories.VisitSlotFactory(
        workplace=cast.workplace,
        starts_at=factories.working_days_after(booked.starts_at, 1),
        offer__created_by=cast.leader,
    )
    assert _changes_etag(client, personal, lambda: services.visit_move(visit=booked, actor=cast.member, slot=later))
    assert _changes_etag(client, personal, lambda: _save(Workplace, cast.workplace.pk, address="Ny vej 1"))
    assert _changes_etag(client, personal, lambda: _save(Meeting, meeting.pk, programme="Rundvisning"))
    assert _changes_etag(client, personal, lambda: _save(User, cast.member.pk, full_name="Anne Ny"))
    assert _changes_etag(client, personal, lambda: services.visit_cancel(visit=booked, actor=cast.member))


def test_the_public_feeds_etag_changes_when_a_meeting_or_its_host_changes(client, cast, meeting, public):
    assert _changes_etag(client, public, lambda: _save(Meeting, meeting.pk, agenda_url="https://dalby.example/a"))
    assert _changes_etag(client, public, lambda: _save(Workplace, cast.workplace.pk, name="Nyt navn"))
    assert _changes_etag(client, public, lambda: _save(Meeting, meeting.pk, sequence=2))


def test_a_revoked_address_is_404_whatever_etag_the_app_sends(client, cast, personal):
    tag = client.get(personal)["ETag"]
    services.calendar_token_revoke(person=cast.member)
    assert client.get(personal, HTTP_IF_NONE_MATCH=tag).status_code == 404


@pytest.mark.parametrize("feed", ["personal", "public"])
def test_feeds_ask_calendar_apps_to_refresh_hourly(client, request, feed):
    body = client.get(request.getfixturevalue(feed)).content
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in body
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in body


def test_every_calendar_response_names_its_charset(client_for, cast, booked, meeting, personal, public):
    client = client_for(cast.member)
    urls = [
        personal,
        public,
        reverse("meetings:meeting-ics", args=[meeting.pk]),
        reverse("meetings:visit-ics", args=[booked.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "text/calendar; charset=utf-8", url
