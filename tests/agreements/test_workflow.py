"""The state machine: every action from every state by every role of the cast. An action succeeds exactly when
the table allows the edge and the person holds the role the issue names; everything else is refused on the
server with a translated message and changes nothing."""

import datetime as dt
from dataclasses import replace

import pytest
from django.db import transaction
from django.db.models import F
from django.utils import translation

from agreements import permissions as can
from agreements import services, workflow
from agreements.errors import AgreementError
from agreements.models import Agreement, AgreementEvent, FollowUp, Status
from core.models import AuditEntry

from .conftest import make_agreement, sign, step

pytestmark = pytest.mark.django_db

ROLES = ["administrator", "chair", "vice_chair", "member", "other_member", "leader", "trio", "other_leader", "outsider"]
COMMITTEE = {"chair", "vice_chair", "member"}

# The specification, written out independently of the code: (states it may start from, who may take it).
SPEC = {
    "consult": ({Status.DRAFT}, {"leader"}),
    "submit": ({Status.CONSULTATION}, {"leader"}),
    "request_changes": ({Status.SUBMITTED, Status.RESUBMITTED}, COMMITTEE),
    "resubmit": ({Status.CHANGES_REQUESTED}, {"leader"}),
    "approve": ({Status.SUBMITTED, Status.RESUBMITTED}, {"chair"}),
    "sign_workplace": ({Status.APPROVED}, {"leader"}),
    "sign_committee": ({Status.APPROVED}, {"chair"}),
    "activate": ({Status.SIGNED}, {"leader", "administrator"}),
    "follow_up": ({Status.ACTIVE}, {"leader"} | COMMITTEE),
    "close": ({Status.FOLLOWED_UP}, {"chair", "administrator"}),
    "amend": ({Status.ACTIVE}, {"leader"}),
}


def attempt(action, agreement, person):
    if action == "consult":
        services.agreement_consultation_open(agreement=agreement, actor=person)
    elif action == "submit":
        services.agreement_submit(agreement=agreement, actor=person)
    elif action == "request_changes":
        services.agreement_changes_request(agreement=agreement, actor=person, note="Mere om effekten, tak.")
    elif action == "resubmit":
        services.agreement_resubmit(agreement=agreement, actor=person)
    elif action == "approve":
        services.agreement_approve(agreement=agreement, actor=person)
    elif action == "sign_workplace":
        sign(agreement, person, "workplace")
    elif action == "sign_committee":
        sign(agreement, person, "committee")
    elif action == "activate":
        services.agreement_activate(agreement=agreement, actor=person, today=agreement.period_start)
    elif action == "follow_up":
        goal = agreement.goals.first()
        services.followup_record(
            agreement=agreement, actor=person, entries=[(goal, FollowUp.Kind.MIDTERM, FollowUp.Status.ON_TRACK, "")]
        )
    elif action == "close":
        services.agreement_close(agreement=agreement, actor=person)
    elif action == "amend":
        services.agreement_amend(agreement=agreement, actor=person)


class Rollback(Exception):
    pass


@pytest.mark.parametrize("action", sorted(SPEC))
@pytest.mark.parametrize("status", Status.values)
def test_every_action_from_every_state_by_every_role(cast, status, action):
    agreement = make_agreement(cast, status)
    states, who = SPEC[action]
    for role in ROLES:
        expected = status in states and role in who
        before = (agreement.status, AgreementEvent.objects.count())
        outcome = None
        try:
            with transaction.atomic(), translation.override("en"):
                attempt(action, Agreement.objects.get(pk=agreement.pk), getattr(cast, role))
                outcome = "done"
                raise Rollback
        except Rollback:
            pass
        except AgreementError as error:
            outcome = str(error)
        assert (outcome == "done") == expected, f"{action} from {status} by {role}: {outcome}"
        agreement.refresh_from_db()
        assert (agreement.status, AgreementEvent.objects.count()) == before


def test_the_table_has_exactly_the_issues_edges():
    main = [
        Status.DRAFT,
        Status.CONSULTATION,
        Status.SUBMITTED,
        Status.CHANGES_REQUESTED,
        Status.RESUBMITTED,
        Status.APPROVED,
        Status.SIGNED,
        Status.ACTIVE,
        Status.FOLLOWED_UP,
        Status.CLOSED,
    ]
    allowed = {(e.source, e.target) for e in workflow.EDGES}
    assert allowed == {
        (main[0], main[1]),
        (main[1], main[2]),
        (main[2], main[3]),
        (main[3], main[4]),
        (main[4], main[3]),
        (main[2], main[5]),
        (main[4], main[5]),
        (main[5], main[6]),
        (main[6], main[7]),
        (main[7], main[8]),
        (main[8], main[9]),
        (main[7], main[9]),  # an amendment replaces the active agreement
    }
    for source in Status.values:
        for target in Status.values:
            assert workflow.can_move(source, target) == ((source, target) in allowed)


def test_each_transition_writes_an_event_and_an_audit_entry(cast):
    agreement = make_agreement(cast, Status.CLOSED)
    transitions = [(e.from_status, e.to_status) for e in agreement.events.exclude(action="signature")]
    assert transitions == [
        ("", "draft"),
        ("draft", "consultation"),
        ("consultation", "submitted"),
        ("submitted", "approved"),
        ("approved", "signed"),
        ("signed", "active"),
        ("active", "followed_up"),
        ("followed_up", "closed"),
    ]
    actions = list(
        AuditEntry.objects.filter(object_type="agreements.agreement", object_id=str(agreement.pk)).values_list(
            "action", flat=True
        )
    )
    for verb in ("created", "consultation_opened", "submitted", "approved", "signature", "signed", "activated"):
        assert f"agreement.{verb}" in actions
    assert actions[-1] == "agreement.closed"


def test_the_vice_chair_acts_only_for_an_absent_chair_and_the_absence_is_recorded(cast):
    agreement = make_agreement(cast, Status.SUBMITTED)
    with translation.override("en"), pytest.raises(AgreementError, match="chair is absent"):
        services.agreement_approve(agreement=agreement, actor=cast.vice_chair)
    services.agreement_approve(agreement=agreement, actor=cast.vice_chair, chair_absence="Formanden er syg.")
    assert "Formanden er syg." in agreement.events.get(to_status=Status.APPROVED).note
    sign(agreement, cast.leader, "workplace")
    with pytest.raises(AgreementError):
        sign(agreement, cast.vice_chair, "committee")
    signature = sign(agreement, cast.vice_chair, "committee", chair_absence="Formanden er syg.")
    assert (signature.role, signature.chair_absence) == ("vice_chair", "Formanden er syg.")
    agreement.refresh_from_db()
    assert agreement.status == Status.ACTIVE


def test_signing_is_behind_the_codex_gate(cast, django_capture_on_commit_callbacks):
    from tests.codex.conftest import publish, write_draft
    from tests.codex.conftest import sign as sign_codex

    agreement = make_agreement(cast, Status.APPROVED)
    with django_capture_on_commit_callbacks(execute=False):
        version = publish(cast.administrator, write_draft(cast.administrator))
    with translation.override("en"), pytest.raises(AgreementError, match="codex of trust"):
        sign(agreement, cast.leader, "workplace")
    sign_codex(cast.leader, version)
    sign(agreement, cast.leader, "workplace")
    assert agreement.signatures.count() == 1


def test_a_signature_needs_the_typed_full_name_and_the_tick(cast):
    agreement = make_agreement(cast, Status.APPROVED)
    with translation.override("en"):
        with pytest.raises(AgreementError, match="does not match"):
            services.agreement_sign(
                agreement=agreement, actor=cast.leader, side="workplace", typed_name="Nogen Andre", has_read=True
            )
        with pytest.raises(AgreementError, match="read the agreement"):
            services.agreement_sign(
                agreement=agreement,
                actor=cast.leader,
                side="workplace",
                typed_name=cast.leader.full_name,
                has_read=False,
            )
    sign(agreement, cast.leader, "workplace")
    with translation.override("en"), pytest.raises(AgreementError, match="already been signed"):
        sign(agreement, cast.leader, "workplace")


def test_a_signed_agreement_for_a_later_period_becomes_active_when_it_begins(cast):
    agreement = make_agreement(cast, Status.SIGNED)
    assert services.agreements_activate_due(today=agreement.period_start - dt.timedelta(days=1)) == 0
    assert services.agreements_activate_due(today=agreement.period_start) == 1
    agreement.refresh_from_db()
    assert agreement.status == Status.ACTIVE
    assert agreement.events.last().actor is None


def test_amending_an_active_agreement_goes_through_the_workflow_and_replaces_it_when_signed(cast):
    active = make_agreement(cast, Status.ACTIVE)
    signed_version = active.versions.get()
    amendment = services.agreement_amend(agreement=active, actor=cast.leader)
    assert amendment.status == Status.DRAFT and amendment.amends == active
    assert [g.title for g in amendment.ordered_goals()] == [g.title for g in active.ordered_goals()]
    with pytest.raises(AgreementError):
        services.agreement_amend(agreement=active, actor=cast.leader)
    goal = amendment.goals.first()
    services.goal_save(agreement=amendment, actor=cast.leader, goal=goal, data={**goal.__dict__, "target": "90 %"})
    for name in ["consult", "submit", "approve", "sign_workplace", "sign_committee"]:
        from .conftest import step

        step(amendment, cast, name)
    active.refresh_from_db()
    assert amendment.status == Status.ACTIVE
    assert active.status == Status.CLOSED
    assert amendment.versions.get().number == signed_version.number + 1
    # The signed version of the original is untouched.
    assert active.versions.get().recompute_fingerprint() == signed_version.fingerprint


# Who the pages offer each step to: the SPEC above, with the vice-chair offered what the chair may do (the form then
# asks why the chair is absent).
OFFERED = {
    Status.CONSULTATION: ("consult", set()),
    Status.SUBMITTED: ("submit", set()),
    Status.CHANGES_REQUESTED: ("request_changes", set()),
    Status.RESUBMITTED: ("resubmit", set()),
    Status.APPROVED: ("approve", {"vice_chair"}),
    Status.SIGNED: ("sign_workplace", {"chair", "vice_chair"}),  # the second signature, for either side
    Status.ACTIVE: ("activate", set()),
    Status.FOLLOWED_UP: ("follow_up", set()),
    Status.CLOSED: ("close", {"vice_chair"}),
}


@pytest.mark.parametrize("status", Status.values)
def test_the_permissions_offer_each_step_to_exactly_whom_the_table_names(cast, status):
    agreement = make_agreement(cast, status)
    for target, (action, acting) in OFFERED.items():
        states, who = SPEC[action]
        for role in ROLES:
            expected = status in states and role in who | acting
            offered = can.may_take(getattr(cast, role), agreement, target)
            assert offered == expected, f"{status} → {target} by {role}"
    assert can.may_take(None, agreement, Status.ACTIVE) == (status == Status.SIGNED)  # the daily job


def test_the_services_take_their_permission_from_the_table(cast, monkeypatch):
    agreement = make_agreement(cast, Status.FOLLOWED_UP)
    only_the_chair = tuple(
        replace(e, who=frozenset({workflow.CHAIR}))
        if e.target == Status.CLOSED and e.source == Status.FOLLOWED_UP
        else e
        for e in workflow.EDGES
    )
    monkeypatch.setattr(workflow, "EDGES", only_the_chair)
    assert not can.can_close(cast.administrator, agreement)
    with (
        translation.override("en"),
        pytest.raises(AgreementError, match="Your role does not let you move the agreement"),
    ):
        services.agreement_close(agreement=agreement, actor=cast.administrator)
    agreement.refresh_from_db()
    assert agreement.status == Status.FOLLOWED_UP
    services.agreement_close(agreement=agreement, actor=cast.chair)
    assert Agreement.objects.get(pk=agreement.pk).status == Status.CLOSED


def test_only_the_portal_closes_an_agreement_an_amendment_replaces(cast):
    active = make_agreement(cast, Status.ACTIVE)
    for person in (cast.leader, cast.chair, cast.administrator):
        assert not can.may_take(person, active, Status.CLOSED)
    amendment = services.agreement_amend(agreement=active, actor=cast.leader)
    for name in ["consult", "submit", "approve", "sign_workplace", "sign_committee"]:
        step(amendment, cast, name)
    assert amendment.status == Status.ACTIVE
    superseded = active.events.get(action="superseded")
    assert (superseded.from_status, superseded.to_status) == (Status.ACTIVE, Status.CLOSED)


def test_a_leader_putting_an_amendment_into_force_on_the_day_closes_the_agreement_it_amends(cast):
    active = make_agreement(cast, Status.ACTIVE)
    amendment = services.agreement_amend(agreement=active, actor=cast.leader)
    later = {
        "period_start": F("period_start") + dt.timedelta(days=400),
        "period_end": F("period_end") + dt.timedelta(days=400),
    }
    Agreement.objects.filter(pk=amendment.pk).update(**later)  # so that signing does not put it into force at once
    amendment.refresh_from_db()
    for name in ["consult", "submit", "approve", "sign_workplace", "sign_committee"]:
        step(amendment, cast, name)
    assert amendment.status == Status.SIGNED
    services.agreement_activate(agreement=amendment, actor=cast.leader, today=amendment.period_start)
    active.refresh_from_db()
    assert active.status == Status.CLOSED
    assert active.events.get(action="superseded").actor == cast.leader
