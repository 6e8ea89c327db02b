"""Agreement fixtures: build an agreement and walk it to any state through the real services."""

import datetime as dt

import pytest
from django.utils import timezone

from agreements import services
from agreements.models import FollowUp, Status, calendar_year

GOAL = {
    "title": "Flere børn trives",
    "baseline": "78 % af børnene siger, at de trives.",
    "aim": "Alle børn oplever at høre til i fællesskabet.",
    "indicator": "Andelen af børn, der i trivselsmålingen siger, at de trives.",
    "actions": "Legegrupper i alle stuer; forældremøder om fællesskab.",
    "evaluation": "Vi ser på trivselsmålingen i marts og oktober.",
    "target": "85 %",
    "milestones": "Marts: legegrupper i gang\nOktober: ny måling",
}

# The edges taken to reach each state, in order.
PATHS = {
    Status.DRAFT: [],
    Status.CONSULTATION: ["consult"],
    Status.SUBMITTED: ["consult", "submit"],
    Status.CHANGES_REQUESTED: ["consult", "submit", "request_changes"],
    Status.RESUBMITTED: ["consult", "submit", "request_changes", "resubmit"],
    Status.APPROVED: ["consult", "submit", "approve"],
    Status.SIGNED: ["consult", "submit", "approve", "sign_workplace", "sign_committee"],
    Status.ACTIVE: ["consult", "submit", "approve", "sign_workplace", "sign_committee"],
    Status.FOLLOWED_UP: ["consult", "submit", "approve", "sign_workplace", "sign_committee", "final"],
    Status.CLOSED: ["consult", "submit", "approve", "sign_workplace", "sign_committee", "final", "close"],
}


def sign(agreement, person, side, **kwargs):
    return services.agreement_sign(
        agreement=agreement, actor=person, side=side, typed_name=person.full_name, has_read=True, **kwargs
    )


def step(agreement, cast, name):
    """Take one named edge as the person who normally does."""
    if name == "consult":
        services.agreement_consultation_open(agreement=agreement, actor=cast.leader)
    elif name == "submit":
        services.agreement_submit(agreement=agreement, actor=cast.leader)
    elif name == "request_changes":
        services.agreement_changes_request(agreement=agreement, actor=cast.member, note="Gør mål 1 skarpere.")
    elif name == "resubmit":
        services.agreement_resubmit(agreement=agreement, actor=cast.leader)
    elif name == "approve":
        services.agreement_approve(agreement=agreement, actor=cast.chair)
    elif name == "sign_workplace":
        sign(agreement, cast.leader, "workplace")
    elif name == "sign_committee":
        sign(agreement, cast.chair, "committee")
    elif name == "final":
        goals = list(agreement.goals.all())
        services.followup_record(
            agreement=agreement,
            actor=cast.leader,
            entries=[(g, FollowUp.Kind.FINAL, FollowUp.Status.ACHIEVED, "Nået.") for g in goals],
        )
    elif name == "close":
        services.agreement_close(agreement=agreement, actor=cast.chair)
    else:
        raise ValueError(name)
    agreement.refresh_from_db()
    return agreement


def make_agreement(cast, status=Status.DRAFT, *, goals=2, year=None, workplace=None):
    """An agreement of the cast's workplace with ``goals`` goals, walked to ``status``. A signed (not yet
    active) agreement is for next year; every other one for this year."""
    today = timezone.localdate()
    if year is None:
        year = today.year + 1 if status == Status.SIGNED else today.year
    start, end = calendar_year(year)
    agreement = services.agreement_create(
        workplace=workplace or cast.workplace,
        committee=cast.committee,
        actor=cast.leader,
        period_start=start,
        period_end=end,
    )
    services.agreement_update(
        agreement=agreement,
        actor=cast.leader,
        core_task="Vi giver børn en tryg hverdag med leg og læring.",
        support="Hjælp fra PPR til sprogvurderinger.",
        follow_up_plan="Vi mødes ved dialogmødet i foråret og igen i november.",
        midterm_on=start + dt.timedelta(days=180),
        final_on=end - dt.timedelta(days=30),
    )
    for n in range(goals):
        services.goal_save(agreement=agreement, actor=cast.leader, data={**GOAL, "title": f"Mål {n + 1}"})
    for name in PATHS[status]:
        step(agreement, cast, name)
    agreement.refresh_from_db()
    assert agreement.status == status, (agreement.status, status)
    return agreement


@pytest.fixture
def agreement(cast):
    return make_agreement(cast)
