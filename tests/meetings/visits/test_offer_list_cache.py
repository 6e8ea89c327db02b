"""The leader's visit times keep their lists and offers per workplace, person and language under the versions of
what they show (issue 19): every change, and time passing, shows on the next request; the settings' form and its
token are never kept."""

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import translation

from core import dates
from meetings.models import Blackout, VisitFeedback, VisitSettings, Workplace, WorkplaceRole
from meetings.visits import services
from tests import factories

from .conftest import book, confirm_held, later_time, move

pytestmark = pytest.mark.django_db


def _url(cast) -> str:
    return reverse("meetings:visit-offer-list", args=[cast.workplace.slug])


def _page(client, cast) -> str:
    response = client.get(_url(cast))
    assert response.status_code == 200
    return response.content.decode()


def test_a_warm_page_runs_no_query(client_for, cast, slot, django_assert_num_queries):
    """The workplace, its settings' fields, the lists and the offers all come from the cache in one round trip."""
    client = client_for(cast.leader)
    book(slot, cast.member)
    _page(client, cast)
    with django_assert_num_queries(0):
        _page(client, cast)


def test_a_renamed_workplace_and_new_settings_written_in_bulk_show_at_once(client_for, cast):
    client = client_for(cast.leader)
    _page(client, cast)
    Workplace.objects.filter(pk=cast.workplace.pk).update(name="Omdøbt Børnehus")
    assert "Omdøbt Børnehus" in _page(client, cast)
    VisitSettings.objects.update_or_create(workplace=cast.workplace, defaults={"booking_notice_days": 9})
    _page(client, cast)
    VisitSettings.objects.filter(workplace=cast.workplace).update(booking_notice_days=11)
    assert 'value="11"' in _page(client, cast)


def test_the_kept_workplace_opens_the_page_only_to_its_leaders_and_the_secretariat(client_for, cast):
    """Another leader, a politician and the trio get 404 even when the workplace is kept; a role taken away shows at
    once; an unknown address is 404 until a workplace takes it."""
    _page(client_for(cast.leader), cast)  # the workplace is kept now
    for person in (cast.other_leader, cast.member, cast.trio):
        assert client_for(person).get(_url(cast)).status_code == 404
    assert client_for(cast.administrator).get(_url(cast)).status_code == 200
    client = client_for(cast.leader)
    WorkplaceRole.objects.filter(user=cast.leader, workplace=cast.workplace).delete()
    assert client.get(_url(cast)).status_code == 404
    unknown = reverse("meetings:visit-offer-list", args=["ny-skole"])
    assert client_for(cast.administrator).get(unknown).status_code == 404
    factories.WorkplaceFactory(slug="ny-skole", name="Ny skole", committees=[cast.committee])
    assert client_for(cast.administrator).get(unknown).status_code == 200


def test_a_new_booking_a_confirmation_and_a_cancellation_show_at_once(client_for, cast, slot):
    client = client_for(cast.leader)
    assert 'data-testid="awaiting-visit"' not in _page(client, cast)
    visit = book(slot, cast.member)
    page = _page(client, cast)
    assert 'data-testid="awaiting-visit"' in page and cast.member.full_name in page
    services.visit_confirm(visit=visit, actor=cast.leader)
    page = _page(client, cast)
    assert 'data-testid="awaiting-visit"' not in page and f'data-testid="visit-{visit.pk}"' in page
    services.visit_cancel(visit=visit, actor=cast.member)
    assert f'data-testid="visit-{visit.pk}"' not in _page(client, cast)


def test_a_moved_time_shows_at_once(client_for, cast, slot):
    client = client_for(cast.leader)
    visit = book(slot, cast.member)
    later, old, new = later_time(cast, slot, "weekday_day_month_time")
    assert old in _page(client, cast)
    move(visit, cast.member, later)
    page = _page(client, cast)
    assert new in page and old not in page


def test_a_new_name_shows_at_once(client_for, cast, slot):
    client = client_for(cast.leader)
    book(slot, cast.member)
    _page(client, cast)
    cast.member.full_name = "Helt Nyt Navn"
    cast.member.save()
    assert "Helt Nyt Navn" in _page(client, cast)


def test_feedback_shows_at_once_as_given(client_for, cast, slot):
    visit = book(slot, cast.member)
    services.visit_confirm(visit=visit, actor=cast.leader)
    after = slot.ends_at + dt.timedelta(minutes=1)
    client = client_for(cast.leader)
    with mock.patch("django.utils.timezone.now", return_value=after):
        confirm_held(visit, cast.leader, now=after)
        assert 'data-testid="feedback-done"' not in _page(client, cast)
        VisitFeedback.objects.create(visit=visit, author=cast.leader, kind="workplace", text="Et godt besøg.")
        page = _page(client, cast)
    assert 'data-testid="feedback-done"' in page and "Et godt besøg." in page


def test_a_new_offer_a_withdrawal_and_a_blackout_show_at_once(client_for, cast, slot):
    client = client_for(cast.leader)
    page = _page(client, cast)
    assert page.count('data-testid="offer-count"') == 1
    assert 'data-testid="offer-closed"' not in page
    Blackout.objects.create(workplace=cast.workplace, first_day=slot.day, last_day=slot.day)
    assert 'data-testid="offer-closed"' in _page(client, cast)
    other = factories.VisitSlotFactory(workplace=cast.workplace, offer__created_by=cast.leader)
    assert _page(client, cast).count('data-testid="offer-count"') == 2
    services.visit_offer_withdraw(offer=other.offer, actor=cast.leader)
    assert "text-bg-secondary" in _page(client, cast)


def test_time_passing_moves_a_visit_to_the_past_and_counts_the_offers_anew(client_for, cast, slot):
    client = client_for(cast.leader)
    visit = book(slot, cast.member)
    services.visit_confirm(visit=visit, actor=cast.leader)
    page = _page(client, cast)
    assert reverse("meetings:visit-outcome", args=[visit.pk]) not in page
    with mock.patch("django.utils.timezone.now", return_value=slot.starts_at + dt.timedelta(minutes=1)):
        started = _page(client, cast)
    assert _offer_count(started) != _offer_count(page)  # its only time has begun: no coming time is left
    with mock.patch("django.utils.timezone.now", return_value=slot.ends_at + dt.timedelta(minutes=1)):
        page = _page(client, cast)
    assert reverse("meetings:visit-outcome", args=[visit.pk]) in page  # over, and not yet confirmed as held


def _offer_count(page: str) -> str:
    start = page.index('data-testid="offer-count">')
    return page[start : page.index("<", start)]


def test_the_settings_form_is_never_kept_and_others_see_no_leader_links(client_for, cast, slot):
    visit = book(slot, cast.member)
    client = client_for(cast.leader)
    first, second = _page(client, cast), _page(client, cast)
    assert "csrfmiddlewaretoken" in first and "csrfmiddlewaretoken" in second
    admin_page = _page(client_for(cast.administrator), cast)
    assert reverse("meetings:visit-confirm", args=[visit.pk]) not in admin_page
    assert 'action="' + reverse("meetings:visit-settings-update", args=[cast.workplace.slug]) not in admin_page


def test_the_lists_are_kept_per_language(client_for, cast, slot):
    client = client_for(cast.leader)
    book(slot, cast.member)
    with translation.override("da"):
        assert dates.when(slot.starts_at, "weekday_day_month_time") in _page(client, cast)
    client.post(reverse("set_language"), {"language": "en", "next": _url(cast)})
    with translation.override("en"):
        assert dates.when(slot.starts_at, "weekday_day_month_time") in _page(client, cast)


def test_new_visit_settings_show_at_once_in_the_form(client_for, cast):
    client = client_for(cast.leader)
    assert 'value="5"' not in _page(client, cast)
    url = reverse("meetings:visit-settings-update", args=[cast.workplace.slug])
    client.post(url, {"monthly_cap": "", "booking_notice_days": "5", "cancel_notice_days": "3"})
    page = _page(client, cast)
    assert 'name="booking_notice_days"' in page and 'value="5"' in page
    assert "csrfmiddlewaretoken" in page
