"""The daily jobs: reminders when an agreement waits on someone too long, and before follow-ups are due.
The clock is moved by passing ``now``/``today``."""

import datetime as dt

import pytest
from django.utils import timezone

from agreements import services
from agreements.models import AgreementReminder, Status

from .conftest import make_agreement

pytestmark = pytest.mark.django_db


def test_a_waiting_agreement_is_reminded_after_the_configured_days_and_then_every_as_many(
    cast, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.DIALOG_AGREEMENT_REMINDER_DAYS = 7
    agreement = make_agreement(cast, Status.SUBMITTED)
    start = agreement.status_changed_at
    with django_capture_on_commit_callbacks(execute=True):
        assert services.agreement_reminders_send(now=start + dt.timedelta(days=6)) == 0
        assert services.agreement_reminders_send(now=start + dt.timedelta(days=8)) == 1
        assert services.agreement_reminders_send(now=start + dt.timedelta(days=9)) == 0
        assert services.agreement_reminders_send(now=start + dt.timedelta(days=16)) == 1
    reminded = sorted(m.to[0] for m in mailoutbox)
    expected = sorted([cast.chair.email, cast.vice_chair.email, cast.member.email])
    assert reminded == sorted(expected * 2)
    assert "Påmindelse" in mailoutbox[0].subject or "Reminder" in mailoutbox[0].subject


def test_the_reminder_goes_to_whoever_must_act_in_the_new_state(
    cast, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.DIALOG_AGREEMENT_REMINDER_DAYS = 3
    agreement = make_agreement(cast, Status.SUBMITTED)
    services.agreement_changes_request(agreement=agreement, actor=cast.member, note="Mere konkret")
    agreement.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.agreement_reminders_send(now=agreement.status_changed_at + dt.timedelta(days=4)) == 1
    assert [m.to for m in mailoutbox] == [[cast.leader.email]]


def test_an_approved_agreement_reminds_only_the_side_that_has_not_signed(
    cast, settings, mailoutbox, django_capture_on_commit_callbacks
):
    from .conftest import sign

    agreement = make_agreement(cast, Status.APPROVED)
    sign(agreement, cast.leader, "workplace")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.agreement_reminders_send(now=timezone.now() + dt.timedelta(days=30)) == 1
    assert [m.to for m in mailoutbox] == [[cast.chair.email]]


def test_active_and_closed_agreements_are_not_reminded(cast):
    make_agreement(cast, Status.ACTIVE)
    assert services.agreement_reminders_send(now=timezone.now() + dt.timedelta(days=365)) == 0


def test_a_follow_up_coming_up_is_announced_once_to_the_leader_and_the_chair(
    cast, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.DIALOG_AGREEMENT_FOLLOWUP_NOTICE_DAYS = 14
    agreement = make_agreement(cast, Status.ACTIVE)
    midterm = agreement.midterm_on
    with django_capture_on_commit_callbacks(execute=True):
        assert services.followup_reminders_send(today=midterm - dt.timedelta(days=15)) == 0
        assert services.followup_reminders_send(today=midterm - dt.timedelta(days=10)) == 1
        assert services.followup_reminders_send(today=midterm - dt.timedelta(days=9)) == 0
    assert sorted(m.to[0] for m in mailoutbox) == sorted([cast.leader.email, cast.chair.email])
    assert AgreementReminder.objects.get().kind == "midterm"


def test_no_follow_up_notice_once_the_follow_up_is_recorded(cast):
    agreement = make_agreement(cast, Status.ACTIVE)
    goal = agreement.goals.first()
    services.followup_record(agreement=agreement, actor=cast.leader, entries=[(goal, "midterm", "on_track", "")])
    assert services.followup_reminders_send(today=agreement.midterm_on - dt.timedelta(days=3)) == 0
    assert services.followup_reminders_send(today=agreement.final_on - dt.timedelta(days=3)) == 1
