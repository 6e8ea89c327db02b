"""The rotation's pages per role: the secretariat plans, members and hosts see their meetings, the public sees
the published plan; everyone else is refused. Lists keep their query counts as the data grows."""

import datetime as dt

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import CancellationRequest, Meeting, PlanningRun, RotationPlan
from meetings.rotation import services
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ["administrator", "chair", "member", "other_member", "leader", "other_leader", "trio", "outsider"]


@pytest.fixture
def published(cast, rotation):
    plan = services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)
    services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    return plan


@pytest.fixture
def drafted(cast, rotation):
    return services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)


def _get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("role", [None, *ROLES])
def test_only_the_secretariat_sees_the_planning_pages(client, cast, drafted, role):
    user = getattr(cast, role) if role else None
    planned = drafted.meetings.first()
    urls = [
        reverse("meetings:rotation-index"),
        reverse("meetings:rotation-year", args=[cast.committee.slug, drafted.year]),
        reverse("meetings:rotation-host-swap", args=[drafted.pk, planned.pk]),
        reverse("meetings:rotation-guest-move", args=[drafted.pk]),
        reverse("meetings:rotation-publish", args=[drafted.pk]),
        reverse("meetings:meeting-date-create", args=[cast.committee.slug, drafted.year]),
    ]
    for url in urls:
        response = _get(client, user, url)
        if role is None:
            assert response.status_code == 302 and "/konto/login/" in response["Location"], url
        elif role == "administrator":
            assert response.status_code == 200, url
        else:
            assert response.status_code == 404, url


@pytest.mark.parametrize("role", ["chair", "member", "leader", "outsider"])
def test_nobody_but_the_secretariat_can_plan_swap_or_publish_by_post(client, cast, drafted, role):
    client.force_login(getattr(cast, role))
    planned = drafted.meetings.first()
    posts = [
        (reverse("meetings:planning-start", args=[cast.committee.slug, drafted.year]), {}),
        (reverse("meetings:rotation-host-swap", args=[drafted.pk, planned.pk]), {"host": cast.workplace.pk}),
        (reverse("meetings:rotation-publish", args=[drafted.pk]), {}),
        (reverse("meetings:meeting-dates-generate", args=[cast.committee.slug, drafted.year]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    drafted.refresh_from_db()
    assert drafted.status == RotationPlan.Status.DRAFT and not PlanningRun.objects.exists()


def test_the_secretariat_plans_the_year_through_the_worker_and_sees_the_result(
    client, cast, rotation, django_capture_on_commit_callbacks
):
    client.force_login(cast.administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:planning-start", args=[cast.committee.slug, rotation.year]))
    run = PlanningRun.objects.get()
    assert response["Location"] == run.get_absolute_url()
    run.refresh_from_db()
    assert run.status == PlanningRun.Status.DONE  # eager in tests: the worker ran it on commit
    page = client.get(run.get_absolute_url()).content.decode()
    assert 'data-status="done"' in page and 'http-equiv="refresh"' not in page


def test_a_swap_without_a_reason_keeps_what_was_typed_and_explains_in_danish(client, cast, drafted):
    client.force_login(cast.administrator)
    first, second = drafted.meetings.order_by("date")[:2]
    url = reverse("meetings:rotation-host-swap", args=[drafted.pk, first.pk])
    response = client.post(url, {"host": second.host.pk, "reason": ""})
    content = response.content.decode()
    assert response.status_code == 200
    assert "bryder en regel" in content
    assert f'value="{second.host.pk}" selected' in content
    first.refresh_from_db()
    assert first.host != second.host


def test_publishing_by_post_creates_the_meetings(client, cast, drafted):
    client.force_login(cast.administrator)
    response = client.post(reverse("meetings:rotation-publish", args=[drafted.pk]))
    assert response.status_code == 302
    assert Meeting.objects.filter(plan=drafted).count() == drafted.meetings.count()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("administrator", 200),
        ("chair", 200),
        ("member", 200),
        ("leader", 200),
        ("other_member", 404),
        ("other_leader", 404),
        ("outsider", 404),
    ],
)
def test_a_meeting_page_is_for_those_who_take_part(client, cast, published, role, status):
    meeting = Meeting.objects.filter(host=cast.workplace).first()
    assert (
        _get(client, getattr(cast, role), reverse("meetings:meeting-detail", args=[meeting.pk])).status_code == status
    )


def test_the_host_leader_says_what_they_will_present(client, cast, published):
    meeting = Meeting.objects.filter(host=cast.workplace).first()
    url = reverse("meetings:meeting-presentation", args=[meeting.pk])
    client.force_login(cast.member)
    response = client.post(url, {"presentation": "Vi viser køkkenet."})
    assert response.status_code == 200 and "Kun lederen" in response.content.decode()
    client.force_login(cast.leader)
    assert client.post(url, {"presentation": "Vi viser køkkenet."}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.presentation == "Vi viser køkkenet."


def test_the_host_asks_to_hand_on_and_the_secretariat_replans(
    client, cast, published, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = Meeting.objects.filter(host=cast.workplace, starts_at__gt=timezone.now()).first()
    client.force_login(cast.leader)
    client.post(reverse("meetings:meeting-cancellation", args=[meeting.pk]), {"reason": "Vandskade"})
    assert CancellationRequest.objects.filter(meeting=meeting, status="open").exists()
    client.force_login(cast.administrator)
    url = reverse("meetings:meeting-replan", args=[meeting.pk])
    page = client.get(url)
    next_host = page.context["proposal"].new_host
    assert next_host.name in page.content.decode()  # who is next in line, before the POST
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"note": "", "expected_host": next_host.pk})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.host != cast.workplace
    assert cast.leader.email in {m.to[0] for m in mailoutbox}


def test_html_in_a_presentation_is_shown_as_text(client, cast, published):
    meeting = Meeting.objects.filter(host=cast.workplace).first()
    services.meeting_presentation_update(meeting=meeting, actor=cast.leader, presentation="<script>alert(1)</script>")
    client.force_login(cast.member)
    content = client.get(reverse("meetings:meeting-detail", args=[meeting.pk])).content.decode()
    assert "<script>alert(1)</script>" not in content and "&lt;script&gt;" in content


# --- Public -------------------------------------------------------------------------------------------------------


def test_the_public_sees_the_published_plan_and_its_feed_but_not_a_draft(client, cast, published, rotation):
    client.logout()
    page = client.get(reverse("meetings:public-plan", args=[cast.committee.slug, rotation.year]))
    assert page.status_code == 200
    assert cast.workplace.name in page.content.decode()
    feed = client.get(reverse("meetings:public-feed", args=[cast.committee.slug]))
    events = icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    assert len(events) == Meeting.objects.filter(plan=published).count()
    assert all("/moeder/" not in str(e.get("description")) for e in events)
    other = client.get(reverse("meetings:public-plan", args=[cast.other_committee.slug, rotation.year]))
    assert other.status_code == 404


def test_a_draft_is_not_public(client, cast, drafted, rotation):
    assert client.get(reverse("meetings:public-plan", args=[cast.committee.slug, rotation.year])).status_code == 404


def test_my_calendar_and_feed_include_my_committee_meetings(client, cast, published):
    client.force_login(cast.member)
    page = client.get(reverse("meetings:calendar-detail")).content.decode()
    assert "Udvalgsmøde" in page
    from meetings.visits import services as visit_services

    token = visit_services.calendar_token_ensure(person=cast.member)
    body = client.get(reverse("meetings:calendar-feed", args=[token.token])).content
    uids = [str(e["uid"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")]
    assert sum(1 for uid in uids if uid.startswith("meeting-")) == Meeting.objects.filter(plan=published).count()
    other = visit_services.calendar_token_ensure(person=cast.other_member)
    body = client.get(reverse("meetings:calendar-feed", args=[other.token])).content
    assert b"meeting-" not in body


# --- The ledger ---------------------------------------------------------------------------------------------------


def test_politicians_see_their_own_committees_ledger_and_nobody_elses(client, cast, published):
    client.force_login(cast.member)
    response = client.get(reverse("meetings:ledger"), {"udvalg": cast.other_committee.slug})
    assert response.status_code == 200
    assert response.context["committee"] == cast.committee
    assert _get(client, cast.leader, reverse("meetings:ledger")).status_code == 404
    assert _get(client, cast.outsider, reverse("meetings:ledger")).status_code == 404


def test_the_ledger_counts_hostings_attendance_and_visits(cast, published, monkeypatch):
    from meetings.rotation.selectors import ledger
    from meetings.rotation.services import meeting_outcome_record

    later = Meeting.objects.order_by("-ends_at").first().ends_at + dt.timedelta(days=1)
    hosted = list(Meeting.objects.filter(host=cast.workplace).order_by("starts_at"))
    row = next(r for r in ledger(cast.committee, now=later).rows if r.workplace == cast.workplace)
    assert (row.hosted_12, row.unconfirmed_12) == (0, len(hosted))  # over, but nobody said it took place
    for meeting in hosted[1:]:
        meeting_outcome_record(meeting=meeting, actor=cast.administrator, outcome="held", now=later)
    meeting_outcome_record(meeting=hosted[0], actor=cast.administrator, outcome="no_show", now=later)
    result = ledger(cast.committee, now=later)
    row = next(r for r in result.rows if r.workplace == cast.workplace)
    assert (row.hosted_12, row.unconfirmed_12, row.not_held_12) == (len(hosted) - 1, 0, 1)
    assert result.not_held_12 >= 1


def test_the_ledger_and_year_page_do_not_grow_in_queries(client, cast, published, rotation, django_assert_num_queries):
    client.force_login(cast.administrator)
    urls = [
        reverse("meetings:ledger"),
        reverse("meetings:rotation-year", args=[cast.committee.slug, rotation.year]),
        reverse("meetings:rotation-index"),
    ]
    counts = {}
    for url in urls:
        client.get(url)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            client.get(url)
        counts[url] = len(few)
    for n in range(12):
        workplace = factories.WorkplaceFactory(slug=f"ekstra-{n}", committees=[cast.committee])
        factories.VisitSlotFactory(workplace=workplace)
    for url in urls:
        client.get(url)  # the new workplaces replaced the ledger's cached counts: read them again first
        with django_assert_num_queries(counts[url]):
            client.get(url)


def test_the_presentation_page_shows_the_gate_notice_to_a_host_leader_who_must_sign(client, cast, published):
    from tests.codex.conftest import gate_state, sign

    meeting = Meeting.objects.filter(host=cast.workplace).first()
    version = gate_state(cast.administrator, [], "unsigned")
    url = reverse("meetings:meeting-presentation", args=[meeting.pk])
    client.force_login(cast.leader)
    response = client.post(url, {"presentation": "Vi viser køkkenet."})
    assert response.status_code == 403 and 'data-testid="codex-gate-notice"' in response.content.decode()
    sign(cast.leader, version)
    assert client.post(url, {"presentation": "Vi viser køkkenet."}).status_code == 302
