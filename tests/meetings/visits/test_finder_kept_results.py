"""The finder's filter bar, count, rows and pages are kept per committees, query string and language under the
versions of what they read (``meetings.visits.views.visit_finder``, issue 19): every change shows on the next
request, through the page, whatever path wrote it; time alone moves a next free time; "visited by you" and "only
workplaces I have not visited" are the person's own and never reach anyone else."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core import dates
from core.versioned_cache import model_version_bump
from meetings.models import Blackout, District, Visit, VisitOffer, VisitSettings, VisitSlot, Workplace, WorkplaceKind
from meetings.visits.services import visit_cancel
from tests import factories

from .conftest import book

FINDER = reverse("meetings:visit-finder")


def _client(person) -> Client:
    """A client of the person's own (``client_for`` logs one client in and out)."""
    client = Client()
    client.force_login(person)
    return client


def _page(client, query="") -> str:
    response = client.get(FINDER + query)
    assert response.status_code == 200
    return response.content.decode()


def _row(client, slug, query="") -> str | None:
    """The row of the workplace as the page writes it, or None when the page does not show it."""
    found = re.search(rf'<tr data-testid="finder-row" data-slug="{slug}">(.*?)</tr>', _page(client, query), re.S)
    return found[1] if found else None


def _visited(row: str) -> bool:
    return '<span class="badge text-bg-light border">' in row


def _time(moment) -> str:
    with translation.override("da"):
        return dates.when(moment, "weekday_short_time")


def test_a_booking_and_a_cancellation_show_at_once(client_for, cast):
    slot = factories.VisitSlotFactory(workplace=cast.workplace, starts_at=factories.next_weekday_at(9, days_ahead=20))
    client = client_for(cast.chair)
    row = _row(client, cast.workplace.slug)
    assert not _visited(row) and _time(slot.starts_at) in row
    assert _row(client, cast.workplace.slug, "?not_visited=on") is not None
    visit = book(slot, cast.chair)
    assert _visited(_row(client, cast.workplace.slug))
    assert _row(client, cast.workplace.slug, "?not_visited=on") is None
    visit_cancel(visit=visit, actor=cast.chair, reason="Syg")
    assert not _visited(_row(client, cast.workplace.slug))
    assert _row(client, cast.workplace.slug, "?not_visited=on") is not None


def test_a_full_time_leaves_and_a_held_visit_counts_at_once(client_for, cast):
    slot = factories.VisitSlotFactory(
        workplace=cast.workplace, capacity=1, starts_at=factories.next_weekday_at(9, days_ahead=20)
    )
    client = client_for(cast.member)
    assert _time(slot.starts_at) in _row(client, cast.workplace.slug)
    book(slot, cast.chair)  # the only place: no free time left
    assert '<td data-label="Næste ledige tid">–</td>' in _row(client, cast.workplace.slug)
    held = factories.VisitSlotFactory(workplace=cast.workplace, starts_at=factories.next_weekday_at(9, days_ahead=-10))
    Visit.objects.create(
        slot=held, workplace=cast.workplace, booked_by=cast.chair, purpose="x", status="held",
        starts_at=held.starts_at, ends_at=held.ends_at,
    )  # fmt: skip
    assert '<td data-label="Besøg, seneste 12 måneder">1</td>' in _row(client, cast.workplace.slug)


def test_one_persons_visits_never_show_on_anothers_finder(cast):
    slot = factories.VisitSlotFactory(workplace=cast.workplace)
    chair, vice_chair = _client(cast.chair), _client(cast.vice_chair)
    assert not _visited(_row(vice_chair, cast.workplace.slug))  # kept for the committee first
    assert _row(vice_chair, cast.workplace.slug, "?not_visited=on") is not None
    book(slot, cast.chair)
    assert _visited(_row(chair, cast.workplace.slug))
    assert _row(chair, cast.workplace.slug, "?not_visited=on") is None
    # The same committee, the same kept rows: the badge and the filter are the chair's alone.
    assert not _visited(_row(vice_chair, cast.workplace.slug))
    assert _row(vice_chair, cast.workplace.slug, "?not_visited=on") is not None
    assert [row.visited_by_me for row in vice_chair.get(FINDER).context["page"]] == [False]
    assert [row.visited_by_me for row in chair.get(FINDER).context["page"]] == [True]
    # A colleague added to the visit (a participant alone, no change of the visit's row) has visited it too.
    Visit.objects.get(slot=slot).participants.create(person=cast.vice_chair)
    assert _visited(_row(vice_chair, cast.workplace.slug))
    assert _row(vice_chair, cast.workplace.slug, "?not_visited=on") is None


def test_each_committee_finds_its_own_workplaces_and_a_change_of_committees_shows_at_once(cast):
    member, other, administrator = _client(cast.member), _client(cast.other_member), _client(cast.administrator)
    assert _row(member, cast.workplace.slug) and _row(member, cast.other_workplace.slug) is None
    assert _row(other, cast.other_workplace.slug) and _row(other, cast.workplace.slug) is None
    assert _row(administrator, cast.workplace.slug) and _row(administrator, cast.other_workplace.slug)
    cast.workplace.committees.add(cast.other_committee)
    assert _row(other, cast.workplace.slug) is not None
    assert "Ældreudvalget" in _row(member, cast.workplace.slug)
    cast.workplace.committees.remove(cast.committee)
    assert _row(member, cast.workplace.slug) is None
    cast.other_committee.name = "Sundhedsudvalget"
    cast.other_committee.save()
    assert "Sundhedsudvalget" in _row(other, cast.workplace.slug)


def test_a_renamed_or_closed_workplace_kind_and_district_show_at_once(client_for, cast):
    client = client_for(cast.member)
    assert "Børnehuset Solsikken" in _row(client, cast.workplace.slug)
    cast.workplace.name = "Børnehuset Mælkebøtten"
    cast.workplace.save()
    assert "Børnehuset Mælkebøtten" in _row(client, cast.workplace.slug)
    Workplace.objects.filter(pk=cast.workplace.pk).update(name="Børnehuset Kløveren")  # no signal: the QuerySet bumps
    assert "Børnehuset Kløveren" in _row(client, cast.workplace.slug)
    WorkplaceKind.objects.filter(pk=cast.workplace.kind_id).update(name="Naturbørnehave")
    District.objects.filter(pk=cast.workplace.district_id).update(name="Skovkvarteret")
    row = _row(client, cast.workplace.slug)
    assert "Naturbørnehave" in row and "Skovkvarteret" in row
    assert _row(client, cast.workplace.slug, "?q=Kløveren") is not None
    Workplace.objects.filter(pk=cast.workplace.pk).update(is_active=False)
    assert _row(client, cast.workplace.slug) is None
    assert _row(client, cast.workplace.slug, "?q=Kløveren") is None


def test_a_closure_a_longer_notice_and_a_withdrawn_time_show_at_once(client_for, cast):
    slot = factories.VisitSlotFactory(workplace=cast.workplace, starts_at=factories.next_weekday_at(9, days_ahead=20))
    client = client_for(cast.member)
    day = f"?free_from={slot.day}&free_to={slot.day}"
    assert _time(slot.starts_at) in _row(client, cast.workplace.slug)
    assert _row(client, cast.workplace.slug, day) is not None
    closure = factories.BlackoutFactory(workplace=cast.workplace, first_day=slot.day, last_day=slot.day)
    assert _time(slot.starts_at) not in _row(client, cast.workplace.slug)
    assert _row(client, cast.workplace.slug, day) is None
    Blackout.objects.filter(pk=closure.pk).delete()
    assert _row(client, cast.workplace.slug, day) is not None
    VisitSettings.objects.create(workplace=cast.workplace, booking_notice_days=30)
    assert _row(client, cast.workplace.slug, day) is None
    VisitSettings.objects.filter(workplace=cast.workplace).update(booking_notice_days=0)
    assert _row(client, cast.workplace.slug, day) is not None
    VisitOffer.objects.filter(pk=slot.offer_id).update(active=False)
    assert _row(client, cast.workplace.slug, day) is None
    VisitOffer.objects.filter(pk=slot.offer_id).update(active=True)
    VisitSlot.objects.filter(pk=slot.pk).update(cancelled=True)
    assert _time(slot.starts_at) not in _row(client, cast.workplace.slug)


def test_time_alone_moves_the_next_free_time_and_drops_a_workplace_from_a_free_time_filter(
    client_for, cast, monkeypatch
):
    first = factories.VisitSlotFactory(workplace=cast.workplace, starts_at=factories.next_weekday_at(9, days_ahead=7))
    later = factories.VisitSlotFactory(workplace=cast.workplace, starts_at=factories.next_weekday_at(9, days_ahead=30))
    VisitSettings.objects.create(workplace=cast.workplace, booking_notice_days=0)  # today's times count, whatever day
    client = client_for(cast.member)
    day = f"?free_from={first.day}&free_to={first.day}"
    assert _time(first.starts_at) in _row(client, cast.workplace.slug)
    assert _row(client, cast.workplace.slug, day) is not None
    # Kept until the first time begins; then it is no longer free, and the next one is.
    monkeypatch.setattr(timezone, "now", lambda: first.starts_at - dt.timedelta(minutes=1))
    assert _time(first.starts_at) in _row(client, cast.workplace.slug)
    monkeypatch.setattr(timezone, "now", lambda: first.starts_at + dt.timedelta(minutes=1))
    assert _time(later.starts_at) in _row(client, cast.workplace.slug)
    assert _row(client, cast.workplace.slug, day) is None


def test_the_results_are_kept_per_language(client_for, cast):
    client = client_for(cast.member)
    assert "1 arbejdsplads fundet" in _page(client)
    client.cookies["dialog_language"] = "en"
    assert "1 workplace found" in _page(client)


def _finder_data(cast, n, *, offset=0):
    for i in range(offset, offset + n):
        workplace = factories.WorkplaceFactory(committees=[cast.committee])
        slot = factories.VisitSlotFactory(
            workplace=workplace, starts_at=factories.next_weekday_at(9, days_ahead=7 + 3 * i)
        )
        if i % 2:
            book(slot, cast.chair if i % 4 == 1 else cast.vice_chair)


def _queries(client, query) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(FINDER + query).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("query", ["", "?sort=name&not_visited=on", "?free_from=2000-01-01&q=a"])
def test_the_finder_runs_no_query_when_kept_and_the_same_few_when_built_anew_at_every_size(client_for, cast, query):
    client = client_for(cast.chair)
    counts = []
    for n, offset in ((2, 0), (14, 2)):
        _finder_data(cast, n, offset=offset)
        client.get(FINDER + query)
        warm = _queries(client, query)
        model_version_bump(VisitOffer)  # the rows anew: the matching ids, the page's rows, their committees
        rows = _queries(client, query)
        model_version_bump(Visit)  # and the visit counts and what the person visited
        visits = _queries(client, query)
        counts.append((warm, rows, visits))
    assert counts[0] == counts[1] == (0, 3, 5)


def test_a_query_with_something_to_correct_shows_the_error_summary_when_kept_too(client_for, cast):
    client = client_for(cast.member)
    for _built_then_kept in range(2):
        page = _page(client, "?free_from=2026-13-01")
        assert "<title>Fejl: " in page and 'data-testid="error-summary"' in page
        assert 'id="id_free_from_error"' in page
    assert "<title>Fejl: " not in _page(client)
