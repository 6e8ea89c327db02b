"""Challenge fixtures: the cast plus a second workplace under the committee with its leader, a rule on the
committee's positive list, and a helper that brings a challenge to any status through the services."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from codex.challenges import services
from codex.challenges.models import Status
from tests import factories


@dataclass
class World:
    today: dt.date
    second_workplace: object
    second_leader: object
    item: object


@pytest.fixture
def world(cast) -> World:
    second = factories.WorkplaceFactory(slug="skovbrynet", name="Skovbrynets Skole", committees=[cast.committee])
    second_leader = factories.UserFactory(email="leder2@dalby.example", full_name="Test leder to")
    factories.WorkplaceRoleFactory(user=second_leader, workplace=second)
    today = timezone.localdate()
    item = factories.PolicyItemFactory(
        committee=cast.committee,
        title="Daglig dokumentation af søvn",
        kind="fixed_requirement",
        demands_reporting=False,
        demands_documentation=True,
        demands="Hver dag noteres børnenes søvn i appen.",
    )
    return World(today=today, second_workplace=second, second_leader=second_leader, item=item)


@pytest.fixture
def make_challenge(cast, world):
    """``make_challenge(status)``: a challenge of the cast's workplace, taken to ``status`` through the services."""

    def make(status=Status.DRAFT, *, policy_item=None, proposal="trial", hours=12, **overrides):
        challenge = services.challenge_create(
            actor=cast.leader,
            workplace=cast.workplace,
            committee=cast.committee,
            policy_item=policy_item,
            rule=overrides.pop("rule", "" if policy_item else "Ugentlig trivselsrapport"),
            description="Det tager en time om ugen for hver pædagog.",
            hours_per_month=hours,
            proposal=proposal,
            trio_agrees=True,
        )
        if status == Status.DRAFT:
            return challenge
        challenge = services.challenge_submit(challenge=challenge, actor=cast.leader)
        if status == Status.SUBMITTED:
            return challenge
        challenge = services.challenge_schedule(challenge=challenge, actor=cast.chair, treated_on=timezone.localdate())
        if status == Status.SCHEDULED:
            return challenge
        if status == Status.GRANTED:
            return services.challenge_grant(challenge=challenge, actor=cast.chair, reason="Udvalget er enigt.")
        if status == Status.REJECTED:
            return services.challenge_reject(challenge=challenge, actor=cast.chair, reason="Kravet er lovbestemt.")
        if status == Status.PASSED_ON:
            return services.challenge_pass_on(challenge=challenge, actor=cast.chair)
        challenge = services.challenge_grant_trial(
            challenge=challenge,
            actor=cast.chair,
            trial_ends_on=timezone.localdate() + dt.timedelta(days=182),
            trial_evaluation="Trivslen måles før og efter.",
        )
        if status == Status.TRIAL:
            return challenge
        return services.challenge_stop_trial(challenge=challenge, actor=cast.chair, note="Det virkede ikke.")

    return make
