"""Two people pressing "book" at the same moment: capacity and overlaps hold under concurrency.

Runs on PostgreSQL in CI, where the row locks are what is tested. SQLite's in-memory test database
(shared cache) answers "table is locked" instead of waiting, so there the threads take turns: the
same serialisation a file database gets from ``transaction_mode = IMMEDIATE``.
"""

import contextlib
import datetime as dt
import threading

import pytest
from django.db import connection

from meetings.errors import MeetingsError
from meetings.models import CommitteeMembership, User, Visit, VisitSlot
from meetings.visits.services import visit_book
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def _race(calls):
    """Run the calls in threads released at the same moment; each thread has its own connection."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    turns = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            with turns:
                results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _politicians(committee, count):
    people = []
    for n in range(count):
        person = factories.UserFactory(email=f"racer{n}@dalby.example")
        factories.MembershipFactory(user=person, committee=committee, role=CommitteeMembership.Role.MEMBER)
        people.append(person)
    return people


def test_a_slot_is_never_booked_beyond_capacity_when_many_book_at_once(cast, django_capture_on_commit_callbacks):
    capacity, racers = 3, 8
    slot = factories.VisitSlotFactory(workplace=cast.workplace, capacity=capacity)
    people = _politicians(cast.committee, racers)

    results = _race(
        [
            lambda p=p: visit_book(slot=VisitSlot(pk=slot.pk), booker=User.objects.get(pk=p.pk), purpose="Se stedet")
            for p in people
        ]
    )

    booked = [r for r in results if isinstance(r, Visit)]
    refused = [r for r in results if isinstance(r, MeetingsError)]
    assert len(booked) == capacity, results
    assert len(refused) == racers - capacity, results
    slot.refresh_from_db()
    assert slot.booked_count == capacity
    assert Visit.objects.filter(slot=slot).count() == capacity


def test_one_person_booking_two_overlapping_slots_at_once_gets_exactly_one(cast):
    first = factories.VisitSlotFactory(workplace=cast.workplace)
    elsewhere = factories.WorkplaceFactory(committees=[cast.committee])
    second = factories.VisitSlotFactory(workplace=elsewhere, starts_at=first.starts_at + dt.timedelta(minutes=30))

    results = _race(
        [
            lambda s=s: visit_book(slot=VisitSlot(pk=s.pk), booker=User.objects.get(pk=cast.member.pk), purpose="Se")
            for s in (first, second)
        ]
    )

    assert sum(isinstance(r, Visit) for r in results) == 1, results
    assert sum(isinstance(r, MeetingsError) for r in results) == 1, results
    assert Visit.objects.filter(participants__person=cast.member).count() == 1


def test_a_place_held_for_the_waiting_list_goes_to_its_holder_however_many_book_at_once(cast):
    from django.utils import timezone

    slot = factories.VisitSlotFactory(workplace=cast.workplace, capacity=2)
    VisitSlot.objects.filter(pk=slot.pk).update(
        held_for=cast.member, held_until=timezone.now() + dt.timedelta(hours=24)
    )
    others = _politicians(cast.committee, 3)

    results = _race(
        [
            lambda p=p: visit_book(slot=VisitSlot(pk=slot.pk), booker=User.objects.get(pk=p.pk), purpose="Se stedet")
            for p in [cast.member, *others]
        ]
    )

    assert isinstance(results[0], Visit), results
    assert sum(isinstance(r, Visit) for r in results[1:]) == 1, results
    assert sum(isinstance(r, MeetingsError) for r in results[1:]) == 2, results
    slot.refresh_from_db()
    assert slot.booked_count == 2
