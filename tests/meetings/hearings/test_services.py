"""The rules of hearings, refused in the services whoever calls them."""

import datetime as dt

import pytest
from django.core import mail
from django.db import IntegrityError

from core.models import AuditEntry
from meetings.hearings import selectors, services
from meetings.hearings.errors import HearingError
from meetings.models import FrozenError, HearingResponse, MeetingDate
from meetings.rotation import services as rotation_services
from meetings.rotation.services import RotationError
from meetings.workdays import add_working_days

from .conftest import pdf


def test_administrator_registers_a_matter_and_every_workplace_is_heard(matter, cast, heard):
    assert {h.workplace for h in matter.hearings.all()} == {cast.workplace, heard.second_workplace}
    assert matter.urgency_reason == ""
    assert AuditEntry.objects.filter(action="hearing.matter_registered", object_id=str(matter.pk)).exists()


def test_chair_registers_a_matter_for_their_own_committee(register, cast):
    assert register(actor=cast.chair).created_by == cast.chair


@pytest.mark.parametrize("who", ["vice_chair", "member", "other_member", "leader", "trio", "other_leader", "outsider"])
def test_others_cannot_register_a_matter(register, cast, who):
    with pytest.raises(HearingError, match="sekretariatet eller udvalgets formand"):
        register(actor=getattr(cast, who))


def test_the_meeting_date_must_be_the_committees_own(register, cast, heard):
    other = MeetingDate.objects.create(
        committee=cast.other_committee, date=heard.meeting_date.date, start=dt.time(16, 0)
    )
    with pytest.raises(HearingError, match="udvalgets egne mødedatoer"):
        register(meeting_date=other)


def test_a_workplace_under_another_committee_cannot_be_heard(register, cast):
    with pytest.raises(HearingError, match="hører ikke under udvalget"):
        register(workplaces=[cast.other_workplace])


def test_the_deadline_must_be_before_the_meeting(register, heard):
    with pytest.raises(HearingError, match="før mødet"):
        register(deadline=heard.meeting_date.date)


def test_a_short_hearing_period_needs_an_urgency_reason_which_is_kept(register, heard):
    short = add_working_days(heard.today, 5)
    with pytest.raises(HearingError, match="Skriv, hvorfor sagen haster"):
        register(deadline=short)
    matter = register(deadline=short, urgency_reason="Tilsynet kræver svar før jul.")
    assert matter.urgency_reason == "Tilsynet kræver svar før jul."


def test_the_hearing_period_counts_working_days_not_christmas(register, cast):
    """Registered Friday 18 December 2026: the 24th, 25th, 31st and 1 January do not count, nor weekends, so ten
    working days end on Thursday 7 January 2027."""
    friday = dt.date(2026, 12, 18)
    meeting = MeetingDate.objects.create(committee=cast.committee, date=dt.date(2027, 2, 2), start=dt.time(16, 0))
    assert services.earliest_deadline(friday) == dt.date(2027, 1, 7)
    with pytest.raises(HearingError, match="9 arbejdsdage"):
        register(meeting_date=meeting, deadline=dt.date(2027, 1, 6), today=friday)
    assert register(meeting_date=meeting, deadline=dt.date(2027, 1, 7), today=friday).urgency_reason == ""


def test_the_setting_sets_the_hearing_period(register, heard, settings):
    settings.DIALOG_HEARING_WORKING_DAYS = 3
    assert register(deadline=add_working_days(heard.today, 3)).urgency_reason == ""


def test_files_are_stored_and_other_kinds_refused(register, settings):
    matter = register(files=[pdf()])
    stored = matter.files.get()
    assert stored.name == "sagsfremstilling.pdf" and stored.size == len(stored.file.read())
    with pytest.raises(HearingError, match="kan ikke vedhæftes"):
        register(files=[pdf("virus.exe")])
    with pytest.raises(HearingError, match="ikke den slags fil"):
        register(files=[pdf("falsk.pdf", b"MZ\x90\x00 not a pdf")])
    settings.DIALOG_HEARING_FILE_MAX_MB = 0
    with pytest.raises(HearingError, match="er for stor"):
        register(files=[pdf()])


def test_a_refused_registration_writes_nothing(register, heard):
    with pytest.raises(HearingError):
        register(files=[pdf("virus.exe")])
    assert not heard.meeting_date.matters.exists()


def test_leaders_and_trio_are_told_at_once(register, cast, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [cast.leader.email, cast.trio.email, heard.second_leader.email]
    )
    assert "Ny struktur for dagtilbud" in mail.outbox[0].body


# --- The response -------------------------------------------------------------------------------------------------


def test_leader_drafts_trio_comments_and_leader_submits_a_fingerprinted_response(hearing, cast):
    services.hearing_draft_save(hearing=hearing, actor=cast.leader, text="Vi støtter forslaget.")
    services.hearing_comment_add(hearing=hearing, actor=cast.trio, body="Husk arbejdsmiljøet.")
    response = services.hearing_respond(hearing=hearing, actor=cast.leader)
    assert response.number == 1 and response.text == "Vi støtter forslaget." and not response.late
    assert len(response.fingerprint) == 64 and services.response_verify(response)


def test_a_named_employee_may_comment_and_others_may_not(hearing, cast, heard):
    with pytest.raises(HearingError):
        services.hearing_comment_add(hearing=hearing, actor=heard.employee, body="Må jeg?")
    services.hearing_draft_save(hearing=hearing, actor=cast.leader, text="Udkast", commenters=[heard.employee])
    assert services.hearing_comment_add(hearing=hearing, actor=heard.employee, body="Ja.").body == "Ja."


@pytest.mark.parametrize("who", ["trio", "chair", "member", "administrator", "other_leader", "outsider"])
def test_only_the_leader_writes_and_sends_the_response(hearing, cast, who):
    with pytest.raises(HearingError, match="leder"):
        services.hearing_draft_save(hearing=hearing, actor=getattr(cast, who), text="Nej")
    with pytest.raises(HearingError, match="leder"):
        services.hearing_respond(hearing=hearing, actor=getattr(cast, who), no_comments=True)


def test_people_outside_the_workplace_cannot_be_named_to_comment(hearing, cast):
    with pytest.raises(HearingError, match="rolle på arbejdspladsen"):
        services.hearing_draft_save(hearing=hearing, actor=cast.leader, text="x", commenters=[cast.outsider])


def test_an_empty_draft_cannot_be_sent_but_no_comments_can(hearing, cast):
    with pytest.raises(HearingError, match="Skriv høringssvaret først"):
        services.hearing_respond(hearing=hearing, actor=cast.leader)
    assert services.hearing_respond(hearing=hearing, actor=cast.leader, no_comments=True).no_comments


def test_a_submitted_response_is_frozen_and_a_correction_is_a_new_version(hearing, cast):
    services.hearing_draft_save(hearing=hearing, actor=cast.leader, text="Første svar")
    first = services.hearing_respond(hearing=hearing, actor=cast.leader)
    first.text = "Ændret i smug"
    with pytest.raises(FrozenError):
        first.save()
    with pytest.raises(FrozenError):
        HearingResponse.objects.filter(pk=first.pk).update(text="Ændret i smug")
    with pytest.raises(FrozenError):
        first.delete()
    services.hearing_draft_save(hearing=hearing, actor=cast.leader, text="Rettet svar")
    second = services.hearing_respond(hearing=hearing, actor=cast.leader)
    first.refresh_from_db()
    assert (first.number, first.text, second.number, second.text) == (1, "Første svar", 2, "Rettet svar")
    assert AuditEntry.objects.filter(action="hearing.corrected").count() == 1


def test_the_database_refuses_two_responses_with_one_version_number(hearing, cast):
    services.hearing_respond(hearing=hearing, actor=cast.leader, no_comments=True)
    with pytest.raises(IntegrityError):
        HearingResponse.objects.create(hearing=hearing, number=1, no_comments=True, submitted_by=cast.leader)


def test_a_response_after_the_deadline_is_accepted_and_marked_late(hearing, cast, matter):
    after = dt.datetime.combine(matter.deadline + dt.timedelta(days=1), dt.time(12), tzinfo=dt.UTC)
    assert services.hearing_respond(hearing=hearing, actor=cast.leader, no_comments=True, now=after).late


# --- Readiness and the daily jobs ------------------------------------------------------------------------------


def _fresh(matter):
    return selectors.get_matter_for_user(matter.created_by, matter.pk)


def test_a_matter_is_ready_when_every_workplace_has_answered(matter, cast, heard):
    assert not selectors.is_ready(_fresh(matter))
    services.hearing_respond(hearing=matter.hearings.get(workplace=cast.workplace), actor=cast.leader, no_comments=True)
    assert not selectors.is_ready(_fresh(matter))
    second = matter.hearings.get(workplace=heard.second_workplace)
    services.hearing_draft_save(hearing=second, actor=heard.second_leader, text="Vi har bemærkninger.")
    services.hearing_respond(hearing=second, actor=heard.second_leader)
    assert selectors.is_ready(_fresh(matter))


def test_a_matter_is_ready_when_the_deadline_passed_after_the_reminder(matter):
    after = matter.deadline + dt.timedelta(days=1)
    assert not selectors.is_ready(_fresh(matter), today=after)
    services.hearing_reminders_send(today=add_working_days(matter.deadline, -3))
    assert selectors.is_ready(_fresh(matter), today=after)
    assert not selectors.is_ready(_fresh(matter), today=matter.deadline)


def test_the_reminder_goes_three_working_days_before_the_deadline_once_and_only_to_who_has_not_answered(
    matter, cast, heard, django_capture_on_commit_callbacks
):
    services.hearing_respond(hearing=matter.hearings.get(workplace=cast.workplace), actor=cast.leader, no_comments=True)
    assert services.hearing_reminders_send(today=add_working_days(matter.deadline, -4)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.hearing_reminders_send(today=add_working_days(matter.deadline, -3)) == 1
    assert [m.to[0] for m in mail.outbox] == [heard.second_leader.email]
    assert mail.outbox[0].subject.startswith("Påmindelse")
    assert services.hearing_reminders_send(today=add_working_days(matter.deadline, -2)) == 0


def test_the_secretariat_is_told_of_missing_responses_the_day_after_the_deadline(
    matter, cast, heard, django_capture_on_commit_callbacks
):
    services.hearing_respond(hearing=matter.hearings.get(workplace=cast.workplace), actor=cast.leader, no_comments=True)
    assert services.hearing_deadlines_notice(today=matter.deadline) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.hearing_deadlines_notice(today=matter.deadline + dt.timedelta(days=1)) == 1
    assert [m.to[0] for m in mail.outbox] == [cast.administrator.email]
    assert heard.second_workplace.name in mail.outbox[0].body
    assert cast.workplace.name not in mail.outbox[0].body
    assert services.hearing_deadlines_notice(today=matter.deadline + dt.timedelta(days=2)) == 0


def test_a_meeting_date_with_matters_cannot_be_deleted_from_the_rotation(matter, cast):
    with pytest.raises(RotationError, match="Flyt dem"):
        rotation_services.meeting_date_delete(meeting_date=matter.meeting_date, actor=cast.administrator)
    assert MeetingDate.objects.filter(pk=matter.meeting_date.pk).exists()
