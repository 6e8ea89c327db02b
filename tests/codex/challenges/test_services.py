"""Challenging a rule: every edge of the workflow on its allowed and refused sides, who may take it, joining, the
running count of hours, and the positive list that a granted challenge changes."""

import datetime as dt

import pytest
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from codex.challenges import selectors, services, workflow
from codex.challenges.errors import ChallengeError
from codex.challenges.models import Challenge, ChallengeEvent, ChallengeJoiner, Status
from codex.positive_list.models import PolicyItem, PolicyReview
from core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_table_names_an_edge_for_every_status_but_the_final_ones():
    finals = {Status.GRANTED, Status.REJECTED, Status.PASSED_ON, Status.STOPPED}
    assert set(workflow.TRANSITIONS) == set(Status.values) - finals
    assert workflow.edge(Status.DRAFT, Status.GRANTED) is None


def test_leader_writes_a_draft_only_the_workplace_sees(cast, world, make_challenge):
    challenge = make_challenge()
    assert challenge.status == Status.DRAFT
    assert set(Challenge.objects.visible_to(cast.trio)) == {challenge}
    assert not Challenge.objects.visible_to(cast.other_leader).exists()
    assert not Challenge.objects.visible_to(cast.chair).exists()
    assert AuditEntry.objects.filter(action="challenge.created").count() == 1


@pytest.mark.parametrize("person", ["trio", "chair", "other_leader", "outsider"])
def test_only_a_leader_of_the_workplace_challenges_for_it(cast, world, person):
    with pytest.raises(ChallengeError):
        services.challenge_create(
            actor=getattr(cast, person),
            workplace=cast.workplace,
            committee=cast.committee,
            rule="Ugentlig trivselsrapport",
            description="Tager tid.",
            hours_per_month=3,
            proposal="abolish",
        )


def test_the_committee_must_be_one_the_workplace_is_under(cast, world):
    with pytest.raises(ChallengeError, match="Vælg et udvalg"):
        services.challenge_create(
            actor=cast.leader,
            workplace=cast.workplace,
            committee=cast.other_committee,
            rule="Ugentlig trivselsrapport",
            description="Tager tid.",
            hours_per_month=3,
            proposal="abolish",
        )


@pytest.mark.parametrize("hours", [0, -2, "mange", 5000])
def test_hours_must_be_a_sensible_whole_number(cast, world, hours):
    with pytest.raises(ChallengeError, match="timer"):
        services.challenge_create(
            actor=cast.leader,
            workplace=cast.workplace,
            committee=cast.committee,
            rule="Ugentlig trivselsrapport",
            description="Tager tid.",
            hours_per_month=hours,
            proposal="abolish",
        )
    assert not Challenge.objects.exists()


def test_a_rule_from_the_list_names_the_challenge(cast, world, make_challenge):
    challenge = make_challenge(policy_item=world.item)
    assert challenge.rule == world.item.title


def test_the_trio_must_stand_behind_it_before_it_is_sent(cast, world, make_challenge):
    challenge = make_challenge()
    services.challenge_update(
        challenge=challenge,
        actor=cast.trio,
        committee=cast.committee,
        rule=challenge.rule,
        description=challenge.description,
        hours_per_month=10,
        proposal="simplify",
        trio_agrees=False,
    )
    with pytest.raises(ChallengeError, match="trioen"):
        services.challenge_submit(challenge=challenge, actor=cast.leader)
    challenge.refresh_from_db()
    assert challenge.status == Status.DRAFT


def test_the_trio_cannot_send_it(cast, world, make_challenge):
    with pytest.raises(ChallengeError):
        services.challenge_submit(challenge=make_challenge(), actor=cast.trio)


def test_sending_tells_the_chair_and_every_leader_then_sees_it(
    cast, world, make_challenge, django_capture_on_commit_callbacks
):
    challenge = make_challenge()
    with django_capture_on_commit_callbacks(execute=True):
        services.challenge_submit(challenge=challenge, actor=cast.leader)
    challenge.refresh_from_db()
    assert challenge.status == Status.SUBMITTED and challenge.submitted_at
    assert [m.to for m in mail.outbox] == [[cast.chair.email], [cast.vice_chair.email]] or sorted(
        m.to[0] for m in mail.outbox
    ) == sorted([cast.chair.email, cast.vice_chair.email])
    assert challenge in Challenge.objects.visible_to(cast.other_leader)
    assert challenge in Challenge.objects.visible_to(cast.member)
    assert challenge not in Challenge.objects.visible_to(cast.other_member)
    assert challenge not in Challenge.objects.visible_to(cast.outsider)
    event = ChallengeEvent.objects.get(challenge=challenge)
    assert (event.from_status, event.to_status, event.actor) == (Status.DRAFT, Status.SUBMITTED, cast.leader)


@pytest.mark.parametrize("person", ["leader", "member", "other_member", "other_leader"])
def test_only_the_chair_or_the_secretariat_puts_it_on_a_meeting(cast, world, make_challenge, person):
    challenge = make_challenge(Status.SUBMITTED)
    with pytest.raises(ChallengeError):
        services.challenge_schedule(
            challenge=challenge, actor=getattr(cast, person), treated_on=world.today + dt.timedelta(days=3)
        )


def test_the_vice_chair_and_the_secretariat_may_schedule(cast, world, make_challenge):
    for person in (cast.vice_chair, cast.administrator):
        challenge = make_challenge(Status.SUBMITTED)
        services.challenge_schedule(challenge=challenge, actor=person, treated_on=world.today)
        assert Challenge.objects.get(pk=challenge.pk).status == Status.SCHEDULED


def test_a_date_in_the_past_is_refused(cast, world, make_challenge):
    challenge = make_challenge(Status.SUBMITTED)
    with pytest.raises(ChallengeError, match="Datoen er passeret"):
        services.challenge_schedule(
            challenge=challenge, actor=cast.chair, treated_on=world.today - dt.timedelta(days=1)
        )


def test_it_cannot_be_decided_before_it_is_on_a_meeting(cast, world, make_challenge):
    challenge = make_challenge(Status.SUBMITTED)
    with pytest.raises(ChallengeError):
        services.challenge_grant(challenge=challenge, actor=cast.chair)


def test_a_rejection_needs_a_reason(cast, world, make_challenge):
    challenge = make_challenge(Status.SCHEDULED)
    with pytest.raises(ChallengeError, match="begrundelse"):
        services.challenge_reject(challenge=challenge, actor=cast.chair, reason=" ")


def test_a_trial_needs_an_end_after_today_and_an_evaluation(cast, world, make_challenge):
    challenge = make_challenge(Status.SCHEDULED)
    with pytest.raises(ChallengeError):
        services.challenge_grant_trial(
            challenge=challenge, actor=cast.chair, trial_ends_on=world.today, trial_evaluation="Måles."
        )
    with pytest.raises(ChallengeError):
        services.challenge_grant_trial(
            challenge=challenge,
            actor=cast.chair,
            trial_ends_on=world.today + dt.timedelta(days=30),
            trial_evaluation="",
        )
    assert Challenge.objects.get(pk=challenge.pk).status == Status.SCHEDULED


def test_a_member_cannot_record_the_decision(cast, world, make_challenge):
    challenge = make_challenge(Status.SCHEDULED)
    with pytest.raises(ChallengeError):
        services.challenge_grant(challenge=challenge, actor=cast.member)


def test_the_decision_tells_the_leaders_of_every_workplace(
    cast, world, make_challenge, django_capture_on_commit_callbacks
):
    challenge = make_challenge(Status.SCHEDULED)
    services.challenge_join(
        challenge=challenge, actor=world.second_leader, workplace=world.second_workplace, hours_per_month=4
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.challenge_reject(challenge=challenge, actor=cast.chair, reason="Kravet er lovbestemt.")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.leader.email, world.second_leader.email])
    assert "lovbestemt" in mail.outbox[0].body
    assert mail.outbox[0].subject.startswith("Udvalget har truffet afgørelse")


def test_another_leader_joins_once_with_their_hours(cast, world, make_challenge):
    challenge = make_challenge(Status.SUBMITTED)
    services.challenge_join(
        challenge=challenge, actor=world.second_leader, workplace=world.second_workplace, hours_per_month=6
    )
    with pytest.raises(ChallengeError, match="allerede"):
        services.challenge_join(
            challenge=challenge, actor=world.second_leader, workplace=world.second_workplace, hours_per_month=6
        )
    assert ChallengeJoiner.objects.get(challenge=challenge).hours_per_month == 6


def test_the_database_refuses_a_second_join_too(cast, world, make_challenge):
    challenge = make_challenge(Status.SUBMITTED)
    ChallengeJoiner.objects.create(
        challenge=challenge, workplace=world.second_workplace, hours_per_month=2, joined_by=world.second_leader
    )
    with pytest.raises(IntegrityError):
        ChallengeJoiner.objects.create(
            challenge=challenge, workplace=world.second_workplace, hours_per_month=2, joined_by=world.second_leader
        )


def test_joining_is_refused_for_ones_own_a_draft_a_decided_or_a_workplace_one_does_not_lead(
    cast, world, make_challenge
):
    draft = make_challenge()
    with pytest.raises(ChallengeError):
        services.challenge_join(
            challenge=draft, actor=world.second_leader, workplace=world.second_workplace, hours_per_month=2
        )
    waiting = make_challenge(Status.SUBMITTED)
    with pytest.raises(ChallengeError):
        services.challenge_join(challenge=waiting, actor=cast.leader, workplace=cast.workplace, hours_per_month=2)
    with pytest.raises(ChallengeError):
        services.challenge_join(
            challenge=waiting, actor=cast.other_leader, workplace=world.second_workplace, hours_per_month=2
        )
    decided = make_challenge(Status.REJECTED)
    with pytest.raises(ChallengeError):
        services.challenge_join(
            challenge=decided, actor=world.second_leader, workplace=world.second_workplace, hours_per_month=2
        )


def test_the_running_count_sums_granted_challenges_and_running_trials_with_their_joiners(cast, world, make_challenge):
    granted = make_challenge(Status.SCHEDULED, hours=10)
    services.challenge_join(
        challenge=granted, actor=world.second_leader, workplace=world.second_workplace, hours_per_month=5
    )
    services.challenge_grant(challenge=granted, actor=cast.chair)
    make_challenge(Status.TRIAL, hours=7)
    make_challenge(Status.REJECTED, hours=100)
    make_challenge(Status.SUBMITTED, hours=100)
    make_challenge(Status.STOPPED, hours=100)
    hours = selectors.hours_given_back()
    assert (hours.total, hours.in_trials, hours.challenges) == (22, 7, 2)


def test_granting_a_rule_on_the_list_abolishes_it_with_the_challenge_as_source(cast, world, make_challenge):
    challenge = make_challenge(Status.SCHEDULED, policy_item=world.item, proposal="abolish")
    services.challenge_grant(challenge=challenge, actor=cast.chair, reason="Udvalget er enigt.")
    item = PolicyItem.objects.get(pk=world.item.pk)
    assert item.status == PolicyItem.Status.REMOVED
    review = PolicyReview.objects.get(item=item)
    assert review.source_ref == f"codex.challenge:{challenge.pk}"
    assert review.reason == "Udvalget er enigt."


def test_a_granted_simplification_simplifies_the_rule(cast, world, make_challenge):
    challenge = make_challenge(Status.SCHEDULED, policy_item=world.item, proposal="simplify")
    services.challenge_grant(challenge=challenge, actor=cast.chair)
    item = PolicyItem.objects.get(pk=world.item.pk)
    assert item.status == PolicyItem.Status.IN_FORCE
    assert PolicyReview.objects.get(item=item).decision == "simplify"


def test_a_trial_leaves_the_list_until_it_is_made_permanent(cast, world, make_challenge):
    challenge = make_challenge(Status.TRIAL, policy_item=world.item)
    assert PolicyItem.objects.get(pk=world.item.pk).status == PolicyItem.Status.IN_FORCE
    services.challenge_make_permanent(challenge=challenge, actor=cast.chair, note="Trivslen steg.")
    assert Challenge.objects.get(pk=challenge.pk).status == Status.GRANTED
    assert PolicyItem.objects.get(pk=world.item.pk).status == PolicyItem.Status.REMOVED


def test_extending_a_trial_needs_a_later_end_and_is_reminded_again(cast, world, make_challenge):
    challenge = make_challenge(Status.TRIAL)
    Challenge.objects.filter(pk=challenge.pk).update(trial_reminded_at=timezone.now())
    challenge.refresh_from_db()
    with pytest.raises(ChallengeError):
        services.challenge_extend_trial(challenge=challenge, actor=cast.chair, trial_ends_on=challenge.trial_ends_on)
    new_end = challenge.trial_ends_on + dt.timedelta(days=90)
    services.challenge_extend_trial(challenge=challenge, actor=cast.chair, trial_ends_on=new_end)
    challenge.refresh_from_db()
    assert (challenge.status, challenge.trial_ends_on, challenge.trial_reminded_at) == (Status.TRIAL, new_end, None)
    assert challenge.events.last().action == "extended"


def test_stopping_a_trial_needs_a_reason(cast, world, make_challenge):
    challenge = make_challenge(Status.TRIAL)
    with pytest.raises(ChallengeError):
        services.challenge_stop_trial(challenge=challenge, actor=cast.chair, note="")
    services.challenge_stop_trial(challenge=challenge, actor=cast.chair, note="Det virkede ikke.")
    assert Challenge.objects.get(pk=challenge.pk).status == Status.STOPPED


def test_a_member_cannot_evaluate_a_trial(cast, world, make_challenge):
    challenge = make_challenge(Status.TRIAL)
    with pytest.raises(ChallengeError):
        services.challenge_make_permanent(challenge=challenge, actor=cast.member)


def test_the_trial_reminder_goes_once_per_end_date(
    cast, world, make_challenge, settings, django_capture_on_commit_callbacks
):
    settings.DIALOG_CHALLENGE_TRIAL_REMINDER_DAYS = 14
    challenge = make_challenge(Status.TRIAL)
    assert services.challenge_trial_reminders_send(today=world.today) == 0
    near = challenge.trial_ends_on - dt.timedelta(days=14)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.challenge_trial_reminders_send(today=near) == 1
    assert services.challenge_trial_reminders_send(today=near) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.chair.email, cast.vice_chair.email, cast.leader.email])


def test_events_are_never_changed(cast, world, make_challenge):
    challenge = make_challenge(Status.SUBMITTED)
    event = challenge.events.get()
    with pytest.raises(ChallengeError):
        event.save()
    with pytest.raises(ChallengeError):
        ChallengeEvent.objects.filter(pk=event.pk).update(note="x")
    with pytest.raises(ChallengeError):
        ChallengeEvent.objects.filter(pk=event.pk).delete()


def test_an_employee_sees_the_workplaces_challenge_once_sent_but_not_the_draft(cast, world, make_challenge):
    from meetings.models import WorkplaceRole
    from tests import factories

    employee = factories.UserFactory(email="ansat@dalby.example")
    factories.WorkplaceRoleFactory(user=employee, workplace=cast.workplace, role=WorkplaceRole.Role.EMPLOYEE)
    draft, sent = make_challenge(), make_challenge(Status.SUBMITTED)
    assert set(Challenge.objects.visible_to(employee)) == {sent}
    assert draft in Challenge.objects.visible_to(cast.trio)


def test_the_decision_is_recorded_on_the_day_of_the_meeting_or_later(cast, world, make_challenge):
    challenge = services.challenge_schedule(
        challenge=make_challenge(Status.SUBMITTED), actor=cast.chair, treated_on=world.today + dt.timedelta(days=7)
    )
    with pytest.raises(ChallengeError, match="Registrer afgørelsen"):
        services.challenge_grant(challenge=challenge, actor=cast.chair)
    assert Challenge.objects.get(pk=challenge.pk).status == Status.SCHEDULED
