"""The dashboard is kept in the cache per person and language (dialog_portal/dashboard.py, issue 19): every change
shows on the next page at once, through the page, after a page that filled the cache; time alone moves a visit
from "coming" to "did it take place?" at its end; and a warm dashboard runs no query."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements import services as agreement_services
from core.versioned_cache import model_version_bump
from meetings.models import Meeting, RotationPlan, Visit
from meetings.questions import services as question_services
from meetings.stories import services as story_services
from meetings.visits import services as visit_services
from tests import factories
from tests.codex.challenges.conftest import make_challenge, world  # noqa: F401 - fixtures
from tests.meetings.hearings.conftest import heard, register  # noqa: F401 - fixtures
from tests.meetings.questions.conftest import ask, asked, sent  # noqa: F401 - fixtures

from .test_dashboard_queries import _visit

pytestmark = pytest.mark.django_db


def _client(person) -> Client:
    """A browser of one's own: two people's pages side by side."""
    client = Client()
    client.force_login(person)
    return client


def _page(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _warm(client) -> str:
    """The page twice: the second comes from the cache (no query), so what follows proves the cache was let go."""
    _page(client)
    with CaptureQueriesContext(connection) as captured:
        page = _page(client)
    assert len(captured) == 0, [q["sql"] for q in captured]
    return page


@pytest.mark.parametrize("who", ["leader", "member", "administrator"])
def test_a_warm_dashboard_runs_no_query(client_for, cast, who):
    _warm(client_for(getattr(cast, who)))


# Built anew (a model it reads has changed), the same with any amount of data (test_dashboard_queries.py), + one
# query for the first moment at which time alone moves a visit or a meeting:
# - administrator: the meetings over and not yet confirmed, agreements, questions passed on to them (the counts stay
#   in the cache while nothing counted changes);
# - politician (the chair): their seats, every visit list (one UNION ALL query, the participants' names aggregated
#   in it), times held from a waiting list, the meetings coming and those over (one UNION ALL query), matters,
#   questions, stories, challenges, agreements;
# - leader: their workplace roles and closures (one query), the visit lists, the meetings, agreements waiting and
#   missing, hearings, the positive list's reviews due, questions, stories, challenges.
COLD = {"administrator": 4, "chair": 10, "leader": 11, "member": 10}


@pytest.mark.parametrize("who", sorted(COLD))
def test_a_dashboard_built_anew_runs_the_pinned_queries(client_for, cast, who):
    client = client_for(getattr(cast, who))
    _page(client)  # the session and the roles into the cache
    model_version_bump(Visit)
    with CaptureQueriesContext(connection) as captured:
        _page(client)
    assert len(captured) == COLD[who], [q["sql"][:80] for q in captured]


def test_the_page_is_kept_per_language(client_for, cast):
    client = client_for(cast.member)
    danish = _warm(client)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _page(client)
    assert "Mine udvalg" in danish and "My committees" in english


def test_a_booking_a_confirmation_and_a_cancellation_show_at_once(client_for, cast):
    slot = factories.VisitSlotFactory(workplace=cast.workplace, offer__created_by=cast.leader)
    leader, member = _client(cast.leader), _client(cast.member)
    _warm(leader)
    visit = visit_services.visit_book(slot=slot, booker=cast.member, purpose="Vi vil se sprogarbejdet.")
    assert f'data-testid="visit-{visit.pk}"' in _page(leader)
    _warm(member)
    visit_services.visit_confirm(visit=visit, actor=cast.leader)
    assert 'data-status="confirmed"' in _page(member)
    visit_services.visit_cancel(visit=visit, actor=cast.member, reason="Syg")
    assert f'data-testid="visit-{visit.pk}"' not in _page(member)


def test_feedback_given_leaves_the_list_at_once(client_for, cast):
    visit = _visit(cast, Visit.Status.HELD, timezone.now() - dt.timedelta(days=3), cast.member)
    client = client_for(cast.member)
    link = reverse("meetings:visit-feedback", args=[visit.pk])
    assert link in _warm(client)
    visit_services.visit_feedback_give(visit=visit, author=cast.member, rating=4, text="Godt besøg")
    assert link not in _page(client)


def test_a_visit_moves_to_did_it_take_place_when_it_ends_without_any_write(client_for, cast, monkeypatch):
    start = timezone.now() + dt.timedelta(hours=2)
    visit = _visit(cast, Visit.Status.CONFIRMED, start, cast.member)
    client = client_for(cast.leader)
    page = _warm(client)
    assert f'data-testid="visit-{visit.pk}"' in page and f'data-testid="to-confirm-visit-{visit.pk}"' not in page
    later = visit.ends_at + dt.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    page = _page(client)
    assert f'data-testid="to-confirm-visit-{visit.pk}"' in page


def test_a_meeting_moved_shows_at_once(client_for, cast):
    start = timezone.now() + dt.timedelta(days=10)
    plan = RotationPlan.objects.create(committee=cast.committee, year=start.year, status=RotationPlan.Status.PUBLISHED)
    meeting = Meeting.objects.create(
        committee=cast.committee, plan=plan, host=cast.workplace, starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    client = client_for(cast.member)
    assert f'data-testid="meeting-{meeting.pk}"' in _warm(client)
    meeting.starts_at, meeting.ends_at = start - dt.timedelta(days=30), start - dt.timedelta(days=30, hours=-2)
    meeting.save()
    page = _page(client)
    assert f'data-testid="meeting-{meeting.pk}"' not in page  # over: no longer coming


def test_a_question_asked_and_answered_shows_at_once(client_for, cast, ask):  # noqa: F811 - the fixture
    leader, member = _client(cast.leader), _client(cast.member)
    _warm(leader)
    question = ask()[0]
    assert question.get_absolute_url() in _page(leader)
    _warm(member)
    question_services.question_answer(question=question, actor=cast.leader, text="Svar")
    page = _page(member)
    assert "Nye svar" in page and question.get_absolute_url() in page


def test_a_story_posted_shows_at_once(client_for, cast):
    client = client_for(cast.member)
    _warm(client)
    story_services.story_create(
        workplace=cast.workplace, author=cast.leader, kind="good", title="Vi læser højt", text="Hver morgen."
    )
    assert "Vi læser højt" in _page(client)


def test_a_challenge_decided_shows_at_once(client_for, cast, make_challenge):  # noqa: F811 - the fixture
    from codex.challenges import services as challenge_services
    from codex.challenges.models import Status

    challenge = make_challenge(Status.SCHEDULED)
    client = client_for(cast.leader)
    assert 'data-status="scheduled"' in _warm(client)
    challenge_services.challenge_grant(challenge=challenge, actor=cast.chair, reason="Udvalget er enigt.")
    assert 'data-status="granted"' in _page(client)


def test_an_agreement_started_shows_at_once(client_for, cast):
    client = client_for(cast.leader)
    assert f'data-testid="agreement-missing-{cast.workplace.slug}"' in _warm(client)
    agreement = agreement_services.agreement_create(
        workplace=cast.workplace, committee=cast.committee, actor=cast.leader
    )
    page = _page(client)
    assert f'data-testid="agreement-missing-{cast.workplace.slug}"' not in page
    assert f'data-testid="agreement-task-{agreement.pk}"' in page


def test_a_hearing_opened_shows_at_once(cast, register):  # noqa: F811 - the fixture
    leader, member = _client(cast.leader), _client(cast.member)
    _warm(leader)
    _warm(member)
    matter = register()
    assert 'data-testid="dashboard-hearings"' in _page(leader)
    assert matter.get_absolute_url() in _page(member)


def test_a_new_codex_version_shows_at_once(client_for, cast, django_capture_on_commit_callbacks):
    from tests.codex.conftest import publish, write_draft

    client = client_for(cast.member)
    assert 'data-testid="codex-banner"' not in _warm(client)
    with django_capture_on_commit_callbacks(execute=True):
        publish(cast.administrator, write_draft(cast.administrator))
    assert 'data-testid="codex-banner"' in _page(client)


def test_the_administrators_counts_follow_a_new_workplace(client_for, cast):
    client = client_for(cast.administrator)
    _warm(client)
    before = client.get("/").context["board"].admin_counts["workplaces"]
    factories.WorkplaceFactory(slug="ny", name="Ny skole", committees=[cast.committee])
    assert client.get("/").context["board"].admin_counts["workplaces"] == before + 1


def test_a_meeting_moves_to_did_it_take_place_when_it_ends_without_any_write(client_for, cast, monkeypatch):
    start = timezone.now() + dt.timedelta(hours=1)
    plan = RotationPlan.objects.create(committee=cast.committee, year=start.year, status=RotationPlan.Status.PUBLISHED)
    meeting = Meeting.objects.create(
        committee=cast.committee, plan=plan, host=cast.workplace, starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    client = client_for(cast.chair)
    page = _warm(client)
    assert f'data-testid="meeting-{meeting.pk}"' in page
    assert f'data-testid="to-confirm-meeting-{meeting.pk}"' not in page
    later = meeting.ends_at + dt.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    page = _page(client)
    assert f'data-testid="to-confirm-meeting-{meeting.pk}"' in page
    assert f'data-testid="meeting-{meeting.pk}"' not in page


def test_another_persons_login_leaves_a_dashboard_warm_but_the_administrators_count_follows_it(client_for, cast):
    """A login saves the person's ``last_login``. It changes no panel of anyone else's, so their kept dashboards stay
    (a morning of logins would otherwise rebuild every board again and again); the administrators' count of people
    not yet invited or signed in follows a first login at once."""
    newcomer = factories.UserFactory(email="ny@example.org", full_name="Nina Nykommer", last_login=None)
    member, administrator = _client(cast.member), _client(cast.administrator)
    _warm(member)
    _warm(administrator)
    before = administrator.get("/").context["board"].admin_counts["not_invited"]
    _client(newcomer)  # signs in for the first time
    with CaptureQueriesContext(connection) as captured:
        _page(member)  # still from the cache
    assert len(captured) == 0, [q["sql"] for q in captured]
    assert administrator.get("/").context["board"].admin_counts["not_invited"] == before - 1


def test_a_new_name_shows_on_the_other_sides_dashboard_at_once(client_for, cast):
    slot = factories.VisitSlotFactory(workplace=cast.workplace, offer__created_by=cast.leader)
    visit_services.visit_book(slot=slot, booker=cast.member, purpose="Vi vil se sprogarbejdet.")
    leader = _client(cast.leader)
    assert cast.member.full_name in _warm(leader)
    cast.member.full_name = "Birthe Omdøbt"
    cast.member.save()
    assert "Birthe Omdøbt" in _page(leader)


def test_a_person_made_administrator_sees_the_secretariats_counts_at_once(client_for, cast):
    client = _client(cast.member)
    _warm(client)
    assert client.get("/").context["board"].admin_counts == {}
    cast.member.is_staff = True
    cast.member.save()
    assert client.get("/").context["board"].admin_counts
