"""Services beyond the state machine: versions, fingerprints, carry-over, goals, comments, follow-ups."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from agreements import services
from agreements.errors import AgreementError
from agreements.models import (
    Agreement,
    AgreementSignature,
    AgreementVersion,
    Comment,
    FollowUp,
    Goal,
    Status,
    calendar_year,
)
from core.models import OutboxMessage
from tests import factories

from .conftest import GOAL, make_agreement, sign, step

pytestmark = pytest.mark.django_db


# --- Versions and fingerprints -------------------------------------------------------------------------------


def test_submitting_freezes_a_numbered_version_with_the_fingerprint_of_its_text(cast):
    agreement = make_agreement(cast, Status.CONSULTATION)
    version = services.agreement_submit(agreement=agreement, actor=cast.leader)
    assert version.number == 1
    assert len(version.fingerprint) == 64
    assert version.recompute_fingerprint() == version.fingerprint
    assert version.text["core_task"] == "Vi giver børn en tryg hverdag med leg og læring."
    assert [g["title"] for g in version.text["goals"]] == ["Mål 1", "Mål 2"]


def test_a_resubmission_freezes_the_next_number_and_earlier_versions_stay_as_they_were(cast):
    agreement = make_agreement(cast, Status.CHANGES_REQUESTED)
    first = agreement.versions.get()
    goal = agreement.goals.first()
    services.goal_save(agreement=agreement, actor=cast.leader, goal=goal, data={**GOAL, "title": "Skarpere mål"})
    second = services.agreement_resubmit(agreement=agreement, actor=cast.leader)
    first.refresh_from_db()
    assert second.number == 2
    assert second.fingerprint != first.fingerprint
    assert first.recompute_fingerprint() == first.fingerprint
    assert first.text["goals"][0]["title"] == "Mål 1"


def test_versions_signatures_and_events_cannot_be_changed_or_deleted(cast):
    agreement = make_agreement(cast, Status.ACTIVE)
    version = agreement.versions.get()
    signature = agreement.signatures.first()
    for row in (version, signature, agreement.events.first()):
        with pytest.raises(AgreementError):
            row.save()
        with pytest.raises(AgreementError):
            row.delete()
    with pytest.raises(AgreementError):
        AgreementVersion.objects.filter(pk=version.pk).update(fingerprint="0" * 64)
    with pytest.raises(AgreementError):
        AgreementSignature.objects.all().delete()


def test_the_goals_of_a_submitted_agreement_cannot_change(cast):
    agreement = make_agreement(cast, Status.SUBMITTED)
    goal = agreement.goals.first()
    goal.title = "Ændret bag om ryggen"
    with pytest.raises(AgreementError):
        goal.save()
    with pytest.raises(AgreementError):
        services.goal_save(agreement=agreement, actor=cast.leader, goal=goal, data=GOAL)


def test_a_signature_binds_the_fingerprint_of_the_signed_version(cast):
    agreement = make_agreement(cast, Status.ACTIVE)
    version = agreement.versions.get()
    assert {s.fingerprint for s in agreement.signatures.all()} == {version.fingerprint}
    assert {s.side for s in agreement.signatures.all()} == {"workplace", "committee"}


def test_the_database_refuses_two_signatures_for_one_side_of_a_version(cast):
    agreement = make_agreement(cast, Status.ACTIVE)
    signature = agreement.signatures.get(side="workplace")
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementSignature.objects.create(
            agreement=agreement,
            version=signature.version,
            person=cast.leader,
            side="workplace",
            role="leader",
            typed_name="x",
            fingerprint=signature.fingerprint,
        )


def test_the_database_refuses_a_vice_chair_signature_without_the_chairs_absence(cast):
    agreement = make_agreement(cast, Status.APPROVED)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementSignature.objects.create(
            agreement=agreement,
            version=agreement.versions.get(),
            person=cast.vice_chair,
            side="committee",
            role="vice_chair",
            typed_name="x",
            fingerprint="f" * 64,
        )


def test_signing_refuses_a_version_whose_text_no_longer_matches_its_fingerprint(cast):
    agreement = make_agreement(cast, Status.APPROVED)
    version = agreement.versions.get()
    # Tampering behind the portal's back (the model refuses updates, so go underneath it).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AgreementVersion._meta.db_table} SET fingerprint = %s WHERE id = %s",  # noqa: S608
            ["0" * 64, version.pk],
        )
    with translation.override("en"), pytest.raises(AgreementError, match="fingerprint"):
        sign(agreement, cast.leader, "workplace")


# --- Creating, carrying over, goals ---------------------------------------------------------------------------


def test_a_new_agreement_defaults_to_the_calendar_year_with_follow_up_dates(cast):
    agreement = services.agreement_create(workplace=cast.workplace, committee=cast.committee, actor=cast.leader)
    year = timezone.localdate().year
    assert (agreement.period_start, agreement.period_end) == calendar_year(year)
    assert agreement.period_start < agreement.midterm_on < agreement.final_on < agreement.period_end
    assert agreement.core_task == cast.workplace.description


def test_only_the_workplaces_leader_starts_an_agreement_and_only_with_a_responsible_committee(cast):
    with pytest.raises(AgreementError):
        services.agreement_create(workplace=cast.workplace, committee=cast.committee, actor=cast.other_leader)
    with pytest.raises(AgreementError):
        services.agreement_create(workplace=cast.workplace, committee=cast.other_committee, actor=cast.leader)


def test_a_second_agreement_for_an_overlapping_period_is_refused(cast):
    make_agreement(cast)
    start, end = calendar_year(timezone.localdate().year)
    with pytest.raises(AgreementError):
        services.agreement_create(
            workplace=cast.workplace,
            committee=cast.committee,
            actor=cast.leader,
            period_start=start + dt.timedelta(days=40),
            period_end=end + dt.timedelta(days=40),
        )


def test_carry_over_copies_goals_with_their_results_as_baselines(cast):
    year = timezone.localdate().year
    shared = factories.SharedGoalFactory(
        title="Flere i fællesskaber", period_start=dt.date(year - 1, 1, 1), period_end=dt.date(year + 1, 12, 31)
    )
    last = make_agreement(cast, Status.DRAFT, year=year - 1, goals=1)
    services.goal_save(agreement=last, actor=cast.leader, data={**GOAL, "title": ""}, shared_goal=shared)
    for name in ["consult", "submit", "approve", "sign_workplace", "sign_committee"]:
        step(last, cast, name)
    own, adopted = last.ordered_goals()[1], last.ordered_goals()[0]
    services.followup_record(
        agreement=last,
        actor=cast.member,
        entries=[(own, "midterm", "at_risk", "Svært i foråret.")],
    )
    services.followup_record(
        agreement=last,
        actor=cast.leader,
        entries=[(own, "final", "not_achieved", "Nåede 80 %."), (adopted, "final", "achieved", "")],
    )
    last.refresh_from_db()
    assert last.status == Status.FOLLOWED_UP
    previous = services.previous_agreement(cast.workplace, cast.committee, dt.date(year, 1, 1))
    assert previous == last

    new = services.agreement_create(
        workplace=cast.workplace,
        committee=cast.committee,
        actor=cast.leader,
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
        start_from=previous,
    )
    goals = new.ordered_goals()
    assert [g.kind for g in goals] == ["shared", "own"]
    assert goals[0].shared_goal == shared and goals[0].carried_from == adopted
    assert goals[1].carried_from == own
    assert str(year - 1) in goals[1].baseline and "Nåede 80 %." in goals[1].baseline
    assert goals[1].milestones == ""
    assert new.carried_from == last and new.core_task == last.core_task
    assert new.events.get().note  # says where it started from


def test_carry_over_turns_a_shared_goal_no_longer_offered_into_an_own_goal(cast):
    year = timezone.localdate().year
    shared = factories.SharedGoalFactory(period_start=dt.date(year - 1, 1, 1), period_end=dt.date(year - 1, 12, 31))
    last = make_agreement(cast, Status.DRAFT, year=year - 1, goals=0)
    services.goal_save(agreement=last, actor=cast.leader, data={**GOAL, "title": ""}, shared_goal=shared)
    new = services.agreement_create(
        workplace=cast.workplace,
        committee=cast.committee,
        actor=cast.leader,
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
        start_from=last,
    )
    goal = new.goals.get()
    assert (goal.kind, goal.shared_goal, goal.title) == ("own", None, shared.title)


def test_an_agreement_has_at_most_the_configured_number_of_goals(cast, settings):
    settings.DIALOG_MAX_GOALS = 3
    agreement = make_agreement(cast, goals=3)
    with translation.override("en"), pytest.raises(AgreementError, match="at most 3 goals"):
        services.goal_save(agreement=agreement, actor=cast.leader, data=GOAL)
    assert agreement.goals.count() == 3


def test_every_goal_needs_an_indicator(cast, agreement):
    with translation.override("en"), pytest.raises(AgreementError, match="indicator"):
        services.goal_save(agreement=agreement, actor=cast.leader, data={**GOAL, "indicator": "  "})


def test_a_shared_goal_is_adopted_once_and_only_when_offered_for_the_committee_and_period(cast, agreement):
    offered = factories.SharedGoalFactory(committee=cast.committee)
    other = factories.SharedGoalFactory(committee=cast.other_committee)
    goal = services.goal_save(agreement=agreement, actor=cast.leader, data={**GOAL, "title": ""}, shared_goal=offered)
    assert (goal.kind, goal.title) == ("shared", offered.title)
    with pytest.raises(AgreementError):
        services.goal_save(agreement=agreement, actor=cast.leader, data=GOAL, shared_goal=offered)
    with pytest.raises(AgreementError):
        services.goal_save(agreement=agreement, actor=cast.leader, data=GOAL, shared_goal=other)
    assert agreement.ordered_goals()[0] == goal  # adopted shared goals come first


def test_removing_a_goal_renumbers_the_rest_and_keeps_its_comments(cast):
    agreement = make_agreement(cast, Status.CONSULTATION, goals=3)
    first = agreement.ordered_goals()[0]
    comment = services.comment_add(agreement=agreement, actor=cast.trio, body="Godt mål", goal=first)
    services.goal_delete(goal=first, actor=cast.leader)
    assert [g.order for g in agreement.goals.order_by("order")] == [1, 2]
    comment.refresh_from_db()
    assert comment.goal is None and comment.goal_title == "Mål 1"


def test_moving_a_goal_up_swaps_it_with_the_one_before(cast, agreement):
    second = agreement.ordered_goals()[1]
    services.goal_move(goal=second, actor=cast.leader, up=True)
    assert [g.title for g in Agreement.objects.get(pk=agreement.pk).ordered_goals()] == ["Mål 2", "Mål 1"]


# --- Comments --------------------------------------------------------------------------------------------------


def test_the_trio_comments_in_consultation_on_a_goal_and_the_leader_resolves_it(cast):
    agreement = make_agreement(cast, Status.CONSULTATION)
    goal = agreement.goals.first()
    comment = services.comment_add(agreement=agreement, actor=cast.trio, body="Husk forældrene", goal=goal)
    assert comment.target_label.endswith(goal.title)
    services.comment_resolve(comment=comment, actor=cast.leader)
    comment.refresh_from_db()
    assert comment.is_resolved and comment.resolved_by == cast.leader
    with pytest.raises(AgreementError):
        services.comment_resolve(comment=comment, actor=cast.leader)


def test_a_named_employee_comments_in_consultation_and_an_unnamed_one_does_not(cast):
    named = factories.UserFactory(full_name="Medarbejder Navngivet")
    unnamed = factories.UserFactory(full_name="Medarbejder Unavngivet")
    for person in (named, unnamed):
        factories.WorkplaceRoleFactory(user=person, workplace=cast.workplace, role="employee")
    agreement = make_agreement(cast)
    services.agreement_consultation_open(agreement=agreement, actor=cast.leader, consultees=[named])
    services.comment_add(agreement=agreement, actor=named, body="Fint", section=Comment.Section.SUPPORT)
    with pytest.raises(AgreementError):
        services.comment_add(agreement=agreement, actor=unnamed, body="Også mig")


def test_only_employees_of_the_workplace_can_be_named_for_consultation(cast, agreement):
    with pytest.raises(AgreementError):
        services.agreement_consultation_open(agreement=agreement, actor=cast.leader, consultees=[cast.outsider])


def test_committee_members_comment_in_review_and_the_trio_no_longer_does(cast):
    agreement = make_agreement(cast, Status.SUBMITTED)
    services.comment_add(agreement=agreement, actor=cast.member, body="Hvordan måler I det?")
    with pytest.raises(AgreementError):
        services.comment_add(agreement=agreement, actor=cast.trio, body="Vi er enige")
    with pytest.raises(AgreementError):
        services.comment_add(agreement=agreement, actor=cast.other_member, body="Udefra")


def test_asking_for_changes_needs_a_note(cast):
    agreement = make_agreement(cast, Status.SUBMITTED)
    with pytest.raises(AgreementError):
        services.agreement_changes_request(agreement=agreement, actor=cast.member, note="  ")


# --- Follow-ups ----------------------------------------------------------------------------------------------------


def test_a_mid_term_status_must_fit_the_kind(cast):
    agreement = make_agreement(cast, Status.ACTIVE)
    goal = agreement.goals.first()
    with pytest.raises(AgreementError):
        services.followup_record(
            agreement=agreement, actor=cast.leader, entries=[(goal, "midterm", "not_achieved", "")]
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.create(goal=goal, kind="final", status="on_track", recorded_by=cast.leader)


def test_the_agreement_is_followed_up_when_every_goal_has_a_final_status(cast):
    agreement = make_agreement(cast, Status.ACTIVE)
    first, second = agreement.ordered_goals()
    services.followup_record(agreement=agreement, actor=cast.chair, entries=[(first, "final", "achieved", "")])
    agreement.refresh_from_db()
    assert agreement.status == Status.ACTIVE
    services.followup_record(agreement=agreement, actor=cast.leader, entries=[(second, "final", "not_achieved", "")])
    agreement.refresh_from_db()
    assert agreement.status == Status.FOLLOWED_UP


def test_a_goal_of_another_agreement_is_refused(cast):
    agreement = make_agreement(cast, Status.ACTIVE)
    other = make_agreement(cast, Status.DRAFT, year=timezone.localdate().year + 2)
    stranger = other.goals.first()
    with pytest.raises(AgreementError):
        services.followup_record(
            agreement=agreement, actor=cast.leader, entries=[(stranger, "midterm", "on_track", "")]
        )
    assert not Goal.objects.filter(followups__isnull=False).exists()


# --- Notices -------------------------------------------------------------------------------------------------------


def test_each_step_queues_a_notice_for_whoever_acts_next(cast, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        agreement = make_agreement(cast, Status.CONSULTATION)
    assert [m.to for m in mailoutbox] == [[cast.trio.email]]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_submit(agreement=agreement, actor=cast.leader)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([cast.chair.email, cast.vice_chair.email, cast.member.email])
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_changes_request(agreement=agreement, actor=cast.member, note="Skarpere indikator")
    assert [m.to for m in mailoutbox] == [[cast.leader.email]]
    assert "Skarpere indikator" in mailoutbox[0].body
    assert OutboxMessage.objects.pending().count() == 0
