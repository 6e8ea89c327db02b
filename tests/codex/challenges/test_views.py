"""The challenges' pages: lists in a fixed number of queries, the public page without people, forms that keep what
was typed and say what is wrong in Danish, and the committee's steps."""

import datetime as dt

import pytest
from django.urls import reverse

from codex.challenges import services
from codex.challenges.errors import ChallengeError
from codex.challenges.models import Challenge, ChallengeJoiner, Status
from meetings.models import Meeting
from tests.codex.conftest import held_meeting

pytestmark = pytest.mark.django_db


def _more(make_challenge, count):
    for status in [Status.SUBMITTED, Status.TRIAL, Status.GRANTED, Status.REJECTED, Status.DRAFT][:count]:
        make_challenge(status)


def test_the_list_takes_the_same_queries_for_one_challenge_or_many(
    cast, world, make_challenge, client_for, django_assert_max_num_queries
):
    client = client_for(cast.leader)
    make_challenge(Status.SUBMITTED)
    with django_assert_max_num_queries(20) as few:
        assert client.get(reverse("codex:challenge-list")).status_code == 200
    _more(make_challenge, 5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("codex:challenge-list"))
    assert response.status_code == 200


def test_the_public_page_shows_decided_challenges_with_workplaces_not_people(cast, world, make_challenge, client):
    granted = make_challenge(Status.SCHEDULED, hours=9)
    services.challenge_join(
        challenge=granted, actor=world.second_leader, workplace=world.second_workplace, hours_per_month=3
    )
    services.challenge_grant(challenge=granted, actor=cast.chair, reason="Udvalget er enigt.")
    waiting = make_challenge(Status.SUBMITTED, rule="Hemmelig ventende regel")
    response = client.get(reverse("codex:challenge-public"))
    page = response.content.decode()
    assert response.status_code == 200
    assert granted.rule in page and world.second_workplace.name in page and "Udvalget er enigt." in page
    assert waiting.rule not in page
    assert cast.leader.full_name not in page and cast.chair.full_name not in page
    assert 'data-hours="12"' in page
    assert "12 timer om måneden givet tilbage til kerneopgaven" in page


def test_the_public_page_takes_the_same_queries_for_one_or_many(
    cast, world, make_challenge, client, django_assert_max_num_queries
):
    make_challenge(Status.GRANTED)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("codex:challenge-public"))
    for _ in range(4):
        make_challenge(Status.TRIAL)
        make_challenge(Status.REJECTED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("codex:challenge-public")).status_code == 200


def test_a_leader_writes_a_draft_and_the_form_keeps_what_was_typed_on_bad_hours(cast, world, client_for):
    client = client_for(cast.leader)
    data = {
        "workplace": cast.workplace.pk,
        "committee": cast.committee.pk,
        "rule": "Ugentlig trivselsrapport",
        "description": "Det tager en time om ugen for hver pædagog.",
        "hours_per_month": "0",
        "proposal": "trial",
        "trio_agrees": "on",
    }
    response = client.post(reverse("codex:challenge-create"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Udfordringen er ikke gemt. Ret de markerede felter." in page
    assert "Det tager en time om ugen for hver pædagog." in page
    assert not Challenge.objects.exists()
    response = client.post(reverse("codex:challenge-create"), {**data, "hours_per_month": "12"})
    challenge = Challenge.objects.get()
    assert response.status_code == 302 and response.url == challenge.get_absolute_url()
    assert (challenge.status, challenge.hours_per_month, challenge.created_by) == (Status.DRAFT, 12, cast.leader)


def test_a_rule_from_another_committees_list_is_refused_on_the_form(cast, world, client_for):
    from codex.positive_list.models import PolicyItem

    PolicyItem.objects.filter(pk=world.item.pk).update(committee=cast.other_committee)
    response = client_for(cast.leader).post(
        reverse("codex:challenge-create"),
        {
            "workplace": cast.workplace.pk,
            "committee": cast.committee.pk,
            "policy_item": world.item.pk,
            "description": "Tager tid.",
            "hours_per_month": "4",
            "proposal": "abolish",
        },
    )
    assert response.status_code == 200
    assert not Challenge.objects.exists()


def test_the_trio_sees_and_changes_the_draft_but_cannot_send_it(cast, world, make_challenge, client_for):
    challenge = make_challenge()
    client = client_for(cast.trio)
    page = client.get(challenge.get_absolute_url()).content.decode()
    assert 'id="challenge-edit-link"' in page and 'id="challenge-submit-link"' not in page
    assert client.get(reverse("codex:challenge-submit", args=[challenge.pk])).status_code == 403


def test_the_leader_sends_it_after_a_confirmation(cast, world, make_challenge, client_for):
    challenge = make_challenge()
    client = client_for(cast.leader)
    url = reverse("codex:challenge-submit", args=[challenge.pk])
    assert "Vil du sende udfordringen til udvalget?" in client.get(url).content.decode()
    assert Challenge.objects.get(pk=challenge.pk).status == Status.DRAFT  # a GET changes nothing
    assert client.post(url).status_code == 302
    assert Challenge.objects.get(pk=challenge.pk).status == Status.SUBMITTED


def test_a_rejection_without_a_reason_is_refused_on_the_form_and_keeps_the_choice(
    cast, world, make_challenge, client_for
):
    challenge = make_challenge(Status.SCHEDULED)
    response = client_for(cast.chair).post(
        reverse("codex:challenge-decide", args=[challenge.pk]), {"outcome": "rejected", "reason": ""}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Skriv udvalgets begrundelse, så arbejdspladserne ved hvorfor." in page
    assert 'value="rejected" checked' in page or 'value="rejected"\n' in page or "checked" in page
    assert Challenge.objects.get(pk=challenge.pk).status == Status.SCHEDULED


def test_the_chair_grants_a_six_month_trial(cast, world, make_challenge, client_for):
    challenge = make_challenge(Status.SCHEDULED)
    ends = world.today + dt.timedelta(days=182)
    response = client_for(cast.chair).post(
        reverse("codex:challenge-decide", args=[challenge.pk]),
        {"outcome": "trial", "trial_ends_on": ends.isoformat(), "trial_evaluation": "Trivslen måles."},
    )
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert (challenge.status, challenge.trial_ends_on) == (Status.TRIAL, ends)


def test_another_leader_says_it_applies_to_them_too(cast, world, make_challenge, client_for):
    challenge = make_challenge(Status.SUBMITTED)
    client = client_for(world.second_leader)
    assert 'id="challenge-join-link"' in client.get(challenge.get_absolute_url()).content.decode()
    response = client.post(
        reverse("codex:challenge-join", args=[challenge.pk]),
        {"workplace": world.second_workplace.pk, "hours_per_month": "5", "note": "Også hos os."},
    )
    assert response.status_code == 302
    assert ChallengeJoiner.objects.get(challenge=challenge).workplace == world.second_workplace
    page = client.get(challenge.get_absolute_url()).content.decode()
    assert 'data-hours="17"' in page and 'id="challenge-join-link"' not in page


def test_the_dashboards_show_the_committees_waiting_and_the_leaders_own(cast, world, make_challenge, client_for):
    challenge = make_challenge(Status.SUBMITTED)
    chair_page = client_for(cast.chair).get("/").content.decode()
    assert 'data-testid="dashboard-challenges-waiting"' in chair_page and challenge.rule in chair_page
    leader_page = client_for(cast.leader).get("/").content.decode()
    assert 'data-testid="dashboard-challenges-own"' in leader_page
    other_page = client_for(cast.other_member).get("/").content.decode()
    assert challenge.rule not in other_page


def test_the_codex_page_links_the_challenges(client):
    page = client.get(reverse("codex:codex-detail")).content.decode()
    assert reverse("codex:challenge-public") in page
    assert reverse("codex:challenge-public") in client.get("/").content.decode()  # the public front page too


def test_the_meeting_page_shows_the_challenges_on_its_agenda(cast, world, make_challenge, client_for):
    meeting = held_meeting(cast, on=world.today + dt.timedelta(days=14))
    challenge = services.challenge_schedule(
        challenge=make_challenge(Status.SUBMITTED), actor=cast.chair, meeting=meeting
    )
    assert challenge.treated_on == world.today + dt.timedelta(days=14)
    page = client_for(cast.member).get(meeting.get_absolute_url()).content.decode()
    assert 'data-testid="meeting-challenges"' in page and challenge.rule in page


def test_a_meeting_of_another_committee_is_refused(cast, world, make_challenge):
    meeting = held_meeting(cast, on=world.today + dt.timedelta(days=14))
    Meeting.objects.filter(pk=meeting.pk).update(committee=cast.other_committee)
    meeting.refresh_from_db()
    with pytest.raises(ChallengeError):
        services.challenge_schedule(challenge=make_challenge(Status.SUBMITTED), actor=cast.chair, meeting=meeting)


def test_the_challenging_leader_is_sent_back_from_the_join_page(cast, world, make_challenge, client_for):
    challenge = make_challenge(Status.SUBMITTED)
    response = client_for(cast.leader).get(reverse("codex:challenge-join", args=[challenge.pk]))
    assert response.status_code == 302 and response.url == challenge.get_absolute_url()


def test_an_outsider_sees_no_challenge_and_cannot_write_one(cast, world, make_challenge, client_for):
    challenge = make_challenge(Status.SUBMITTED)
    client = client_for(cast.outsider)
    assert client.get(challenge.get_absolute_url()).status_code == 404
    assert client.get(reverse("codex:challenge-create")).status_code == 403
    assert challenge.rule not in client.get(reverse("codex:challenge-list")).content.decode()


def test_anonymous_visitors_see_only_the_public_page(cast, world, make_challenge, client):
    challenge = make_challenge(Status.GRANTED)
    assert client.get(challenge.get_absolute_url()).status_code == 302
    assert challenge.rule in client.get(reverse("codex:challenge-public")).content.decode()
