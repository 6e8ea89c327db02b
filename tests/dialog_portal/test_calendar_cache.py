"""My calendar keeps its lists per person and language under the versions of the person's feed (issue 19): every
change to what they show, and time passing, shows on the next request."""

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core import dates
from meetings.models import Meeting
from meetings.visits import services
from tests import factories
from tests.meetings.visits.conftest import book, later_time, move

pytestmark = pytest.mark.django_db

URL = reverse("meetings:calendar-detail")


@pytest.fixture
def slot(cast):
    """A free time next week at the cast's workplace."""
    return factories.VisitSlotFactory(workplace=cast.workplace, offer__created_by=cast.leader)


def _page(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def _meeting(cast, *, days_ahead=10) -> Meeting:
    return factories.published_meeting(
        committee=cast.committee,
        host=cast.workplace,
        starts_at=timezone.now() + dt.timedelta(days=days_ahead),
        created_by=cast.administrator,
    )


def test_a_warm_calendar_reads_only_the_feed_address(client_for, cast, slot, django_assert_num_queries):
    client = client_for(cast.member)
    book(slot, cast.member)
    _page(client)
    with django_assert_num_queries(1):
        _page(client)


def test_a_new_booking_shows_at_once(client_for, cast, slot):
    client = client_for(cast.member)
    assert "visit-" not in _page(client)
    visit = book(slot, cast.member)
    assert f'data-testid="visit-{visit.pk}"' in _page(client)


def test_a_booking_by_a_colleague_shows_at_once_for_the_person_booked(client_for, cast, slot):
    client = client_for(cast.chair)
    _page(client)
    visit = book(slot, cast.member, colleague=cast.chair)
    page = _page(client)
    assert f'data-testid="visit-{visit.pk}"' in page
    assert cast.member.full_name in page


def test_a_cancellation_shows_at_once(client_for, cast, slot):
    client = client_for(cast.member)
    visit = book(slot, cast.member)
    assert 'data-status="cancelled"' not in _page(client)
    services.visit_cancel(visit=visit, actor=cast.member)
    assert 'data-status="cancelled"' in _page(client)


def test_a_moved_time_shows_at_once(client_for, cast, slot):
    client = client_for(cast.member)
    visit = book(slot, cast.member)
    later, old, new = later_time(cast, slot, "weekday_datetime")
    assert old in _page(client)
    move(visit, cast.member, later)
    page = _page(client)
    assert new in page
    assert old not in page


def test_a_fellow_participants_new_name_shows_at_once(client_for, cast, slot):
    client = client_for(cast.member)
    book(slot, cast.member, colleague=cast.chair)
    assert cast.chair.full_name in _page(client)
    cast.chair.full_name = "Helt Nyt Navn"
    cast.chair.save()
    assert "Helt Nyt Navn" in _page(client)


def test_a_meeting_change_shows_at_once(client_for, cast):
    client = client_for(cast.member)
    _page(client)
    meeting = _meeting(cast)
    page = _page(client)
    assert f'data-testid="meeting-{meeting.pk}"' in page and "Solsikkevej 1" in page
    meeting.address = "Nyvej 2"
    meeting.save()
    assert "Nyvej 2" in _page(client)
    meeting.status = Meeting.Status.CANCELLED
    meeting.save()
    assert '<span class="badge text-bg-secondary">Aflyst</span>' in _page(client)


def test_a_new_committee_seat_shows_its_meetings_at_once(client_for, cast):
    meeting = _meeting(cast)
    newcomer = factories.UserFactory()
    client = client_for(newcomer)
    assert f"meeting-{meeting.pk}" not in _page(client)
    factories.MembershipFactory(user=newcomer, committee=cast.committee)
    assert f"meeting-{meeting.pk}" in _page(client)


def test_a_visit_whose_time_passes_leaves_coming_without_any_change(client_for, cast, slot):
    client = client_for(cast.member)
    visit = book(slot, cast.member)
    services.visit_confirm(visit=visit, actor=cast.leader)
    page = _page(client)
    assert page.index(f"visit-{visit.pk}") < page.index('id="feed-heading"')
    assert 'data-testid="visit-unconfirmed"' not in page
    with mock.patch("django.utils.timezone.now", return_value=slot.ends_at + dt.timedelta(minutes=1)):
        page = _page(client)
    assert 'data-testid="visit-unconfirmed"' in page  # past, and not yet confirmed as held


def test_a_past_visit_leaves_the_window_after_ninety_days(client_for, cast, slot):
    client = client_for(cast.member)
    visit = book(slot, cast.member)
    services.visit_cancel(visit=visit, actor=cast.member)
    assert f"visit-{visit.pk}" in _page(client)
    with mock.patch("django.utils.timezone.now", return_value=slot.ends_at + dt.timedelta(days=91)):
        assert f"visit-{visit.pk}" not in _page(client)


def test_the_lists_are_kept_per_language(client_for, cast, slot):
    client = client_for(cast.member)
    book(slot, cast.member)
    with translation.override("da"):
        assert dates.when(slot.starts_at, "weekday_datetime") in _page(client)
    client.post(reverse("set_language"), {"language": "en", "next": URL})
    page = _page(client)
    with translation.override("en"):
        assert dates.when(slot.starts_at, "weekday_datetime") in page
