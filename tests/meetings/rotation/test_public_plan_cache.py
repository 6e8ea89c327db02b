"""The committee's public plan is kept per committee, year and language under the versions of what it shows (issue
19): a moved or cancelled meeting, a newly published year, a renamed host, venue or committee show on the next
request, whichever way they are written."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Meeting, Venue
from meetings.rotation import services

pytestmark = pytest.mark.django_db

MEETINGS = 'FROM "meetings_meeting" '


@pytest.fixture
def published(cast, rotation):
    plan = services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)
    services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    return plan


def _url(cast, year):
    return reverse("meetings:public-plan", args=[cast.committee.slug, year])


def _page(client, cast, year) -> str:
    response = client.get(_url(cast, year))
    assert response.status_code == 200
    return response.content.decode()


def _first(plan) -> Meeting:
    return Meeting.objects.filter(plan=plan).select_related("host").order_by("starts_at").first()


def test_the_plan_is_kept_and_read_again_only_after_a_change(client, cast, published):
    _page(client, cast, published.year)
    with CaptureQueriesContext(connection) as kept:
        _page(client, cast, published.year)
    # The committee and the other features' panels (the hearings' matters, the stories); not the meetings.
    assert not any(MEETINGS in q["sql"] for q in kept.captured_queries)
    meeting = _first(published)
    meeting.agenda_url = "https://dalby.example/dagsorden"
    meeting.save()
    with CaptureQueriesContext(connection) as again:
        _page(client, cast, published.year)
    assert any(MEETINGS in q["sql"] for q in again.captured_queries)


def test_a_moved_meeting_shows_at_once(client, cast, published):
    meeting = _first(published)
    _page(client, cast, published.year)
    local = meeting.local_date
    new_day = local + dt.timedelta(days=1 if local.weekday() < 4 else -1)
    services.meeting_update(
        meeting=meeting,
        actor=cast.administrator,
        date=new_day,
        start=dt.time(9, 30),
        minutes=60,
        agenda_url="",
        programme=meeting.programme,
    )
    assert "9.30–10.30" in _page(client, cast, published.year)


def test_a_meeting_cancelled_in_bulk_shows_at_once(client, cast, published):
    assert "Aflyst" not in _page(client, cast, published.year)
    Meeting.objects.filter(pk=_first(published).pk).update(status=Meeting.Status.CANCELLED)
    assert "Aflyst" in _page(client, cast, published.year)


def test_a_renamed_host_shows_at_once(client, cast, published):
    host = _first(published).host
    assert host.name in _page(client, cast, published.year)
    host.name = "Det Nye Navn"
    host.save()
    assert "Det Nye Navn" in _page(client, cast, published.year)


def test_a_renamed_venue_shows_at_once(client, cast, published):
    venue = Venue.objects.create(
        slug="dalby-medborgerhus", name="Dalby Medborgerhus", address="Torvet 1", district=cast.workplace.district
    )
    meeting = _first(published)
    meeting.venue = venue
    meeting.save()
    assert "Dalby Medborgerhus" in _page(client, cast, published.year)
    Venue.objects.filter(pk=venue.pk).update(name="Dalby Kulturhus")
    assert "Dalby Kulturhus" in _page(client, cast, published.year)


def test_a_renamed_committee_shows_at_once(client, cast, published):
    _page(client, cast, published.year)
    cast.committee.name = "Udvalget for Børn"
    cast.committee.save()
    page = _page(client, cast, published.year)
    assert "Møder i Udvalget for Børn i" in page  # the table's caption, inside the kept part


def test_a_year_published_after_it_was_asked_for_shows_at_once(client, cast, rotation):
    assert client.get(_url(cast, rotation.year)).status_code == 404
    plan = services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)
    assert client.get(_url(cast, rotation.year)).status_code == 404  # a draft is not public
    services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    assert 'data-testid="plan-inputs-fingerprint"' in _page(client, cast, rotation.year)


def test_each_language_is_kept_on_its_own(client, cast, published):
    assert "Uge" in _page(client, cast, published.year)
    client.cookies["dialog_language"] = "en"
    english = _page(client, cast, published.year)
    assert "Week" in english and "Uge" not in english
    client.cookies["dialog_language"] = "da"
    assert "Uge" in _page(client, cast, published.year)
