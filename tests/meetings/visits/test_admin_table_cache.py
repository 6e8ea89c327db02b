"""The secretariat's table of all visits is kept per query string and language under the versions of what it shows
(issue 19): every change, and a confirmed visit's end passing, shows on the next request."""

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import translation

from core import dates
from meetings.visits import services

from .conftest import book, later_time, move

pytestmark = pytest.mark.django_db

URL = reverse("meetings:visit-admin-list")


def _page(client, **query) -> str:
    response = client.get(URL, query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_booking_shows_at_once(client_for, cast, slot):
    client = client_for(cast.administrator)
    assert "Ingen besøg." in _page(client)
    visit = book(slot, cast.member)
    page = _page(client)
    assert visit.get_absolute_url() in page and cast.member.full_name in page


def test_a_cancellation_and_a_confirmation_show_at_once(client_for, cast, slot):
    client = client_for(cast.administrator)
    visit = book(slot, cast.member)
    assert 'data-status="requested"' in _page(client)
    services.visit_confirm(visit=visit, actor=cast.leader)
    assert 'data-status="confirmed"' in _page(client)
    services.visit_cancel(visit=visit, actor=cast.member)
    assert 'data-status="cancelled"' in _page(client)


def test_a_moved_time_shows_at_once(client_for, cast, slot):
    client = client_for(cast.administrator)
    visit = book(slot, cast.member)
    later, old, new = later_time(cast, slot, "datetime_short")
    assert old in _page(client)
    move(visit, cast.member, later)
    page = _page(client)
    assert new in page and old not in page


def test_a_new_name_of_a_participant_or_a_workplace_shows_at_once(client_for, cast, slot):
    client = client_for(cast.administrator)
    book(slot, cast.member)
    _page(client)
    cast.member.full_name = "Helt Nyt Navn"
    cast.member.save()
    assert "Helt Nyt Navn" in _page(client)
    cast.workplace.name = "Børnehuset Mælkebøtten"
    cast.workplace.save()
    assert "Børnehuset Mælkebøtten" in _page(client)


def test_a_filter_by_person_shows_a_new_participant_at_once(client_for, cast, slot):
    client = client_for(cast.administrator)
    visit = book(slot, cast.member)
    assert visit.get_absolute_url() not in _page(client, person=cast.chair.pk)
    visit.participants.create(person=cast.chair)
    assert visit.get_absolute_url() in _page(client, person=cast.chair.pk)


def test_a_confirmed_visit_whose_time_passes_shows_as_not_confirmed(client_for, cast, slot):
    client = client_for(cast.administrator)
    visit = book(slot, cast.member)
    services.visit_confirm(visit=visit, actor=cast.leader)
    assert 'data-testid="visit-unconfirmed"' not in _page(client)
    with mock.patch("django.utils.timezone.now", return_value=slot.ends_at + dt.timedelta(minutes=1)):
        assert 'data-testid="visit-unconfirmed"' in _page(client)


def test_the_table_is_kept_per_language(client_for, cast, slot):
    client = client_for(cast.administrator)
    book(slot, cast.member)
    assert "Ingen besøg." not in _page(client)
    with translation.override("da"):
        assert dates.when(slot.starts_at, "datetime_short") in _page(client)
    client.post(reverse("set_language"), {"language": "en", "next": URL})
    with translation.override("en"):
        assert dates.when(slot.starts_at, "datetime_short") in _page(client)


def test_only_administrators_see_the_table_even_when_kept(client_for, cast, slot):
    book(slot, cast.member)
    _page(client_for(cast.administrator))
    assert client_for(cast.member).get(URL).status_code == 404
