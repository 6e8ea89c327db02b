"""The visit services and the rules they enforce."""

import datetime as dt

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from meetings.errors import MeetingsError
from meetings.models import Visit, VisitEvent, VisitSettings, VisitSlot, WorkplaceTie
from meetings.visits import services
from meetings.visits.slots import OfferTerms, SingleTime, WeeklyTimes
from tests import factories

from .conftest import book

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    # The services' messages are checked against their English source; pages are tested in Danish.
    with translation.override("en"):
        yield


Status = Visit.Status


def test_a_politician_books_a_slot_and_it_awaits_the_leaders_confirmation(cast, slot):
    visit = book(slot, cast.member)
    assert visit.status == Status.REQUESTED
    assert (visit.starts_at, visit.ends_at) == (slot.starts_at, slot.ends_at)
    assert list(visit.participants.values_list("person", flat=True)) == [cast.member.pk]
    slot.refresh_from_db()
    assert slot.booked_count == 1
    event = visit.events.get()
    assert (event.actor, event.action, event.from_status, event.to_status) == (
        cast.member,
        "requested",
        "",
        "requested",
    )


def test_a_colleague_takes_a_second_place(cast, slot):
    visit = book(slot, cast.member, colleague=cast.chair)
    assert set(visit.participants.values_list("person", flat=True)) == {cast.member.pk, cast.chair.pk}
    slot.refresh_from_db()
    assert slot.booked_count == 2 == visit.seats


def test_a_workplace_that_confirms_automatically_confirms_at_once(cast, slot):
    VisitSettings.objects.create(workplace=cast.workplace, auto_confirm=True)
    visit = book(slot, cast.member)
    assert visit.status == Status.CONFIRMED
    assert list(visit.events.values_list("action", flat=True)) == ["requested", "confirmed"]


def test_a_politician_from_another_committee_cannot_book(cast, slot):
    with pytest.raises(MeetingsError, match="under your committees"):
        book(slot, cast.other_member)


def test_a_colleague_must_be_on_a_responsible_committee(cast, slot):
    with pytest.raises(MeetingsError, match="not on a committee"):
        book(slot, cast.member, colleague=cast.other_member)


def test_a_purpose_is_required(cast, slot):
    with pytest.raises(MeetingsError):
        book(slot, cast.member, purpose="  ")


def test_no_booking_in_the_past(cast):
    past = factories.VisitSlotFactory(workplace=cast.workplace, starts_at=timezone.now() - dt.timedelta(hours=2))
    with pytest.raises(MeetingsError, match="passed"):
        book(past, cast.member)


def test_no_booking_on_a_blacked_out_day(cast, slot):
    factories.BlackoutFactory(workplace=cast.workplace, first_day=slot.day, last_day=slot.day)
    with pytest.raises(MeetingsError, match="closed"):
        book(slot, cast.member)
    assert not VisitSlot.objects.open().filter(pk=slot.pk).exists()


def test_no_booking_of_a_withdrawn_time(cast, slot):
    services.visit_offer_withdraw(offer=slot.offer, actor=cast.leader)
    with pytest.raises(MeetingsError, match="no longer offered"):
        book(slot, cast.member)


def test_a_slot_is_never_booked_beyond_its_capacity(cast):
    small = factories.VisitSlotFactory(workplace=cast.workplace, capacity=2)
    book(small, cast.member, colleague=cast.chair)
    with pytest.raises(MeetingsError, match="fully booked"):
        book(small, cast.vice_chair)
    small.refresh_from_db()
    assert small.booked_count == 2
    assert not VisitSlot.objects.open().filter(pk=small.pk).exists()


def test_the_database_refuses_a_count_beyond_capacity(cast, slot):
    from django.db.models import F

    with pytest.raises(IntegrityError), transaction.atomic():
        VisitSlot.objects.filter(pk=slot.pk).update(booked_count=F("capacity") + 1)


def test_a_politician_is_never_booked_into_two_overlapping_visits(cast, slot):
    other_workplace = factories.WorkplaceFactory(committees=[cast.committee])
    overlapping = factories.VisitSlotFactory(
        workplace=other_workplace, starts_at=slot.starts_at + dt.timedelta(minutes=30)
    )
    book(slot, cast.member)
    with pytest.raises(MeetingsError, match="already has a visit"):
        book(overlapping, cast.member)
    with pytest.raises(MeetingsError, match="already has a visit"):
        book(overlapping, cast.chair, colleague=cast.member)


def test_a_declared_tie_must_be_seen_and_is_recorded(cast, slot):
    services.workplace_tie_declare(person=cast.member, workplace=cast.workplace, kind=WorkplaceTie.Kind.RELATIVE)
    with pytest.raises(MeetingsError, match="tie"):
        book(slot, cast.member)
    visit = book(slot, cast.member, tie_seen=True)
    assert visit.tie_seen
    assert "tie" in visit.events.get().note


def test_the_monthly_cap_counts_distinct_times(cast):
    VisitSettings.objects.create(workplace=cast.workplace, monthly_cap=1)
    first = factories.VisitSlotFactory(workplace=cast.workplace, starts_at=factories.next_weekday_at(9, days_ahead=40))
    later = factories.VisitSlotFactory(workplace=cast.workplace, starts_at=first.starts_at + dt.timedelta(hours=3))
    book(first, cast.member)
    book(first, cast.chair)  # joining the same time is not another visit
    with pytest.raises(MeetingsError, match="at most 1 visits a month"):
        book(later, cast.vice_chair)


def test_the_leader_confirms_and_only_the_leader(cast, slot):
    visit = book(slot, cast.member)
    for person in (cast.member, cast.other_leader, cast.administrator):
        with pytest.raises(MeetingsError):
            services.visit_confirm(visit=visit, actor=person)
    visit = services.visit_confirm(visit=visit, actor=cast.leader)
    assert visit.status == Status.CONFIRMED
    assert visit.sequence == 1
    with pytest.raises(MeetingsError, match="awaiting confirmation"):
        services.visit_confirm(visit=visit, actor=cast.leader)


def test_the_leader_declines_with_a_reason_and_the_place_is_freed(cast, slot):
    visit = book(slot, cast.member)
    with pytest.raises(MeetingsError, match="reason"):
        services.visit_decline(visit=visit, actor=cast.leader, reason="")
    visit = services.visit_decline(visit=visit, actor=cast.leader, reason="Vi har personalemøde.")
    assert visit.status == Status.DECLINED
    slot.refresh_from_db()
    assert slot.booked_count == 0
    assert visit.events.last().note == "Vi har personalemøde."


def test_the_leader_cancels_a_confirmed_visit_with_a_reason(cast, slot):
    visit = services.visit_confirm(visit=book(slot, cast.member), actor=cast.leader)
    with pytest.raises(MeetingsError, match="reason"):
        services.visit_cancel(visit=visit, actor=cast.leader)
    visit = services.visit_cancel(visit=visit, actor=cast.leader, reason="Vandskade.")
    assert visit.status == Status.CANCELLED
    assert visit.sequence == 2


def test_a_participant_cancels_their_own_booking_but_not_others(cast, slot):
    visit = book(slot, cast.member)
    with pytest.raises(MeetingsError):
        services.visit_cancel(visit=visit, actor=cast.chair)
    visit = services.visit_cancel(visit=visit, actor=cast.member)
    assert visit.status == Status.CANCELLED
    slot.refresh_from_db()
    assert slot.booked_count == 0


def test_moving_keeps_the_visit_its_history_and_bumps_the_sequence(cast, slot):
    later = factories.VisitSlotFactory(
        workplace=cast.workplace, starts_at=factories.working_days_after(slot.starts_at, 1)
    )
    visit = services.visit_confirm(visit=book(slot, cast.member), actor=cast.leader)
    moved = services.visit_move(visit=visit, actor=cast.member, slot=later)
    assert moved.pk == visit.pk
    assert moved.starts_at == later.starts_at
    assert moved.status == Status.REQUESTED  # the leader confirms the new time
    assert moved.sequence == 2
    assert list(moved.events.values_list("action", flat=True)) == ["requested", "confirmed", "moved"]
    slot.refresh_from_db()
    later.refresh_from_db()
    assert (slot.booked_count, later.booked_count) == (0, 1)


def test_moving_to_another_workplace_or_by_someone_else_is_refused(cast, slot):
    elsewhere = factories.VisitSlotFactory(workplace=cast.other_workplace)
    later = factories.VisitSlotFactory(
        workplace=cast.workplace, starts_at=factories.working_days_after(slot.starts_at, 1)
    )
    visit = book(slot, cast.member)
    with pytest.raises(MeetingsError, match="same workplace"):
        services.visit_move(visit=visit, actor=cast.member, slot=elsewhere)
    with pytest.raises(MeetingsError):
        services.visit_move(visit=visit, actor=cast.chair, slot=later)


def test_feedback_after_the_visit_from_politician_and_workplace(cast, slot):
    visit = services.visit_confirm(visit=book(slot, cast.member), actor=cast.leader)
    with translation.override("en"), pytest.raises(MeetingsError, match="confirmed as held"):
        services.visit_feedback_give(visit=visit, author=cast.member, text="Godt", rating=5)
    after = slot.ends_at + dt.timedelta(minutes=1)
    # Over is not held: someone must say so.
    with translation.override("en"), pytest.raises(MeetingsError, match="confirmed as held"):
        services.visit_feedback_give(visit=visit, author=cast.member, text="Godt", rating=5, now=after)
    services.visit_outcome_record(visit=visit, actor=cast.leader, outcome="held", now=after)
    with pytest.raises(MeetingsError, match="1 to 5"):
        services.visit_feedback_give(visit=visit, author=cast.member, text="Godt", rating=7, now=after)
    services.visit_feedback_give(visit=visit, author=cast.member, text="Lærte meget", rating=4, now=after)
    services.visit_feedback_give(visit=visit, author=cast.leader, text="Vi viste legepladsen", now=after)
    with pytest.raises(MeetingsError, match="already"):
        services.visit_feedback_give(visit=visit, author=cast.member, text="Igen", rating=3, now=after)
    with pytest.raises(MeetingsError):
        services.visit_feedback_give(visit=visit, author=cast.chair, text="Hej", rating=3, now=after)
    visit.refresh_from_db()
    assert visit.status == Status.HELD
    assert list(visit.events.values_list("action", flat=True)) == ["requested", "confirmed", "held"]


def test_visit_events_are_immutable(cast, slot):
    event = book(slot, cast.member).events.get()
    event.note = "ændret"
    with pytest.raises(MeetingsError, match="kept as it was"):
        event.save()
    assert VisitEvent.objects.get(pk=event.pk).note == ""


def _tuesdays(*, days: int) -> WeeklyTimes:
    """Tuesdays from 9 to 11, from tomorrow and ``days`` on."""
    first = timezone.localdate() + dt.timedelta(days=1)
    return WeeklyTimes(2, dt.time(9), dt.time(11), first, first + dt.timedelta(days=days))


def test_a_weekly_offer_makes_slots_on_that_weekday_and_keeps_local_time_across_summer_time(cast):
    offer = services.visit_offer_create(
        workplace=cast.workplace, actor=cast.leader, times=_tuesdays(days=200), terms=OfferTerms(slot_minutes=60)
    )
    slots = list(offer.slots.all())
    assert slots
    assert all(timezone.localtime(s.starts_at).isoweekday() == 2 for s in slots)
    assert {timezone.localtime(s.starts_at).time() for s in slots} == {dt.time(9), dt.time(10)}
    assert all(s.capacity == 4 for s in slots)


def test_a_weekly_offer_spans_at_most_a_year(cast):
    with pytest.raises(MeetingsError, match="at most a year"):
        services.visit_offer_create(workplace=cast.workplace, actor=cast.leader, times=_tuesdays(days=400))


def test_only_the_leader_offers_times_for_their_workplace(cast):
    start = factories.next_weekday_at(9)
    for person in (cast.other_leader, cast.member, cast.trio):
        with pytest.raises(MeetingsError, match="leader"):
            services.visit_offer_create(
                workplace=cast.workplace, actor=person, times=SingleTime(start, start + dt.timedelta(hours=2))
            )
    offer = services.visit_offer_create(
        workplace=cast.workplace, actor=cast.leader, times=SingleTime(start, start + dt.timedelta(hours=2))
    )
    assert offer.slots.count() == 2


def test_booking_mails_the_politician_with_ics_and_the_leader(cast, slot, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        book(slot, cast.member)
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {cast.member.email, cast.leader.email}
    attachment = by_person[cast.member.email].attachments[0]
    assert attachment[0].endswith(".ics")
    assert b"BEGIN:VEVENT" in (attachment[1] if isinstance(attachment[1], bytes) else attachment[1].encode())
    assert not by_person[cast.leader.email].attachments


def test_a_leaders_cancellation_tells_everyone_booked(cast, slot, django_capture_on_commit_callbacks):
    visit = services.visit_confirm(visit=book(slot, cast.member, colleague=cast.chair), actor=cast.leader)
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_cancel(visit=visit, actor=cast.leader, reason="Vandskade.")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.member.email, cast.chair.email])
    assert "Vandskade." in mail.outbox[0].body


def test_the_scheduled_job_only_reminds_and_never_marks_a_visit_held(cast, slot, settings):
    visit = services.visit_confirm(visit=book(slot, cast.member), actor=cast.leader)
    assert services.visit_outcome_reminders_send(now=slot.starts_at) == 0  # not over yet
    assert "visits-outcome-remind" in settings.CELERY_BEAT_SCHEDULE
    assert services.visit_outcome_reminders_send(now=slot.ends_at + dt.timedelta(minutes=1)) == 1
    visit.refresh_from_db()
    assert visit.status == Status.CONFIRMED


def _soon(hour: int, days: int = 3) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=days), dt.time(hour)))


@pytest.mark.parametrize(
    ("times", "terms", "refusal"),
    [
        (lambda: SingleTime(_soon(11), _soon(9)), OfferTerms(), "end must come after the start"),
        (lambda: SingleTime(_soon(9), _soon(9, days=5)), OfferTerms(), "at most a day"),
        (lambda: SingleTime(_soon(9), _soon(11)), OfferTerms(slot_minutes=10), "at least 15 minutes"),
        (lambda: SingleTime(_soon(9), _soon(11)), OfferTerms(min_politicians=3, max_politicians=2), "fewest"),
        (lambda: SingleTime(_soon(9), _soon(11)), OfferTerms(max_politicians=99), "fewest"),
        (lambda: SingleTime(_soon(9, days=-2), _soon(11, days=-2)), OfferTerms(), "no future time"),
        (
            lambda: WeeklyTimes(2, dt.time(11), dt.time(9), _soon(9).date(), _soon(9, days=30).date()),
            OfferTerms(),
            "end must come after the start",
        ),
        (
            lambda: WeeklyTimes(2, dt.time(9), dt.time(11), _soon(9, days=30).date(), _soon(9).date()),
            OfferTerms(),
            "last day must come after",
        ),
        (
            lambda: WeeklyTimes(None, dt.time(9), dt.time(11), _soon(9).date(), _soon(9, days=30).date()),
            OfferTerms(),
            "Give a weekday",
        ),
        (lambda: "every tuesday", OfferTerms(), "Unknown kind"),
    ],
)
def test_the_offer_service_refuses_what_must_never_be_whoever_calls_it(cast, times, terms, refusal):
    with translation.override("en"), pytest.raises(MeetingsError, match=refusal):
        services.visit_offer_create(workplace=cast.workplace, actor=cast.leader, times=times(), terms=terms)
    assert not cast.workplace.visit_offers.exists()


def test_an_offer_keeps_its_terms_on_every_time(cast):
    offer = services.visit_offer_create(
        workplace=cast.workplace,
        actor=cast.leader,
        times=SingleTime(_soon(9), _soon(12)),
        terms=OfferTerms(slot_minutes=90, min_politicians=2, max_politicians=3, topics="  Køkkenet "),
    )
    assert (offer.kind, offer.slot_minutes, offer.min_politicians, offer.topics) == ("single", 90, 2, "Køkkenet")
    assert [s.capacity for s in offer.slots.order_by("starts_at")] == [3, 3]
