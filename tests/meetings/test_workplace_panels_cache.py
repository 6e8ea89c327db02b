"""The other features' panels on a workplace's page are kept (``core.registry.KeptPanel``, issue 19): the goals,
the meetings, the questions and the stories, each per workplace, language and what the person may see there, under
the versions of what it reads. Every change shows on the next request through the page, whatever path wrote it,
time passing where time matters, and one person's panel never reaches someone who may see less."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements import services as agreement_services
from agreements.models import FollowUp, Goal, Status
from meetings.models import Committee, Meeting, Question, Story, User, roles_version_bump
from meetings.questions import services as question_services
from meetings.stories import services as story_services
from tests import factories
from tests.agreements.conftest import make_agreement


def _url(workplace) -> str:
    return reverse("meetings:workplace-detail", args=[workplace.slug])


def _page(client, workplace, query: str = "") -> str:
    response = client.get(_url(workplace) + query)
    assert response.status_code == 200
    return response.content.decode()


def _section(page: str, testid: str) -> str:
    """The panel marked ``data-testid=testid``, or "" when the page has none."""
    if f'data-testid="{testid}"' not in page:
        return ""
    return page.split(f'data-testid="{testid}"', 1)[1].split("</section>", 1)[0]


def _later(monkeypatch, moment: dt.datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


# --- The goals (agreements.panels) ---------------------------------------------------------------------------------


def test_a_new_goal_follow_up_and_closing_show_in_the_goals_panel_at_once(client_for, cast):
    client = client_for(cast.member)
    assert 'data-testid="workplace-agreement-' not in _section(_page(client, cast.workplace), "workplace-goals")
    agreement = make_agreement(cast, Status.ACTIVE, goals=1)
    goal = agreement.goals.get()
    assert goal.title in _section(_page(client, cast.workplace), "workplace-goals")
    agreement_services.followup_record(
        agreement=agreement, actor=cast.chair, entries=[(goal, FollowUp.Kind.MIDTERM, FollowUp.Status.AT_RISK, "")]
    )
    assert 'data-status="at_risk"' in _section(_page(client, cast.workplace), "workplace-goals")
    FollowUp.objects.filter(goal=goal).update(status=FollowUp.Status.ON_TRACK)  # a bulk write, no signal
    assert 'data-status="on_track"' in _section(_page(client, cast.workplace), "workplace-goals")
    Goal.objects.filter(pk=goal.pk).update(title="Flere børn leger ude")
    assert "Flere børn leger ude" in _section(_page(client, cast.workplace), "workplace-goals")
    Committee.objects.filter(pk=cast.committee.pk).update(name="Børne- og Skoleudvalget")
    assert "Børne- og Skoleudvalget" in _section(_page(client, cast.workplace), "workplace-goals")
    FollowUp.objects.filter(goal=goal).delete()
    assert "data-status=" not in _section(_page(client, cast.workplace), "workplace-goals")


def test_the_goals_panel_leaves_when_the_agreement_runs_out_at_midnight(client_for, cast, monkeypatch):
    client = client_for(cast.member)
    agreement = make_agreement(cast, Status.ACTIVE, goals=1)
    assert f'data-testid="workplace-agreement-{agreement.pk}"' in _page(client, cast.workplace)
    after = dt.datetime.combine(
        agreement.period_end + dt.timedelta(days=1), dt.time(8), tzinfo=timezone.get_current_timezone()
    )
    _later(monkeypatch, after)
    assert f'data-testid="workplace-agreement-{agreement.pk}"' not in _page(client, cast.workplace)


def test_the_follow_up_link_is_kept_only_for_those_who_may_record_one(client_for, cast):
    make_agreement(cast, Status.ACTIVE, goals=1)
    link = 'data-testid="workplace-followup-link"'
    assert link in _page(client_for(cast.member), cast.workplace)
    assert link not in _page(client_for(cast.other_member), cast.workplace)
    assert link not in _page(client_for(cast.trio), cast.workplace)
    assert link in _page(client_for(cast.leader), cast.workplace)
    assert link not in _page(client_for(cast.outsider), cast.workplace)
    assert link in _page(client_for(cast.member), cast.workplace)


def test_the_follow_up_link_returns_to_the_address_asked_for(client_for, cast):
    make_agreement(cast, Status.ACTIVE, goals=1)
    client = client_for(cast.member)
    assert "next=/arbejdspladser/solsikken/%3Fside%3D1" not in _page(client, cast.workplace)
    assert "next=/arbejdspladser/solsikken/%3Fside%3D1" in _page(client, cast.workplace, "?side=1")


# --- The meetings (meetings.rotation.panels) -----------------------------------------------------------------------


def _meeting(cast, *, days_ahead=10) -> Meeting:
    return factories.published_meeting(
        committee=cast.committee, host=cast.workplace, starts_at=factories.next_weekday_at(10, days_ahead=days_ahead)
    )


def test_a_published_meeting_and_its_changes_show_in_the_meetings_panel_at_once(client_for, cast):
    client = client_for(cast.member)
    assert not _section(_page(client, cast.workplace), "meetings-panel")
    meeting = _meeting(cast)
    assert f'data-testid="panel-meeting-{meeting.pk}"' in _section(_page(client, cast.workplace), "meetings-panel")
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    assert "Aflyst" in _section(_page(client, cast.workplace), "meetings-panel")
    cast.committee.name = "Børne- og Skoleudvalget"
    cast.committee.save()
    assert "Børne- og Skoleudvalget" in _section(_page(client, cast.workplace), "meetings-panel")
    meeting.plan.status = "discarded"
    meeting.plan.save()
    assert not _section(_page(client, cast.workplace), "meetings-panel")


def test_a_meeting_that_ends_becomes_one_to_confirm_and_leaves_after_a_year(client_for, cast, monkeypatch):
    client = client_for(cast.member)
    meeting = _meeting(cast)
    panel = _section(_page(client, cast.workplace), "meetings-panel")
    assert f"panel-meeting-{meeting.pk}" in panel and 'data-testid="meeting-unconfirmed"' not in panel
    _later(monkeypatch, meeting.ends_at + dt.timedelta(minutes=1))
    assert 'data-testid="meeting-unconfirmed"' in _section(_page(client, cast.workplace), "meetings-panel")
    _later(monkeypatch, meeting.ends_at + dt.timedelta(days=366))
    assert not _section(_page(client, cast.workplace), "meetings-panel")


def test_the_meetings_panel_is_kept_apart_for_those_who_may_open_other_meetings(client_for, cast):
    _meeting(cast)
    assert _section(_page(client_for(cast.member), cast.workplace), "meetings-panel")
    assert not _section(_page(client_for(cast.other_member), cast.workplace), "meetings-panel")
    assert not _section(_page(client_for(cast.outsider), cast.workplace), "meetings-panel")
    assert _section(_page(client_for(cast.administrator), cast.workplace), "meetings-panel")
    assert _section(_page(client_for(cast.leader), cast.workplace), "meetings-panel")
    factories.MembershipFactory(user=cast.other_member, committee=cast.committee)  # a new seat: sees it at once
    assert _section(_page(client_for(cast.other_member), cast.workplace), "meetings-panel")


# --- The questions (meetings.questions.panels) ---------------------------------------------------------------------


def _ask(cast, text="Hvordan går det med at skaffe uddannede pædagoger?") -> Question:
    return question_services.question_ask(
        actor=cast.member, committee=cast.committee, workplaces=[cast.workplace], text=text, no_individual_case=True
    )[0]


def test_a_new_question_its_status_and_its_askers_name_show_at_once(client_for, cast):
    client = client_for(cast.chair)
    assert "Hvordan går det" not in _section(_page(client, cast.workplace), "workplace-questions")
    question = _ask(cast)
    panel = _section(_page(client, cast.workplace), "workplace-questions")
    assert "Hvordan går det" in panel and cast.member.full_name in panel and 'data-status="open"' in panel
    Question.objects.filter(pk=question.pk).update(status=Question.Status.ANSWERED, answered_at=timezone.now())
    assert 'data-status="answered"' in _section(_page(client, cast.workplace), "workplace-questions")
    cast.member.full_name = "Mette Omdøbt"
    cast.member.save()
    assert "Mette Omdøbt" in _section(_page(client, cast.workplace), "workplace-questions")
    User.objects.filter(pk=cast.member.pk).update(full_name="Mette Andersen")  # a bulk write of people
    roles_version_bump()
    assert "Mette Andersen" in _section(_page(client, cast.workplace), "workplace-questions")
    Question.objects.filter(pk=question.pk).delete()
    assert "Hvordan går det" not in _section(_page(client, cast.workplace), "workplace-questions")


def test_a_question_past_its_deadline_shows_as_overdue_the_day_after(client_for, cast, monkeypatch):
    client = client_for(cast.chair)
    question = _ask(cast)
    assert 'data-status="open"' in _section(_page(client, cast.workplace), "workplace-questions")
    after = dt.datetime.combine(
        question.deadline + dt.timedelta(days=1), dt.time(8), tzinfo=timezone.get_current_timezone()
    )
    _later(monkeypatch, after)
    assert 'data-status="overdue"' in _section(_page(client, cast.workplace), "workplace-questions")


def test_the_questions_panel_is_kept_apart_per_committee_workplace_role_and_person(client_for, cast):
    head = factories.UserFactory(email="centerchef@dalby.example", full_name="Test centerchef")
    question = _ask(cast)
    text = "Hvordan går det"
    assert text in _page(client_for(cast.member), cast.workplace)
    assert "Stil et spørgsmål" in _section(_page(client_for(cast.member), cast.workplace), "workplace-questions")
    assert text in _page(client_for(cast.leader), cast.workplace)
    assert "Stil et spørgsmål" not in _section(_page(client_for(cast.leader), cast.workplace), "workplace-questions")
    assert text not in _page(client_for(cast.other_member), cast.workplace)
    assert text not in _page(client_for(cast.outsider), cast.workplace)
    assert text not in _page(client_for(head), cast.workplace)
    question_services.question_pass_on(
        question=question, actor=cast.leader, name=head.full_name, email=head.email, note=""
    )
    assert text in _page(client_for(head), cast.workplace)  # passed on to them: theirs alone
    assert text not in _page(client_for(cast.outsider), cast.workplace)


# --- The stories (meetings.stories.panels) -------------------------------------------------------------------------


def _story(cast, author, title="Vi byggede en bålplads") -> Story:
    return story_services.story_create(
        workplace=cast.workplace, author=author, kind=Story.Kind.GOOD, title=title, text="Børnene hjalp til."
    )


def test_a_new_story_and_its_changes_show_in_the_stories_panel_at_once(client_for, cast):
    client = client_for(cast.member)
    assert not _section(_page(client, cast.workplace), "workplace-stories")
    story = _story(cast, cast.leader)  # a leader's story is shared at once
    assert "Vi byggede en bålplads" in _section(_page(client, cast.workplace), "workplace-stories")
    Story.objects.filter(pk=story.pk).update(title="Bålpladsen er klar")
    assert "Bålpladsen er klar" in _section(_page(client, cast.workplace), "workplace-stories")
    Story.objects.filter(pk=story.pk).update(status=Story.Status.HIDDEN)
    assert not _section(_page(client, cast.workplace), "workplace-stories")


def test_a_waiting_story_is_kept_for_the_workplaces_people_and_never_reaches_the_committee(client_for, cast):
    _story(cast, cast.trio, title="Et forslag der venter")  # a trio member's story waits for the leader
    assert "Et forslag der venter" in _page(client_for(cast.trio), cast.workplace)
    assert "Et forslag der venter" in _page(client_for(cast.leader), cast.workplace)
    assert "Et forslag der venter" in _page(client_for(cast.administrator), cast.workplace)
    assert "Et forslag der venter" not in _page(client_for(cast.member), cast.workplace)
    assert "Et forslag der venter" not in _page(client_for(cast.other_member), cast.workplace)
    assert 'data-testid="story-write"' in _page(client_for(cast.trio), cast.workplace)
    assert 'data-testid="story-write"' not in _page(client_for(cast.administrator), cast.workplace)
    cast.workplace.committees.add(cast.other_committee)  # the other committee's politicians see shared stories only
    _story(cast, cast.leader, title="Delt med udvalget")
    page = _page(client_for(cast.other_member), cast.workplace)
    assert "Delt med udvalget" in page and "Et forslag der venter" not in page


# --- Queries: none when kept, the same built anew whatever the panels hold -----------------------------------------


@pytest.mark.parametrize("who", ["member", "leader", "administrator"])
def test_the_page_runs_no_query_when_kept_and_the_same_built_anew_whatever_it_shows(client_for, cast, who):
    person = getattr(cast, who)
    client = client_for(person)
    url = _url(cast.workplace)

    def counted() -> tuple[int, int]:
        client.get(url)
        with CaptureQueriesContext(connection) as kept:
            client.get(url)
        cache.clear()  # built anew: the session, the person and their roles too
        with CaptureQueriesContext(connection) as built:
            client.get(url)
        return len(kept), len(built)

    empty = counted()
    agreement = make_agreement(cast, Status.ACTIVE, goals=3)
    for goal in agreement.goals.all():
        agreement_services.followup_record(
            agreement=agreement, actor=cast.chair, entries=[(goal, FollowUp.Kind.MIDTERM, FollowUp.Status.AT_RISK, "")]
        )
    first = _meeting(cast)
    for hours in (1, 2):
        Meeting.objects.create(
            committee=cast.committee,
            plan=first.plan,
            host=cast.workplace,
            starts_at=first.starts_at + dt.timedelta(hours=hours),
            ends_at=first.ends_at + dt.timedelta(hours=hours),
        )
    for n in range(3):
        _ask(cast, text=f"Spørgsmål nummer {n + 1} om hverdagen?")
        _story(cast, cast.leader, title=f"Historie {n + 1}")
    full = counted()
    assert full == empty
    # Kept, a politician's page runs none; the secretariat's and the leader's read the hosting wishes, and a leader's
    # meetings (which may include those where they present a matter) are read on each request.
    assert full[0] == {"member": 0, "leader": 2, "administrator": 1}[who]
