"""The first week of real use (issue 21): what a politician or a leader has done shows as done, a full month shows
as full before the form, the leader's offers name the weekday and leave out closed days, the offer form keeps the
two kinds apart, the workplace page leads to booking and to the visit times, and stopping the calendar address
asks first."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from codex.models import AnswerReceipt
from core.versioned_cache import model_version_bump
from meetings.models import Blackout, CalendarFeedToken, VisitOffer, VisitSettings
from meetings.visits import services
from tests import factories

from .conftest import book, confirm_held

pytestmark = pytest.mark.django_db


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _month_ahead(months: int = 2) -> dt.date:
    """The first day of a month that lies wholly in the future."""
    first = timezone.localdate().replace(day=1)
    for _ in range(months):
        first = (first + dt.timedelta(days=32)).replace(day=1)
    return first


def _working_day(day: dt.date) -> dt.date:
    from meetings.workdays import is_working_day

    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


@pytest.fixture
def held_visit(cast):
    start = factories.on_a_working_day(timezone.now() - dt.timedelta(days=2))
    slot = factories.VisitSlotFactory(
        workplace=cast.workplace, offer__created_by=cast.leader, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    visit = services.visit_confirm(
        visit=book(slot, cast.member, now=start - dt.timedelta(days=14)),
        actor=cast.leader,
        now=start - dt.timedelta(days=2),
    )
    return confirm_held(visit, cast.leader)


# --- Feedback and the mirror questions: done, not refused ----------------------------------------------------------


def test_a_participant_sees_the_feedback_and_mirror_buttons_until_they_have_used_them(client_for, cast, held_visit):
    client = client_for(cast.member)
    page = client.get(held_visit.get_absolute_url()).content.decode()
    assert 'id="visit-feedback-link"' in page
    assert 'id="visit-mirror-link"' in page
    assert 'data-testid="feedback-done"' not in page


def test_after_giving_feedback_the_button_becomes_a_done_note(client_for, cast, held_visit):
    services.visit_feedback_give(visit=held_visit, author=cast.member, text="Lærerigt", rating=5)
    page = client_for(cast.member).get(held_visit.get_absolute_url()).content.decode()
    assert 'id="visit-feedback-link"' not in page
    assert 'data-testid="feedback-done"' in page


def test_the_feedback_page_after_feedback_says_it_is_given_instead_of_showing_a_form(client_for, cast, held_visit):
    services.visit_feedback_give(visit=held_visit, author=cast.member, text="Lærerigt", rating=5)
    response = client_for(cast.member).get(reverse("meetings:visit-feedback", args=[held_visit.pk]), follow=True)
    assert response.redirect_chain[0][0] == held_visit.get_absolute_url()
    assert "already given feedback" in response.content.decode() or "allerede givet" in response.content.decode()


def test_after_answering_the_mirror_questions_the_button_becomes_a_done_note(client_for, cast, held_visit):
    AnswerReceipt.objects.create(person=cast.member, occasion_key=f"visit:{held_visit.pk}")
    page = client_for(cast.member).get(held_visit.get_absolute_url()).content.decode()
    assert 'id="visit-mirror-link"' not in page
    assert 'data-testid="mirror-done"' in page
    # Someone else's answer does not count as the leader's.
    leader_page = client_for(cast.leader).get(held_visit.get_absolute_url()).content.decode()
    assert 'id="visit-mirror-link"' in leader_page


def test_the_leaders_list_shows_their_own_feedback_as_done(client_for, cast, held_visit):
    url = reverse("meetings:visit-offer-list", args=[cast.workplace.slug])
    client = client_for(cast.leader)
    feedback_link = reverse("meetings:visit-feedback", args=[held_visit.pk])
    assert feedback_link in client.get(url).content.decode()
    services.visit_feedback_give(visit=held_visit, author=cast.leader, text="Godt besøg")
    page = client.get(url).content.decode()
    assert feedback_link not in page
    assert 'data-testid="feedback-done"' in page


# --- The monthly cap shows before the form ---------------------------------------------------------------------


@pytest.fixture
def capped_month(cast):
    """A month with a cap of one visit, already booked once; a second free time in the same month."""
    month = _month_ahead()
    VisitSettings.objects.create(workplace=cast.workplace, monthly_cap=1)
    taken = factories.VisitSlotFactory(workplace=cast.workplace, starts_at=_at(_working_day(month)))
    book(taken, cast.chair)
    free = factories.VisitSlotFactory(workplace=cast.workplace, starts_at=_at(_working_day(month + dt.timedelta(7))))
    return month, taken, free


def test_the_time_list_shows_a_full_month_as_full_and_offers_no_booking_there(client_for, cast, capped_month):
    month, taken, free = capped_month
    url = reverse("meetings:visit-slot-list", args=[cast.workplace.slug]) + f"?fra={month:%Y-%m-%d}"
    page = client_for(cast.member).get(url).content.decode()
    assert 'data-testid="month-full"' in page
    assert reverse("meetings:visit-create", args=[free.pk]) not in page
    # Joining the time that already has a visit does not count again, so it can still be booked.
    assert reverse("meetings:visit-create", args=[taken.pk]) in page


def test_the_booking_page_of_a_full_month_says_so_instead_of_showing_the_form(client_for, cast, capped_month):
    _month, _taken, free = capped_month
    page = client_for(cast.member).get(reverse("meetings:visit-create", args=[free.pk])).content.decode()
    assert 'data-testid="month-full"' in page
    assert 'id="visit-book-form"' not in page


def test_a_booking_refused_by_a_month_filled_meanwhile_keeps_what_was_typed(client_for, cast, capped_month):
    _month, _taken, free = capped_month
    response = client_for(cast.member).post(
        reverse("meetings:visit-create", args=[free.pk]), {"purpose": "Se det nye køkken"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Se det nye køkken" in content
    assert 'data-testid="month-full"' in content


def test_a_month_under_its_cap_shows_no_full_note(client_for, cast, slot):
    VisitSettings.objects.create(workplace=cast.workplace, monthly_cap=3)
    page = client_for(cast.member).get(reverse("meetings:visit-create", args=[slot.pk])).content.decode()
    assert 'data-testid="month-full"' not in page
    assert 'id="visit-book-form"' in page


# --- The leader's offers: weekdays, closed days, the form -----------------------------------------------------------


def test_the_leaders_offers_name_the_weekday_in_danish(client_for, cast):
    monday = _working_day(_month_ahead())
    while monday.weekday() != 1:  # a Tuesday that is a working day
        monday = _working_day(monday + dt.timedelta(days=1))
    factories.VisitSlotFactory(workplace=cast.workplace, starts_at=_at(monday), offer__created_by=cast.leader)
    VisitOffer.objects.create(
        workplace=cast.workplace,
        kind=VisitOffer.Kind.WEEKLY,
        weekday=2,
        start_time=dt.time(9),
        end_time=dt.time(11),
        first_day=monday,
        last_day=monday + dt.timedelta(days=28),
        created_by=cast.leader,
    )
    with translation.override("da"):
        page = client_for(cast.leader).get(
            reverse("meetings:visit-offer-list", args=[cast.workplace.slug]), HTTP_ACCEPT_LANGUAGE="da"
        )
    whens = re.findall(r'data-testid="offer-when">([^<]*)<', page.content.decode())
    assert any(w.startswith("Hver tirsdag kl. 9.00–11.00") for w in whens), whens
    assert any(w.startswith("tirsdag ") for w in whens), whens


def _next_weekday_holiday() -> dt.date:
    """The next public or municipal holiday that falls on a weekday."""
    from meetings.workdays import closed_days_of_year

    today = timezone.localdate()
    days = sorted(d for y in (today.year, today.year + 1) for d in closed_days_of_year(y))
    return next(d for d in days if d > today + dt.timedelta(days=1) and d.weekday() < 5)


def test_the_leaders_offers_do_not_count_weekends_holidays_or_blackouts_as_bookable(client_for, cast):
    from meetings.visits.selectors import offers_with_counts

    start = _working_day(_month_ahead())
    saturday = start + dt.timedelta(days=(5 - start.weekday()) % 7)
    blacked_out = _working_day(saturday + dt.timedelta(days=2))
    Blackout.objects.create(workplace=cast.workplace, first_day=blacked_out, last_day=blacked_out)
    offer = factories.VisitOfferFactory(workplace=cast.workplace, created_by=cast.leader)
    for day in (start, saturday, blacked_out, _next_weekday_holiday()):
        factories.VisitSlotFactory(workplace=cast.workplace, offer=offer, starts_at=_at(day))
    [listed] = offers_with_counts(cast.workplace)
    assert (listed.future_slots, listed.closed_slots) == (1, 3)
    page = client_for(cast.leader).get(reverse("meetings:visit-offer-list", args=[cast.workplace.slug])).content
    assert b'data-testid="offer-closed"' in page


def test_the_offer_form_shows_the_single_and_weekly_fields_in_their_own_fieldsets(client_for, cast):
    page = client_for(cast.leader).get(reverse("meetings:visit-offer-create", args=[cast.workplace.slug]))
    content = page.content.decode()
    single = content[content.index('id="offer-single"') : content.index('id="offer-weekly"')]
    weekly = content[content.index('id="offer-weekly"') : content.index('id="offer-terms"')]
    assert "<legend" in single and 'name="starts_at"' in single and 'name="weekday"' not in single
    assert "<legend" in weekly and 'name="weekday"' in weekly and 'name="first_day"' in weekly
    assert "js/visit_offer_form.js" in content


def test_what_is_left_in_the_hidden_kinds_fields_neither_fails_nor_is_lost(client_for, cast):
    first = _working_day(timezone.localdate() + dt.timedelta(days=7))
    data = {
        "kind": "weekly",
        "starts_at": "not a time",
        "weekday": str(first.isoweekday()),
        "start_time": "09:00",
        "end_time": "10:00",
        "first_day": first.isoformat(),
        "last_day": (first + dt.timedelta(days=14)).isoformat(),
        "slot_minutes": "60",
        "min_politicians": "1",
        "max_politicians": "2",
    }
    response = client_for(cast.leader).post(reverse("meetings:visit-offer-create", args=[cast.workplace.slug]), data)
    assert response.status_code == 302
    assert VisitOffer.objects.get().kind == "weekly"


def test_a_refused_offer_keeps_both_kinds_fields(client_for, cast):
    data = {"kind": "single", "starts_at": "", "weekday": "3", "start_time": "09:00", "slot_minutes": "60"}
    data |= {"min_politicians": "1", "max_politicians": "2"}
    response = client_for(cast.leader).post(reverse("meetings:visit-offer-create", args=[cast.workplace.slug]), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert not VisitOffer.objects.exists()
    assert 'value="09:00"' in content
    assert re.search(r'<option value="3"\s+selected', content)


def test_the_offer_list_runs_the_same_queries_however_many_offers(client_for, cast, django_assert_num_queries):
    client = client_for(cast.leader)
    url = reverse("meetings:visit-offer-list", args=[cast.workplace.slug])
    factories.VisitSlotFactory(workplace=cast.workplace)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with django_assert_num_queries(0):  # the workplace with its settings, the lists and the offers are kept
        client.get(url)
    model_version_bump(VisitOffer)  # built anew at both sizes
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for days in range(1, 6):
        factories.VisitSlotFactory(workplace=cast.workplace, starts_at=factories.next_weekday_at(9, days_ahead=days))
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


# --- The workplace page leads to visits -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "book", "manage"),
    [
        ("member", True, False),
        ("chair", True, False),
        ("leader", False, True),
        ("other_member", False, False),
        ("trio", False, False),
        ("other_leader", False, False),
        ("outsider", False, False),
    ],
)
def test_the_workplace_page_links_to_booking_and_visit_times_for_those_who_may(client_for, cast, role, book, manage):
    page = client_for(getattr(cast, role)).get(reverse("meetings:workplace-detail", args=[cast.workplace.slug]))
    content = page.content.decode()
    assert page.status_code == 200
    assert ('data-testid="workplace-book-link"' in content) is book
    assert ('data-testid="workplace-visit-times-link"' in content) is manage


def test_the_workplace_page_names_the_next_free_time(client_for, cast, slot):
    content = client_for(cast.member).get(reverse("meetings:workplace-detail", args=[cast.workplace.slug])).content
    assert reverse("meetings:visit-slot-list", args=[cast.workplace.slug]).encode() in content
    assert timezone.localtime(slot.starts_at).strftime("%-H.%M").encode() in content


def test_anonymous_visitors_are_sent_to_log_in_for_the_workplace_page(client, cast):
    response = client.get(reverse("meetings:workplace-detail", args=[cast.workplace.slug]))
    assert response.status_code == 302


# --- Stopping the calendar address asks first -------------------------------------------------------------------


def test_stopping_the_calendar_address_asks_first_and_changes_nothing_on_get(client_for, cast):
    token = services.calendar_token_ensure(person=cast.member)
    client = client_for(cast.member)
    calendar = client.get(reverse("meetings:calendar-detail")).content.decode()
    assert f'href="{reverse("meetings:calendar-feed-revoke")}"' in calendar
    page = client.get(reverse("meetings:calendar-feed-revoke"))
    assert page.status_code == 200
    assert 'id="feed-revoke-form"' in page.content.decode()
    assert CalendarFeedToken.objects.usable().filter(pk=token.pk).exists()


def test_the_post_stops_the_address(client_for, cast):
    token = services.calendar_token_ensure(person=cast.member)
    response = client_for(cast.member).post(reverse("meetings:calendar-feed-revoke"))
    assert response.status_code == 302
    assert not CalendarFeedToken.objects.usable().filter(pk=token.pk).exists()


def test_the_confirmation_without_an_address_says_there_is_nothing_to_stop(client_for, cast):
    content = client_for(cast.member).get(reverse("meetings:calendar-feed-revoke")).content.decode()
    assert 'id="feed-revoke-form"' not in content


def test_anonymous_visitors_cannot_stop_an_address(client, cast):
    services.calendar_token_ensure(person=cast.member)
    assert client.post(reverse("meetings:calendar-feed-revoke")).status_code == 302
    assert CalendarFeedToken.objects.usable().filter(person=cast.member).exists()


# --- The finder folds its filters ------------------------------------------------------------------------------


def test_the_finders_filters_are_folded_until_one_is_in_use(client_for, cast):
    client = client_for(cast.member)
    plain = client.get(reverse("meetings:visit-finder")).content.decode()
    assert re.search(r'<details class="finder-filters[^"]*" id="finder-filters">', plain)
    filtered = client.get(reverse("meetings:visit-finder") + "?not_visited=on").content.decode()
    assert re.search(r'<details class="finder-filters[^"]*" id="finder-filters" open>', filtered)


def test_the_finders_rows_label_each_cell_for_the_phone_layout(client_for, cast, slot):
    content = client_for(cast.member).get(reverse("meetings:visit-finder")).content.decode()
    assert 'class="table table-striped align-middle table-stack"' in content
    assert content.count("data-label=") >= 4
