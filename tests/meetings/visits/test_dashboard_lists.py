"""The dashboard reads every visit list in one query (issue 19): each list still holds its first ten, in order."""

import datetime as dt

import pytest
from django.utils import timezone

from meetings.models import Visit, VisitParticipant
from tests import factories

pytestmark = pytest.mark.django_db


def _visits(cast, status, starts: list[dt.datetime], participant=None) -> list[Visit]:
    made = []
    for start in starts:
        visit = Visit.objects.create(
            workplace=cast.workplace,
            booked_by=cast.member,
            status=status,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            slot=factories.VisitSlotFactory(workplace=cast.workplace, starts_at=start),
        )
        if participant:
            VisitParticipant.objects.create(visit=visit, person=participant)
        made.append(visit)
    return made


def test_each_list_holds_its_first_ten_in_order(client_for, cast):
    now = timezone.now()
    coming = _visits(cast, Visit.Status.REQUESTED, [now + dt.timedelta(days=d) for d in range(30, 18, -1)])
    hosting = _visits(cast, Visit.Status.CONFIRMED, [now + dt.timedelta(days=d, hours=3) for d in range(1, 4)])
    over = _visits(cast, Visit.Status.CONFIRMED, [now - dt.timedelta(days=d) for d in range(1, 13)], cast.member)
    board = client_for(cast.leader).get("/").context["board"]
    assert board.visits_awaiting_confirmation == sorted(coming, key=lambda v: v.starts_at)[:10]
    assert board.visits_hosting == hosting
    assert board.visits_to_confirm == over[:10]  # the newest first
    board = client_for(cast.member).get("/").context["board"]
    assert board.visits_to_confirm == over[:10]
    assert board.visits_upcoming == []  # booked by them, but they are no participant of those coming


def test_a_leader_on_a_committee_sees_a_visit_in_both_their_lists(client_for, cast):
    factories.MembershipFactory(user=cast.leader, committee=cast.committee)
    visit = _visits(cast, Visit.Status.CONFIRMED, [timezone.now() + dt.timedelta(days=5)], cast.leader)[0]
    board = client_for(cast.leader).get("/").context["board"]
    assert board.visits_hosting == [visit] and board.visits_upcoming == [visit]
