"""The waiting list: a politician asks to be told when a time opens; the first in line has it held for a while."""

import datetime as dt

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from meetings.errors import MeetingsError
from meetings.models import VisitSlot, WaitlistEntry
from meetings.visits import services
from meetings.visits.slots import SingleTime
from tests import factories

from .conftest import book

pytestmark = pytest.mark.django_db

Status = WaitlistEntry.Status


@pytest.fixture
def full(cast):
    """A time next week with one place, taken by the chair."""
    slot = factories.VisitSlotFactory(workplace=cast.workplace, capacity=1, offer__created_by=cast.leader)
    visit = book(slot, cast.chair)
    return type("Full", (), {"slot": slot, "visit": visit})


def _entry(person, workplace):
    return WaitlistEntry.objects.filter(person=person, workplace=workplace).latest("pk")


# --- Joining and leaving ---------------------------------------------------------------------------


def test_a_politician_of_a_responsible_committee_joins_the_waiting_list(cast):
    entry = services.waitlist_join(workplace=cast.workplace, person=cast.member)
    assert entry.status == Status.WAITING


@pytest.mark.parametrize("role", ["leader", "trio", "other_member", "outsider", "administrator"])
def test_people_outside_the_responsible_committees_cannot_join(cast, role):
    with pytest.raises(MeetingsError):
        services.waitlist_join(workplace=cast.workplace, person=getattr(cast, role))
    assert not WaitlistEntry.objects.exists()


def test_joining_twice_is_refused_with_a_message(cast):
    services.waitlist_join(workplace=cast.workplace, person=cast.member)
    with translation.override("en"), pytest.raises(MeetingsError, match="already on the waiting list"):
        services.waitlist_join(workplace=cast.workplace, person=cast.member)
    assert WaitlistEntry.objects.count() == 1


def test_the_database_refuses_a_second_place_in_the_same_line(cast):
    WaitlistEntry.objects.create(workplace=cast.workplace, person=cast.member)
    with pytest.raises(IntegrityError), transaction.atomic():
        WaitlistEntry.objects.create(workplace=cast.workplace, person=cast.member)


def test_after_leaving_one_can_join_again(cast):
    entry = services.waitlist_join(workplace=cast.workplace, person=cast.member)
    services.waitlist_leave(entry=entry, actor=cast.member)
    assert services.waitlist_join(workplace=cast.workplace, person=cast.member).status == Status.WAITING


def test_only_the_person_takes_themselves_off_the_list(cast):
    entry = services.waitlist_join(workplace=cast.workplace, person=cast.member)
    with pytest.raises(MeetingsError):
        services.waitlist_leave(entry=entry, actor=cast.chair)
    entry.refresh_from_db()
    assert entry.status == Status.WAITING


# --- A time opens ------------------------------------------------------------------------------------


def test_a_cancellation_holds_the_place_for_the_first_in_line_and_tells_them(
    cast, full, django_capture_on_commit_callbacks
):
    services.waitlist_join(workplace=cast.workplace, person=cast.member)
    services.waitlist_join(workplace=cast.workplace, person=cast.vice_chair)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.visit_cancel(visit=full.visit, actor=cast.chair)

    first, second = _entry(cast.member, cast.workplace), _entry(cast.vice_chair, cast.workplace)
    assert first.status == Status.OFFERED and first.offered_slot_id == full.slot.pk
    assert second.status == Status.WAITING
    full.slot.refresh_from_db()
    assert full.slot.held_for == cast.member
    assert abs(full.slot.held_until - timezone.now() - dt.timedelta(hours=24)) < dt.timedelta(minutes=1)
    to_member = [m for m in mail.outbox if m.to == [cast.member.email]]
    assert len(to_member) == 1
    assert reverse("meetings:visit-create", args=[full.slot.pk]) in to_member[0].body


def test_others_cannot_take_the_held_place_but_the_holder_can(cast, full):
    services.waitlist_join(workplace=cast.workplace, person=cast.member)
    services.visit_cancel(visit=full.visit, actor=cast.chair)

    with translation.override("en"), pytest.raises(MeetingsError, match="held for a politician on the waiting list"):
        book(VisitSlot.objects.get(pk=full.slot.pk), cast.vice_chair)
    visit = book(VisitSlot.objects.get(pk=full.slot.pk), cast.member)

    assert visit.pk
    entry = _entry(cast.member, cast.workplace)
    assert entry.status == Status.BOOKED
    full.slot.refresh_from_db()
    assert full.slot.held_for is None and full.slot.booked_count == 1


def test_a_hold_that_lapses_goes_to_the_next_in_line(cast, full):
    services.waitlist_join(workplace=cast.workplace, person=cast.member)
    services.waitlist_join(workplace=cast.workplace, person=cast.vice_chair)
    services.visit_cancel(visit=full.visit, actor=cast.chair)

    assert services.waitlist_holds_lapse(now=timezone.now() + dt.timedelta(hours=1)) == 0
    assert services.waitlist_holds_lapse(now=timezone.now() + dt.timedelta(hours=25)) == 1

    assert _entry(cast.member, cast.workplace).status == Status.LAPSED
    assert _entry(cast.vice_chair, cast.workplace).status == Status.OFFERED
    full.slot.refresh_from_db()
    assert full.slot.held_for == cast.vice_chair


def test_the_person_whose_hold_lapsed_is_told_it_went_to_the_next_and_may_join_again(
    cast, full, django_capture_on_commit_callbacks
):
    services.waitlist_join(workplace=cast.workplace, person=cast.member)
    services.waitlist_join(workplace=cast.workplace, person=cast.vice_chair)
    services.visit_cancel(visit=full.visit, actor=cast.chair)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.waitlist_holds_lapse(now=timezone.now() + dt.timedelta(hours=25))

    to_member = [m for m in mail.outbox if m.to == [cast.member.email]]
    assert len(to_member) == 1
    message = to_member[0]
    assert message.subject == f"Tiden på {cast.workplace.name} er ikke længere holdt til dig"
    assert "Tiden er gået videre til den næste på ventelisten." in message.body
    assert "skrive dig på ventelisten igen" in message.body
    assert reverse("meetings:visit-slot-list", args=[cast.workplace.slug]) in message.body
    html = message.alternatives[0][0]
    assert "Tiden er gået videre til den næste på ventelisten." in html
    # The next in line gets the offer, not the lapse notice.
    to_next = [m for m in mail.outbox if m.to == [cast.vice_chair.email]]
    assert len(to_next) == 1 and "ikke længere holdt" not in to_next[0].subject


def test_the_lapse_notice_is_in_the_persons_language_and_says_when_no_one_was_next(
    cast, full, django_capture_on_commit_callbacks
):
    cast.member.language = "en"
    cast.member.save(update_fields=["language"])
    services.waitlist_join(workplace=cast.workplace, person=cast.member)
    services.visit_cancel(visit=full.visit, actor=cast.chair)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.waitlist_holds_lapse(now=timezone.now() + dt.timedelta(hours=25))

    (message,) = mail.outbox
    assert message.to == [cast.member.email]
    assert message.subject == f"The time held for you at {cast.workplace.name} has lapsed"
    assert "No one else was waiting, so the time is open for everyone to book." in message.body
    assert "join it again" in message.body


def test_no_lapse_notice_when_no_hold_lapsed(cast, full, django_capture_on_commit_callbacks):
    services.waitlist_join(workplace=cast.workplace, person=cast.member)
    services.visit_cancel(visit=full.visit, actor=cast.chair)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.waitlist_holds_lapse(now=timezone.now() + dt.timedelta(hours=1))

    assert mail.outbox == []


def test_the_beat_task_lapses_holds(cast, full):
    from meetings.visits.tasks import lapse_waitlist_holds

    entry = services.waitlist_join(workplace=cast.workplace, person=cast.member)
    services.visit_cancel(visit=full.visit, actor=cast.chair)
    WaitlistEntry.objects.filter(pk=entry.pk).update(hold_until=timezone.now() - dt.timedelta(minutes=1))

    assert lapse_waitlist_holds.delay().get() == 1
    entry.refresh_from_db()
    assert entry.status == Status.LAPSED


def test_the_hold_length_is_a_setting(cast, full, settings):
    settings.DIALOG_WAITLIST_HOLD_HOURS = 2
    services.waitlist_join(workplace=cast.workplace, person=cast.member)
    services.visit_cancel(visit=full.visit, actor=cast.chair)

    entry = _entry(cast.member, cast.workplace)
    assert abs(entry.hold_until - timezone.now() - dt.timedelta(hours=2)) < dt.timedelta(minutes=1)


def test_leaving_while_holding_passes_the_time_to_the_next(cast, full):
    entry = services.waitlist_join(workplace=cast.workplace, person=cast.member)
    services.waitlist_join(workplace=cast.workplace, person=cast.vice_chair)
    services.visit_cancel(visit=full.visit, actor=cast.chair)

    services.waitlist_leave(entry=entry, actor=cast.member)

    assert _entry(cast.vice_chair, cast.workplace).status == Status.OFFERED
    full.slot.refresh_from_db()
    assert full.slot.held_for == cast.vice_chair


def test_a_new_offer_holds_its_earliest_time_for_the_first_in_line(cast):
    services.waitlist_join(workplace=cast.workplace, person=cast.member)
    start = factories.next_weekday_at(9, days_ahead=14)

    offer = services.visit_offer_create(
        workplace=cast.workplace, actor=cast.leader, times=SingleTime(start, start + dt.timedelta(hours=2))
    )

    entry = _entry(cast.member, cast.workplace)
    assert entry.status == Status.OFFERED
    assert entry.offered_slot == offer.slots.order_by("starts_at").first()


def test_a_time_inside_the_booking_notice_is_not_offered(cast):
    soon = factories.VisitSlotFactory(
        workplace=cast.workplace, capacity=1, starts_at=factories.next_weekday_at(9, days_ahead=1)
    )
    factories.MembershipFactory(user=cast.leader, committee=cast.committee)
    visit = book(soon, cast.leader)  # the leader is exempt from the notice
    services.waitlist_join(workplace=cast.workplace, person=cast.member)

    services.visit_cancel(visit=visit, actor=cast.leader, reason="Syg")

    assert _entry(cast.member, cast.workplace).status == Status.WAITING


def test_booking_another_time_takes_one_off_the_list(cast, slot):
    services.waitlist_join(workplace=cast.workplace, person=cast.member)
    book(slot, cast.member)
    assert _entry(cast.member, cast.workplace).status == Status.BOOKED


# --- Pages -----------------------------------------------------------------------------------------


def test_a_member_joins_from_the_workplaces_times_and_sees_their_place(client_for, cast):
    client = client_for(cast.member)
    slot_list = reverse("meetings:visit-slot-list", args=[cast.workplace.slug])

    response = client.post(reverse("meetings:waitlist-join", args=[cast.workplace.slug]))

    assert response.status_code == 302 and response["Location"] == slot_list
    assert _entry(cast.member, cast.workplace).status == Status.WAITING
    assert 'data-testid="waitlist-status"' in client.get(slot_list).content.decode()
    assert cast.workplace.name in client.get(reverse("meetings:waitlist-list")).content.decode()


@pytest.mark.parametrize("role", ["leader", "other_member", "outsider"])
def test_others_are_refused_with_a_message(client_for, cast, role):
    response = client_for(getattr(cast, role)).post(
        reverse("meetings:waitlist-join", args=[cast.workplace.slug]), follow=True
    )
    assert response.status_code == 200
    assert list(response.context["messages"])
    assert not WaitlistEntry.objects.exists()


def test_joining_is_a_post(client_for, cast):
    assert client_for(cast.member).get(reverse("meetings:waitlist-join", args=[cast.workplace.slug])).status_code == 405


def test_anonymous_is_sent_to_login(client, cast):
    entry = services.waitlist_join(workplace=cast.workplace, person=cast.member)
    for url in (
        reverse("meetings:waitlist-list"),
        reverse("meetings:waitlist-leave", args=[entry.pk]),
    ):
        assert client.get(url).status_code == 302
    client.post(reverse("meetings:waitlist-join", args=[cast.workplace.slug]))
    assert WaitlistEntry.objects.count() == 1


def test_joining_needs_the_csrf_token(cast):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.member)
    assert client.post(reverse("meetings:waitlist-join", args=[cast.workplace.slug])).status_code == 403


def test_leaving_asks_first_and_only_the_person_can(client_for, cast):
    entry = services.waitlist_join(workplace=cast.workplace, person=cast.member)
    url = reverse("meetings:waitlist-leave", args=[entry.pk])

    assert client_for(cast.chair).get(url).status_code == 404
    assert client_for(cast.chair).post(url).status_code == 404
    client = client_for(cast.member)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    entry.refresh_from_db()
    assert entry.status == Status.LEFT


def test_the_held_time_is_shown_to_the_holder_and_as_held_to_others(client_for, cast, full):
    services.waitlist_join(workplace=cast.workplace, person=cast.member)
    services.visit_cancel(visit=full.visit, actor=cast.chair)
    url = reverse("meetings:visit-slot-list", args=[cast.workplace.slug])

    assert 'data-testid="held-for-me"' in client_for(cast.member).get(url).content.decode()
    other = client_for(cast.vice_chair).get(url).content.decode()
    assert 'data-testid="held"' in other
    assert reverse("meetings:visit-create", args=[full.slot.pk]) not in other
    dashboard = client_for(cast.member).get("/").content.decode()
    assert 'data-testid="dashboard-waitlist"' in dashboard


def test_the_waiting_list_page_query_count_does_not_grow(client_for, cast, django_assert_num_queries):
    client = client_for(cast.member)
    url = reverse("meetings:waitlist-list")
    services.waitlist_join(workplace=cast.workplace, person=cast.member)
    client.get(url)  # warm: the person's roles are cached after the first request
    with django_assert_num_queries(1):  # the list (session, person and roles are cached)
        client.get(url)
    for _n in range(3):
        workplace = factories.WorkplaceFactory(committees=[cast.committee])
        services.waitlist_join(workplace=workplace, person=cast.member)
    with django_assert_num_queries(1):
        client.get(url)


def test_when_the_holder_books_the_held_time_its_other_place_is_free_for_anyone(cast):
    slot = factories.VisitSlotFactory(workplace=cast.workplace, capacity=2, offer__created_by=cast.leader)
    VisitSlot.objects.filter(pk=slot.pk).update(
        held_for=cast.member, held_until=timezone.now() + dt.timedelta(hours=24)
    )

    book(VisitSlot.objects.get(pk=slot.pk), cast.member)
    book(VisitSlot.objects.get(pk=slot.pk), cast.chair)

    slot.refresh_from_db()
    assert slot.booked_count == 2
    assert slot.held_for_id is None and slot.held_until is None
