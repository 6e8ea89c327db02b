"""The dashboard: the leader's open hearings first, the politician's matters of their next meetings."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.versioned_cache import model_version_bump
from meetings.hearings import services
from meetings.models import Matter


def test_the_leader_sees_open_hearings_first_with_the_deadline(client_for, cast, matter):
    page = client_for(cast.leader).get(reverse("home")).content.decode()
    panel = page.index('data-testid="dashboard-hearings"')
    assert matter.title in page[panel:]
    assert panel < page.index('id="workplaces-heading"')  # before every other panel
    services.hearing_respond(hearing=matter.hearings.get(workplace=cast.workplace), actor=cast.leader, no_comments=True)
    assert 'data-testid="dashboard-hearings"' not in client_for(cast.leader).get(reverse("home")).content.decode()


def test_the_politician_sees_the_matters_of_their_next_meetings_with_who_was_heard(client_for, cast, heard, matter):
    page = client_for(cast.member).get(reverse("home")).content.decode()
    assert 'data-testid="dashboard-matters"' in page
    assert matter.title in page and heard.second_workplace.name in page
    other = client_for(cast.other_member).get(reverse("home")).content.decode()
    assert matter.title not in other


def test_the_dashboard_runs_as_many_queries_with_one_matter_as_with_five(
    client_for, cast, register, django_assert_num_queries
):
    client = client_for(cast.chair)
    register()
    client.get(reverse("home"))
    model_version_bump(Matter)  # the dashboard is kept in the cache (dialog_portal/dashboard.py): built anew
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for n in range(4):
        register(title=f"Sag {n}")
    with django_assert_num_queries(len(few)):
        client.get(reverse("home"))


def test_the_navigation_links_to_hearings_for_workplaces_and_the_secretariat(client_for, cast):
    assert 'data-testid="nav-hearings"' in client_for(cast.trio).get(reverse("home")).content.decode()
    assert 'data-testid="nav-hearings"' not in client_for(cast.outsider).get(reverse("home")).content.decode()


def test_politicians_reach_every_hearing_from_their_dashboard(client_for, cast, matter):
    # Not from the menu bar: a politician's menu would no longer fit at 125 % zoom.
    page = client_for(cast.member).get(reverse("home")).content.decode()
    assert 'data-testid="dashboard-matters-all"' in page


def test_the_trio_sees_the_open_hearing_too_and_other_workplaces_do_not(client_for, cast, matter):
    assert 'data-testid="dashboard-hearings"' in client_for(cast.trio).get(reverse("home")).content.decode()
    assert 'data-testid="dashboard-hearings"' not in client_for(cast.other_leader).get(reverse("home")).content.decode()
