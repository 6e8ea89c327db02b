"""The secretariat finds a published meeting from every page that names it, a withdrawn host from the dashboard,
and follows a planning run without the page reloading itself (issue 21)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Meeting, PlanningRun
from meetings.rotation import services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(cast, rotation):
    plan = services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)
    services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    return plan


def _page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_years_plan_links_every_published_meeting(client, cast, published, rotation):
    page = _page(
        client, cast.administrator, reverse("meetings:rotation-year", args=[cast.committee.slug, rotation.year])
    )
    meetings = Meeting.objects.filter(plan=published)
    assert meetings.count() == 12
    for meeting in meetings:
        assert f'href="{meeting.get_absolute_url()}"' in page


def test_the_committee_page_links_the_meetings_its_reader_may_open(client, cast, published):
    url = reverse("meetings:committee-detail", args=[cast.committee.slug])
    meetings = list(Meeting.objects.filter(plan=published))
    for user in (cast.administrator, cast.member):
        page = _page(client, user, url)
        assert all(f'href="{m.get_absolute_url()}"' in page for m in meetings)
    # A leader of a workplace under the committee sees the meetings its workplace hosts or is invited to.
    page = _page(client, cast.leader, url)
    own = Meeting.objects.for_person(cast.leader).filter(plan=published)
    assert own.exists()
    for meeting in meetings:
        assert (f'href="{meeting.get_absolute_url()}"' in page) == (meeting in own)
    # Someone the meetings do not concern gets no panel at all.
    assert 'data-testid="meetings-panel"' not in _page(client, cast.other_leader, url)


def test_the_workplace_page_links_the_meetings_it_hosts_or_is_invited_to(client, cast, published):
    url = reverse("meetings:workplace-detail", args=[cast.workplace.slug])
    hosted = Meeting.objects.filter(host=cast.workplace)
    invited = Meeting.objects.filter(invitations__workplace=cast.workplace)
    page = _page(client, cast.leader, url)
    assert hosted.exists()
    for meeting in [*hosted, *invited]:
        assert f'href="{meeting.get_absolute_url()}"' in page
    others = Meeting.objects.exclude(pk__in=[m.pk for m in [*hosted, *invited]])
    assert all(f'href="{m.get_absolute_url()}"' not in page for m in others)
    assert 'data-testid="meetings-panel"' not in _page(client, cast.other_leader, url)


def test_the_meeting_panels_do_not_grow_in_queries_with_meetings(client, cast, rotation, django_assert_num_queries):
    client.force_login(cast.administrator)
    urls = [
        reverse("meetings:committee-detail", args=[cast.committee.slug]),
        reverse("meetings:workplace-detail", args=[cast.workplace.slug]),
    ]
    counts = {}
    for url in urls:
        cache.clear()  # built anew (the workplace's panels are kept, issue 19) ...
        with CaptureQueriesContext(connection) as built:
            client.get(url)
        with CaptureQueriesContext(connection) as few:  # ... and kept
            client.get(url)
        counts[url] = (len(built), len(few))
    plan = services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)
    services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    for url in urls:
        cache.clear()
        with django_assert_num_queries(counts[url][0]):
            client.get(url)
        with django_assert_num_queries(counts[url][1]):
            client.get(url)


def test_the_dashboard_badge_leads_to_the_withdrawal_and_its_replan_action(client, cast, published):
    meeting = Meeting.objects.filter(host=cast.workplace).order_by("starts_at").first()
    services.meeting_cancellation_request(meeting=meeting, actor=cast.leader, reason="Vandskade i salen")
    dashboard = _page(client, cast.administrator, "/")
    assert f'href="{reverse("meetings:rotation-index")}#meldt-fra"' in dashboard
    index = _page(client, cast.administrator, reverse("meetings:rotation-index"))
    assert 'id="meldt-fra"' in index and "Vandskade i salen" in index
    assert f'href="{reverse("meetings:meeting-replan", args=[meeting.pk])}"' in index
    assert f'href="{meeting.get_absolute_url()}"' in index
    detail = _page(client, cast.administrator, meeting.get_absolute_url())
    assert 'id="open-request-replan"' in detail


def test_without_withdrawals_the_rotation_page_has_no_withdrawal_section(client, cast, published):
    assert 'id="meldt-fra"' not in _page(client, cast.administrator, reverse("meetings:rotation-index"))


def test_the_planning_page_has_no_meta_refresh_and_its_status_is_json(client, cast, rotation):
    run = PlanningRun.objects.create(committee=cast.committee, year=rotation.year, requested_by=cast.administrator)
    page = _page(client, cast.administrator, run.get_absolute_url())
    assert "http-equiv" not in page
    assert 'aria-live="polite"' in page and "planning_run.js" in page
    assert f'href="{run.get_absolute_url()}"' in page  # the Update link, for a browser without JavaScript
    status_url = reverse("meetings:planning-run-status", args=[run.pk])
    data = client.get(status_url).json()
    assert data["status"] == "queued" and data["finished"] is False and data["percent"] == 0
    PlanningRun.objects.filter(pk=run.pk).update(status="running", percent=40, step="Værter")
    response = client.get(status_url)
    assert "no-store" in response["Cache-Control"]
    assert response.json()["percent"] == 40 and "Værter" in response.json()["message"]
    PlanningRun.objects.filter(pk=run.pk).update(status="done", percent=100)
    data = client.get(status_url).json()
    assert data["finished"] is True
    assert data["next_url"] == reverse("meetings:rotation-year", args=[cast.committee.slug, rotation.year])
    # A finished run's page needs no poller.
    assert "planning_run.js" not in _page(client, cast.administrator, run.get_absolute_url())


@pytest.mark.parametrize("role", ["chair", "member", "leader", "other_leader", "trio"])
def test_only_the_secretariat_reads_a_planning_runs_status(client, cast, rotation, role):
    run = PlanningRun.objects.create(committee=cast.committee, year=rotation.year)
    client.force_login(getattr(cast, role))
    assert client.get(reverse("meetings:planning-run-status", args=[run.pk])).status_code == 404


def test_an_outsider_has_no_meetings_panel(client, cast, published):
    outsider = factories.UserFactory(email="ude@dalby.example")
    page = _page(client, outsider, reverse("meetings:workplace-detail", args=[cast.workplace.slug]))
    assert 'data-testid="meetings-panel"' not in page
