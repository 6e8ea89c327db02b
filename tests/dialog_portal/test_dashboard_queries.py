"""The dashboards and the leader's visit times run the same queries however much there is to show (issue 19): an
empty list costs what a full one costs, and the rows shown come from the lists' own queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.versioned_cache import model_version_bump
from meetings.models import Visit, VisitParticipant
from tests import factories

pytestmark = pytest.mark.django_db


def _queries(client, path: str = "/") -> int:
    client.get(path)  # the person's roles into the cache, as on every later request
    model_version_bump(Visit)  # the dashboard is kept in the cache (dialog_portal/dashboard.py): built anew here
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def _visit(cast, status, start, *people) -> Visit:
    visit = Visit.objects.create(
        workplace=cast.workplace,
        booked_by=cast.member,
        status=status,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        slot=factories.VisitSlotFactory(workplace=cast.workplace, starts_at=start),
    )
    for person in people:
        VisitParticipant.objects.create(visit=visit, person=person)
    return visit


def _fill(cast, numbers: range) -> None:
    """A visit in every list of the leader's and the member's dashboards and a closure for each number."""
    now = timezone.now()
    for i in numbers:
        _visit(cast, Visit.Status.REQUESTED, now + dt.timedelta(days=20 + i), cast.member)
        _visit(cast, Visit.Status.CONFIRMED, now + dt.timedelta(days=40 + i), cast.member, cast.other_member)
        _visit(cast, Visit.Status.CONFIRMED, now - dt.timedelta(days=2 + i), cast.member)  # over, not confirmed
        _visit(cast, Visit.Status.HELD, now - dt.timedelta(days=30 + i), cast.member)  # feedback due
        first = timezone.localdate() + dt.timedelta(days=5 + 10 * i)
        factories.BlackoutFactory(workplace=cast.workplace, first_day=first, last_day=first)


@pytest.mark.parametrize("who", ["leader", "member"])
def test_the_dashboard_runs_the_same_queries_with_nothing_one_row_and_many(client_for, cast, who):
    client = client_for(getattr(cast, who))
    empty = _queries(client)
    _fill(cast, range(1))
    one = _queries(client)
    _fill(cast, range(1, 15))
    assert empty == one == _queries(client)
    assert len(client.get("/").context["board"].visits_to_confirm) == 10  # full lists, still cut at ten


def test_the_leaders_visit_times_run_the_same_queries_with_and_without_visits_ahead(client_for, cast):
    client = client_for(cast.leader)
    path = f"/arbejdspladser/{cast.workplace.slug}/besoegstider/"
    _visit(cast, Visit.Status.HELD, timezone.now() - dt.timedelta(days=3), cast.member)
    past_only = _queries(client, path)
    _fill(cast, range(3))
    assert _queries(client, path) == past_only


def test_the_visit_lists_show_every_participant_in_the_order_they_joined(client_for, cast):
    now = timezone.now()
    # (SQLite joins the names in the order it reads the rows; here that of the people's ids too)
    _visit(cast, Visit.Status.CONFIRMED, now + dt.timedelta(days=9), cast.member, cast.other_member)
    _visit(cast, Visit.Status.CONFIRMED, now - dt.timedelta(days=2), cast.chair, cast.member)
    _visit(cast, Visit.Status.REQUESTED, now + dt.timedelta(days=3))  # nobody on it (yet): no names
    response = client_for(cast.leader).get("/")
    board = response.context["board"]
    assert [v.participant_names for v in board.visits_hosting] == ["Test member, Test other member"]
    assert [v.participant_names for v in board.visits_to_confirm] == ["Test chair, Test member"]
    assert [v.participant_names for v in board.visits_awaiting_confirmation] == [None]
    html = response.content.decode()
    assert "Test member, Test other member" in html and "Test chair, Test member" in html


def test_the_leader_sees_roles_and_the_first_ten_closures_of_the_workplaces_they_lead_only(client_for, cast):
    factories.WorkplaceRoleFactory(user=cast.leader, workplace=cast.other_workplace, role="trio")
    today = timezone.localdate()
    own = [
        factories.BlackoutFactory(workplace=cast.workplace, first_day=today + dt.timedelta(days=d), reason=f"r{d}")
        for d in range(24, 0, -2)
    ]
    factories.BlackoutFactory(workplace=cast.other_workplace, first_day=today + dt.timedelta(days=1))  # not led
    factories.BlackoutFactory(workplace=cast.workplace, first_day=today - dt.timedelta(days=9))  # over
    board = client_for(cast.leader).get("/").context["board"]
    assert [(r.workplace, r.role, r.workplace.kind.name) for r in board.workplace_roles] == [
        (cast.workplace, "leader", cast.workplace.kind.name),
        (cast.other_workplace, "trio", cast.other_workplace.kind.name),
    ]
    assert board.upcoming_blackouts == sorted(own, key=lambda b: b.first_day)[:10]
    shown = board.upcoming_blackouts[0]
    assert (shown.workplace.name, shown.reason, shown.last_day) == (cast.workplace.name, "r2", own[-1].last_day)
