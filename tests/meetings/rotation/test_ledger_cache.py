"""The equal-access ledger's page is cached (issue 19): its counts per committee under the ledger's version, its
chart, table and map as fragments named by each computation. Every change that the ledger counts shows on the next
request, whichever way it is written (a save, a bulk update, a bulk insert, a delete, a committee's workplaces), and
so does the passing of time (a visit that is over, a contact that leaves the 12 months, a new quarter)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from meetings.models import Committee, Meeting, MeetingInvitation, Visit, Workplace
from meetings.rotation import selectors
from tests import factories

from .test_ledger import _meeting, _visit

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
NOW = dt.datetime(2026, 12, 2, 12, tzinfo=CPH)


@pytest.fixture
def clock(monkeypatch):
    """The selectors' "now", which a test can move on."""

    class Clock:
        now = NOW

    clock = Clock()
    monkeypatch.setattr(selectors.timezone, "now", lambda: clock.now)
    return clock


def _row(committee, workplace) -> tuple:
    """The cached row of ``workplace`` as (hosted_12, attended_12, visits_12, unconfirmed_12, not_held_12)."""
    rows = selectors.ledger_rows(selectors.ledger_page(committee).rows)
    row = next(r for r in rows if r.workplace.pk == workplace.pk)
    return row.hosted_12, row.attended_12, row.visits_12, row.unconfirmed_12, row.not_held_12


def _names(committee) -> list[str]:
    return [r.workplace.name for r in selectors.ledger_rows(selectors.ledger_page(committee).rows)]


def test_the_cached_ledger_is_the_ledger_and_a_hit_runs_no_query(cast, rotation, clock, django_assert_num_queries):
    w0, w1 = rotation.workplaces[1], rotation.workplaces[2]
    _meeting(cast.committee, w0, NOW - dt.timedelta(days=30), guests=[w1])
    _meeting(cast.committee, w0, NOW - dt.timedelta(days=545), guests=[w1])
    _visit(cast.workplace, NOW - dt.timedelta(days=90), cast.member)
    counted = selectors.ledger(cast.committee, now=NOW)
    cached = selectors.ledger_page(cast.committee)
    rows = selectors.ledger_rows(cached.rows)
    assert [r.workplace.pk for r in rows] == [r.workplace.pk for r in counted.rows]
    for mine, theirs in zip(rows, counted.rows, strict=True):
        assert (mine.contacts_12, mine.contacts_24, mine.workplace.name) == (
            theirs.contacts_12,
            theirs.contacts_24,
            theirs.workplace.name,
        )
        assert mine.workplace.get_absolute_url() == theirs.workplace.get_absolute_url()
    assert (cached.gap_12, cached.gap_24, cached.without_contact) == (
        counted.gap_12,
        counted.gap_24,
        counted.without_contact,
    )
    assert [(p.quarter, p.most, p.least) for p in cached.over_time] == [
        (p.quarter, p.most, p.least) for p in counted.over_time
    ]
    assert [r[0] for r in cached.shown(only_without_contact=True)] == [
        r.workplace.pk for r in selectors.ledger(cast.committee, now=NOW, only_without_contact=True).page_rows
    ]
    with django_assert_num_queries(0):
        assert selectors.ledger_page(cast.committee).stamp == cached.stamp


def test_a_visit_saved_or_updated_in_bulk_shows_at_once(cast, clock):
    visit = _visit(cast.workplace, NOW - dt.timedelta(days=90), cast.member, status=Visit.Status.CONFIRMED)
    assert _row(cast.committee, cast.workplace) == (0, 0, 0, 1, 0)
    visit.status = Visit.Status.HELD
    visit.save()
    assert _row(cast.committee, cast.workplace) == (0, 0, 1, 0, 0)
    Visit.objects.filter(pk=visit.pk).update(status=Visit.Status.NO_SHOW)
    assert _row(cast.committee, cast.workplace) == (0, 0, 0, 0, 1)


def test_a_meeting_and_its_guests_changed_in_any_way_show_at_once(cast, rotation, clock):
    host, guest = rotation.workplaces[1], rotation.workplaces[2]
    meeting = _meeting(cast.committee, host, NOW - dt.timedelta(days=30))
    assert _row(cast.committee, host)[0] == 1
    Meeting.objects.filter(pk=meeting.pk).update(outcome=Meeting.Outcome.NO_SHOW)
    assert _row(cast.committee, host)[:5] == (0, 0, 0, 0, 1)
    meeting.outcome = Meeting.Outcome.HELD
    meeting.save()
    assert _row(cast.committee, host)[0] == 1
    MeetingInvitation.objects.bulk_create([MeetingInvitation(meeting=meeting, workplace=guest, attended=True)])
    assert _row(cast.committee, guest)[1] == 1
    invitation = MeetingInvitation.objects.get(meeting=meeting, workplace=guest)
    invitation.attended = False
    invitation.save()
    assert _row(cast.committee, guest)[1:] == (0, 0, 0, 1)
    invitation.delete()
    assert _row(cast.committee, guest) == (0, 0, 0, 0, 0)
    meeting.outcome = Meeting.Outcome.CANCELLED_LATE
    Meeting.objects.bulk_update([meeting], ["outcome"])
    assert _row(cast.committee, host) == (0, 0, 0, 0, 1)
    Meeting.objects.filter(pk=meeting.pk).delete()
    assert _row(cast.committee, host) == (0, 0, 0, 0, 0)


def test_workplaces_renamed_moved_or_closed_show_at_once(cast, rotation, clock):
    workplace = rotation.workplaces[1]
    workplace.name = "Det nye navn"
    workplace.save()
    assert "Det nye navn" in _names(cast.committee)
    workplace.committees.remove(cast.committee)
    assert "Det nye navn" not in _names(cast.committee)
    workplace.committees.add(cast.committee)
    assert "Det nye navn" in _names(cast.committee)
    Workplace.objects.filter(pk=workplace.pk).update(is_active=False)
    assert "Det nye navn" not in _names(cast.committee)
    factories.WorkplaceFactory(slug="ny-plads", name="En helt ny plads", committees=[cast.committee])
    assert "En helt ny plads" in _names(cast.committee)


def test_time_alone_moves_the_cached_ledger_on(cast, clock):
    """Nothing is written: a confirmed visit ends and becomes "over, not confirmed", and a year after a held visit
    it leaves the 12 months; the cached entry says until when it holds."""
    _visit(cast.workplace, NOW - dt.timedelta(days=364), cast.member)
    coming = _visit(cast.workplace, NOW + dt.timedelta(days=2), cast.member, status=Visit.Status.CONFIRMED)
    assert _row(cast.committee, cast.workplace) == (0, 0, 1, 0, 0)
    assert selectors.ledger_page(cast.committee).valid_until <= coming.ends_at
    clock.now = NOW + dt.timedelta(days=1, hours=1)  # more than 365 days after the held visit
    assert _row(cast.committee, cast.workplace) == (0, 0, 0, 0, 0)
    clock.now = coming.ends_at + dt.timedelta(minutes=1)
    assert _row(cast.committee, cast.workplace) == (0, 0, 0, 1, 0)
    assert selectors.ledger_page(cast.committee).valid_until <= dt.datetime(2027, 1, 1, tzinfo=CPH)  # next quarter


def test_the_page_shows_a_change_at_once_in_its_cached_chart_table_and_map(client, cast, rotation, clock):
    workplace = rotation.workplaces[1]
    workplace.latitude, workplace.longitude = 55.4, 10.4
    workplace.save()
    client.force_login(cast.member)
    url = reverse("meetings:ledger")
    first = _parts(client.get(url).content.decode())
    assert first == _parts(client.get(url).content.decode())  # the second answer comes from the cache, the same
    assert not any("Sted med nyt navn" in part for part in first)
    Workplace.objects.filter(pk=workplace.pk).update(name="Sted med nyt navn")
    assert all("Sted med nyt navn" in part for part in _parts(client.get(url).content.decode()))


def _parts(body: str) -> tuple[str, str, str]:
    """The page's chart, table and map: its cached fragments."""
    return (
        body.split('data-testid="ledger-chart"')[1].split("</section>")[0],
        body.split('data-testid="ledger-table"')[1].split("</table>")[0],
        body.split('data-testid="ledger-map"')[1].split("</section>")[0],
    )


def test_a_committee_renamed_shows_in_the_cached_table_s_page_links(client, cast, clock):
    for n in range(55):  # more than a page
        factories.WorkplaceFactory(slug=f"plads-{n}", name=f"Plads {n:02}", committees=[cast.committee])
    client.force_login(cast.member)
    url = reverse("meetings:ledger")
    assert f"udvalg={cast.committee.slug}&amp;page=2" in client.get(url).content.decode()
    cast.committee.slug = "nyt-udvalgsnavn"
    cast.committee.save()
    assert "udvalg=nyt-udvalgsnavn&amp;page=2" in client.get(url).content.decode()


def test_the_cached_rows_are_named_by_the_other_features_columns():
    """The hearings' and questions' columns are read per page, not cached with the counts: the cached chart and
    table are named by what they showed."""
    before = selectors.columns_key([("Høringssvar", {1: (0, 1)})])
    assert before == selectors.columns_key([("Høringssvar", {1: (0, 1)})])
    assert before != selectors.columns_key([("Høringssvar", {1: (1, 1)})])
    assert before != selectors.columns_key([("Spørgsmål", {1: (0, 1)})])


def test_the_kept_list_of_committees_follows_a_rename_and_a_closing_at_once(client, cast, clock):
    other = factories.CommitteeFactory(name="Andet udvalg")
    client.force_login(cast.administrator)
    url = reverse("meetings:ledger")
    assert "Andet udvalg" in client.get(url).content.decode()
    other.name = "Omdøbt udvalg"
    other.save()
    page = client.get(url).content.decode()
    assert "Omdøbt udvalg" in page and "Andet udvalg" not in page
    Committee.objects.filter(pk=other.pk).update(is_active=False)  # a bulk write, no signal
    assert "Omdøbt udvalg" not in client.get(url).content.decode()
