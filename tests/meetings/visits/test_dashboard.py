"""Visit panels on the dashboard, the navigation links and the admin pages."""

import datetime as dt

import pytest
from django.urls import reverse

from meetings.models import Visit
from meetings.visits import services
from tests import factories

from .conftest import book, confirm_held

pytestmark = pytest.mark.django_db


def test_the_leader_sees_bookings_awaiting_confirmation_and_coming_visits(client_for, cast, slot):
    waiting = book(slot, cast.member)
    later = factories.VisitSlotFactory(
        workplace=cast.workplace, starts_at=factories.working_days_after(slot.starts_at, 1)
    )
    confirmed = services.visit_confirm(visit=book(later, cast.chair), actor=cast.leader)
    board = client_for(cast.leader).get("/").context["board"]
    assert board.visits_awaiting_confirmation == [waiting]
    assert board.visits_hosting == [confirmed]


def test_the_politician_sees_coming_visits_and_those_awaiting_feedback(client_for, cast, slot):
    coming = book(slot, cast.member)
    past_slot = factories.VisitSlotFactory(
        workplace=cast.workplace, starts_at=factories.working_days_after(slot.starts_at, 2)
    )
    past = services.visit_confirm(visit=book(past_slot, cast.member), actor=cast.leader)
    Visit.objects.filter(pk=past.pk).update(
        starts_at=slot.starts_at - dt.timedelta(days=20), ends_at=slot.ends_at - dt.timedelta(days=20)
    )
    board = client_for(cast.member).get("/").context["board"]
    assert board.visits_to_confirm == [past]  # over, but not confirmed: asked to say what happened, not for feedback
    assert board.visits_awaiting_feedback == []
    confirm_held(past, cast.member)
    response = client_for(cast.member).get("/")
    board = response.context["board"]
    assert board.visits_upcoming == [coming]
    assert board.visits_awaiting_feedback == [past]
    assert 'data-testid="dashboard-visits"' in response.content.decode()


@pytest.mark.parametrize(
    ("role", "visible", "hidden"),
    [
        ("member", {"nav-visits", "nav-calendar"}, {"nav-visit-times"}),
        ("leader", {"nav-visit-times", "nav-calendar"}, {"nav-visits"}),
        ("outsider", {"nav-calendar"}, {"nav-visits", "nav-visit-times"}),
    ],
)
def test_navigation_shows_visit_links_by_role(client_for, cast, role, visible, hidden):
    content = client_for(getattr(cast, role)).get("/").content.decode()
    for testid in visible:
        assert f'data-testid="{testid}"' in content
    for testid in hidden:
        assert f'data-testid="{testid}"' not in content


def test_visit_times_lead_a_single_workplace_leader_to_their_page(client_for, cast):
    response = client_for(cast.leader).get(reverse("meetings:visit-offer-index"))
    assert response.url == reverse("meetings:visit-offer-list", args=[cast.workplace.slug])


@pytest.mark.parametrize(
    "model", ["visit", "visitslot", "visitoffer", "visitfeedback", "workplacetie", "calendarfeedtoken"]
)
def test_administrators_open_the_visit_admin_pages(client_for, cast, slot, model):
    book(slot, cast.member)
    response = client_for(cast.administrator).get(reverse(f"admin:meetings_{model}_changelist"))
    assert response.status_code == 200


def test_the_admin_exports_selected_visits_as_csv(client_for, cast, slot):
    visit = book(slot, cast.member)
    response = client_for(cast.administrator).post(
        reverse("admin:meetings_visit_changelist"), {"action": "export_visits_csv", "_selected_action": [visit.pk]}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert cast.workplace.name in response.content.decode("utf-8-sig")
