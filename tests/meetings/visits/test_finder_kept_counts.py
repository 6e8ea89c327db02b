"""The finder's kept counts of visits in the last 12 months (``recent_visit_counts``, issue 19): every change of the
visits shows on the next request, through the page, and time alone changes them when a visit begins or leaves the
12 months. What is not kept (names, free times, whether I have visited) is read on every request: tests show it too.
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from meetings.models import Visit
from meetings.visits.selectors import recent_visit_counts
from tests import factories

from .conftest import book


def _finder(client, query=""):
    return {row.pk: row for row in client.get(reverse("meetings:visit-finder") + query).context["page"]}


def _visit(workplace, booker, starts_at, status="held"):
    slot = factories.VisitSlotFactory(workplace=workplace, starts_at=starts_at)
    visit = Visit.objects.create(
        slot=slot,
        workplace=workplace,
        booked_by=booker,
        purpose="x",
        status=status,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
    )
    visit.participants.create(person=booker)
    return visit


def test_a_held_visit_counts_on_the_next_request(client_for, cast):
    client = client_for(cast.chair)
    assert _finder(client)[cast.workplace.pk].recent_visit_count == 0
    _visit(cast.workplace, cast.vice_chair, factories.next_weekday_at(9, days_ahead=-10))
    assert _finder(client)[cast.workplace.pk].recent_visit_count == 1


def test_a_bulk_change_of_a_visit_shows_at_once(client_for, cast):
    client = client_for(cast.chair)
    visit = _visit(cast.workplace, cast.vice_chair, factories.next_weekday_at(9, days_ahead=-10))
    assert _finder(client)[cast.workplace.pk].recent_visit_count == 1
    Visit.objects.filter(pk=visit.pk).update(status=Visit.Status.CANCELLED)  # no signal: the QuerySet bumps
    assert _finder(client)[cast.workplace.pk].recent_visit_count == 0
    Visit.objects.filter(pk=visit.pk).update(status=Visit.Status.HELD)
    assert _finder(client)[cast.workplace.pk].recent_visit_count == 1


def test_the_order_follows_a_new_visit_at_once(client_for, cast):
    quiet = factories.WorkplaceFactory(committees=[cast.committee], name="Aaa først")
    client = client_for(cast.chair)
    assert list(_finder(client)) == [quiet.pk, cast.workplace.pk]  # no visits: by name
    _visit(quiet, cast.vice_chair, factories.next_weekday_at(9, days_ahead=-10))
    assert list(_finder(client)) == [cast.workplace.pk, quiet.pk]


def test_a_visit_to_come_counts_from_when_it_begins_and_leaves_after_12_months(cast, monkeypatch):
    now = timezone.now()
    begins = now + dt.timedelta(days=2)
    _visit(cast.workplace, cast.vice_chair, begins, status=Visit.Status.CONFIRMED)
    assert cast.workplace.pk not in recent_visit_counts()
    monkeypatch.setattr(timezone, "now", lambda: begins + dt.timedelta(minutes=1))
    assert recent_visit_counts()[cast.workplace.pk] == 1  # kept until it began: counted afresh
    monkeypatch.setattr(timezone, "now", lambda: begins + dt.timedelta(days=364))
    assert recent_visit_counts()[cast.workplace.pk] == 1
    monkeypatch.setattr(timezone, "now", lambda: begins + dt.timedelta(days=365, minutes=1))
    assert cast.workplace.pk not in recent_visit_counts()


def test_a_booking_a_new_free_time_and_a_new_name_show_at_once(client_for, cast):
    client = client_for(cast.chair)
    row = _finder(client)[cast.workplace.pk]
    assert (row.next_free, row.visited_by_me) == (None, False)
    slot = factories.VisitSlotFactory(workplace=cast.workplace, starts_at=factories.next_weekday_at(9, days_ahead=20))
    assert _finder(client)[cast.workplace.pk].next_free == slot.starts_at
    book(slot, cast.chair)
    assert _finder(client)[cast.workplace.pk].visited_by_me is True
    assert cast.workplace.pk not in _finder(client, "?not_visited=on")
    cast.workplace.name = "Børnehuset Mælkebøtten"
    cast.workplace.save()
    response = client.get(reverse("meetings:visit-finder"))
    assert "Børnehuset Mælkebøtten" in response.content.decode()
    cast.committee.name = "Nyt udvalgsnavn"
    cast.committee.save()
    assert _finder(client)[cast.workplace.pk].committee_names.startswith("Nyt udvalgsnavn")
