"""The rotation's services: dates, drafts, hand changes, publishing, re-planning, reminders and autumn drafts."""

import datetime as dt

import pytest
from django.db import IntegrityError
from django.utils import timezone

from core.audit import audit_verify
from core.models import AuditEntry, OutboxMessage
from meetings.models import (
    CancellationRequest,
    Hosting,
    Meeting,
    MeetingDate,
    MeetingInvitation,
    MeetingReminder,
    PlanningRun,
    RotationPlan,
)
from meetings.rotation import calendar as holidays
from meetings.rotation import services
from meetings.rotation.services import RotationError
from tests import factories

pytestmark = pytest.mark.django_db


def draft(cast, rotation, **kwargs):
    return services.rotation_plan_draft(
        committee=cast.committee, year=rotation.year, actor=cast.administrator, **kwargs
    )


# --- Dates --------------------------------------------------------------------------------------------------------


def test_dates_follow_the_pattern_and_skip_public_holidays(cast, rotation):
    cast.committee.meeting_skip_months = [7]
    cast.committee.save()
    created = services.meeting_dates_generate(committee=cast.committee, year=rotation.year, actor=cast.administrator)
    closed = holidays.closed_days_of_year(rotation.year)
    assert len(created) == 11
    assert all(d.date.weekday() == 1 and d.date not in closed for d in created)  # Tuesdays, no holidays
    assert 7 not in {d.date.month for d in created}
    assert services.meeting_dates_generate(committee=cast.committee, year=rotation.year, actor=cast.administrator) == []


def test_a_date_on_a_public_holiday_is_refused_with_its_name(cast, rotation):
    christmas = dt.date(rotation.year, 12, 25)
    with pytest.raises(RotationError, match="public holiday"):
        services.meeting_date_save(
            committee=cast.committee, date=christmas, start=dt.time(16), minutes=120, actor=cast.administrator
        )


def test_the_same_date_twice_is_refused(cast, rotation):
    day = dt.date(rotation.year, 3, 3)
    services.meeting_date_save(
        committee=cast.committee, date=day, start=dt.time(16), minutes=120, actor=cast.administrator
    )
    with pytest.raises(RotationError, match="already meets"):
        services.meeting_date_save(
            committee=cast.committee, date=day, start=dt.time(17), minutes=120, actor=cast.administrator
        )


@pytest.mark.parametrize("role", ["chair", "member", "leader", "outsider"])
def test_only_the_secretariat_plans(cast, rotation, role):
    with pytest.raises(RotationError, match="Only the secretariat"):
        services.meeting_dates_generate(committee=cast.committee, year=rotation.year, actor=getattr(cast, role))
    with pytest.raises(RotationError):
        services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=getattr(cast, role))


# --- Drafts -------------------------------------------------------------------------------------------------------


def test_a_draft_gives_every_date_a_host_and_invites_every_other_workplace(cast, rotation):
    plan = draft(cast, rotation)
    meetings = list(plan.meetings.prefetch_related("guests"))
    assert len(meetings) == MeetingDate.objects.filter(committee=cast.committee).count() == 12
    assert all(m.host is not None and m.why for m in meetings)
    hosts = [m.host_id for m in meetings]
    counts = {w.pk: hosts.count(w.pk) for w in rotation.workplaces}
    assert max(counts.values()) - min(counts.values()) <= 1
    assert plan.broken_rules == []
    assert plan.fairness["spread_after"] <= plan.fairness["best_possible_spread"]


def test_earlier_hostings_count_so_the_least_served_host_first(cast, rotation):
    favourite = rotation.workplaces[1]
    for n in range(3):
        Hosting.objects.create(committee=cast.committee, workplace=favourite, date=dt.date(rotation.year - 2, n + 1, 5))
    MeetingDate.objects.create(committee=cast.committee, date=dt.date(rotation.year, 2, 2), start=dt.time(16))
    MeetingDate.objects.create(committee=cast.committee, date=dt.date(rotation.year, 3, 2), start=dt.time(16))
    plan = draft(cast, rotation)
    assert favourite.pk not in {m.host_id for m in plan.meetings.all()}


def test_planning_again_replaces_the_draft(cast, rotation):
    first = draft(cast, rotation)
    second = draft(cast, rotation)
    first.refresh_from_db()
    assert first.status == RotationPlan.Status.DISCARDED
    assert RotationPlan.objects.drafts().get(committee=cast.committee, year=rotation.year) == second


def test_a_blacked_out_workplace_never_hosts_on_that_date(cast, rotation):
    day = dt.date(rotation.year, 5, 11)
    MeetingDate.objects.create(committee=cast.committee, date=day, start=dt.time(16))
    for workplace in rotation.workplaces[:-1]:
        factories.BlackoutFactory(workplace=workplace, first_day=day, last_day=day)
    plan = draft(cast, rotation)
    assert plan.meetings.get(date=day).host == rotation.workplaces[-1]


def test_when_nobody_can_host_the_draft_says_which_rule_breaks_and_why(cast, rotation):
    day = dt.date(rotation.year, 5, 11)
    MeetingDate.objects.create(committee=cast.committee, date=day, start=dt.time(16))
    for workplace in rotation.workplaces:
        factories.BlackoutFactory(workplace=workplace, first_day=day, last_day=day)
    plan = draft(cast, rotation)
    assert plan.meetings.get(date=day).host is None
    host_rule = [b for b in plan.broken_rules if b["rule"] == 1]
    assert [(b["date"], b["workplace"]) for b in host_rule] == [(day.isoformat(), None)]
    assert "blacked out" in host_rule[0]["reason"]
    # With no meeting to attend, no workplace can be invited either: rule 3 names each of them.
    assert {b["workplace"] for b in plan.broken_rules if b["rule"] == 3} == {w.slug for w in rotation.workplaces}


# --- Hand changes -------------------------------------------------------------------------------------------------


def test_a_swap_that_breaks_equal_access_needs_a_reason(cast, rotation):
    plan = draft(cast, rotation)
    first, second = plan.meetings.order_by("date")[:2]
    with pytest.raises(RotationError, match="breaks a rule"):
        services.rotation_host_swap(planned=first, host=second.host, actor=cast.administrator)
    row = services.rotation_host_swap(
        planned=first, host=second.host, actor=cast.administrator, reason="Nyt køkken at vise frem."
    )
    plan.refresh_from_db()
    assert row.host == second.host and row.changed_by_hand and "Nyt køkken" in row.hand_reason
    assert any(b["rule"] == 2 for b in plan.broken_rules)
    # The former host keeps access: it hosts another date or is invited to this one.
    still_hosts = plan.meetings.filter(host=first.host).exists()
    assert still_hosts or first.host in row.guests.all()


def test_a_former_host_with_no_other_date_is_invited_instead(cast, rotation):
    for month in (2, 3):
        MeetingDate.objects.create(committee=cast.committee, date=dt.date(rotation.year, month, 2), start=dt.time(16))
    plan = draft(cast, rotation)
    first, second = plan.meetings.order_by("date")
    replacement = next(w for w in rotation.workplaces if w not in (first.host, second.host))
    row = services.rotation_host_swap(planned=first, host=replacement, actor=cast.administrator, reason="Ønske")
    assert first.host in row.guests.all()
    assert replacement not in {g for m in plan.meetings.all() for g in m.guests.all()}


def test_moving_a_guest_updates_the_lists(cast, rotation):
    plan = draft(cast, rotation)
    target = plan.meetings.order_by("date").last()
    guest = next(w for w in rotation.workplaces if w != target.host)
    services.rotation_guest_move(plan=plan, workplace=guest, to=target, actor=cast.administrator, reason="Ønske")
    assert guest in target.guests.all()
    assert sum(1 for m in plan.meetings.all() if guest in m.guests.all()) == 1


# --- Publishing ---------------------------------------------------------------------------------------------------


def test_publishing_creates_meetings_invitations_hostings_notices_and_an_audit_entry(cast, rotation):
    plan = draft(cast, rotation)
    meetings = services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    plan.refresh_from_db()
    assert plan.status == RotationPlan.Status.PUBLISHED
    assert len(meetings) == 12 == Meeting.objects.count() == Hosting.objects.filter(source="portal").count()
    assert MeetingInvitation.objects.count() == sum(m.guests.count() for m in plan.meetings.all())
    assert OutboxMessage.objects.filter(handler__endswith="plan_published_send").count() == 1
    assert AuditEntry.objects.filter(action="rotation.published").count() == 1
    assert audit_verify() == []
    summer = next(m for m in meetings if m.local_date.month == 7)
    assert timezone.localtime(summer.starts_at).hour == 16  # local time, across summer time


def test_publishing_is_all_or_nothing(cast, rotation, monkeypatch):
    plan = draft(cast, rotation)
    calls = {"n": 0}
    original = Hosting.objects.update_or_create

    def fail_on_the_fifth(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 5:
            raise IntegrityError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(Hosting.objects, "update_or_create", fail_on_the_fifth)
    with pytest.raises(IntegrityError):
        services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    plan.refresh_from_db()
    assert plan.status == RotationPlan.Status.DRAFT
    assert Meeting.objects.count() == MeetingInvitation.objects.count() == Hosting.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_a_published_plan_is_never_changed_by_planning_or_swapping(cast, rotation):
    plan = draft(cast, rotation)
    services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    with pytest.raises(RotationError, match="published"):
        draft(cast, rotation)
    with pytest.raises(RotationError, match="Only a draft"):
        services.rotation_host_swap(
            planned=plan.meetings.first(), host=rotation.workplaces[2], actor=cast.administrator, reason="x"
        )
    with pytest.raises(RotationError, match="published"):
        services.meeting_dates_generate(committee=cast.committee, year=rotation.year, actor=cast.administrator)


def test_publishing_sends_each_member_and_leader_their_dates(
    cast, rotation, mailoutbox, django_capture_on_commit_callbacks
):
    plan = draft(cast, rotation)
    with django_capture_on_commit_callbacks(execute=True):
        services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    recipients = {m.to[0] for m in mailoutbox}
    assert {cast.chair.email, cast.member.email, cast.leader.email} <= recipients
    assert cast.other_member.email not in recipients


# --- Published meetings -------------------------------------------------------------------------------------------


@pytest.fixture
def published(cast, rotation):
    plan = draft(cast, rotation)
    services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    return plan


def test_moving_a_meeting_raises_its_revision_and_moves_the_hosting(cast, published, rotation):
    meeting = Meeting.objects.order_by("starts_at").first()
    new_day = meeting.local_date + dt.timedelta(days=1)
    while new_day in holidays.closed_days_of_year(new_day.year) or new_day.weekday() >= 5:
        new_day += dt.timedelta(days=1)
    moved = services.meeting_update(
        meeting=meeting,
        actor=cast.administrator,
        date=new_day,
        start=dt.time(15),
        minutes=120,
        agenda_url="",
        programme="",
    )
    assert moved.sequence == 1 and moved.local_date == new_day
    assert Hosting.objects.get(meeting=moved).date == new_day
    assert OutboxMessage.objects.filter(handler__endswith="meeting_changed_send").count() == 1


def test_moving_a_meeting_onto_another_of_its_committees_days_is_refused_in_words(cast, published):
    """One host a day per committee: a move onto a day the committee already meets is refused with a message (it
    was a server error), and nothing changes."""
    first, second = Meeting.objects.filter(committee=cast.committee).order_by("starts_at")[:2]
    with pytest.raises(services.RotationError, match="already meets"):
        services.meeting_update(
            meeting=first,
            actor=cast.administrator,
            date=second.local_date,
            start=dt.time(9),
            minutes=120,
            agenda_url="",
            programme="",
        )
    first.refresh_from_db()
    assert first.sequence == 0 and Hosting.objects.get(meeting=first).date == first.local_date


def test_only_the_host_leader_asks_to_hand_a_meeting_on(cast, published):
    meeting = Meeting.objects.filter(host=cast.workplace).first()
    for person in (cast.other_leader, cast.trio, cast.chair, cast.administrator):
        with pytest.raises(RotationError, match="host workplace's leader"):
            services.meeting_cancellation_request(meeting=meeting, actor=person, reason="Vi har travlt")
    request = services.meeting_cancellation_request(meeting=meeting, actor=cast.leader, reason="Vandskade i salen")
    assert request.status == CancellationRequest.Status.OPEN
    with pytest.raises(RotationError, match="already has your request"):
        services.meeting_cancellation_request(meeting=meeting, actor=cast.leader, reason="Igen")


def test_replanning_one_date_gives_it_to_the_next_in_line_and_keeps_the_rest(cast, published):
    meeting = Meeting.objects.filter(host=cast.workplace).order_by("starts_at").first()
    services.meeting_cancellation_request(meeting=meeting, actor=cast.leader, reason="Vandskade i salen")
    before = {m.pk: m.host_id for m in Meeting.objects.exclude(pk=meeting.pk)}
    replanned = services.meeting_replan(meeting=meeting, actor=cast.administrator)
    assert replanned.host_id not in (None, cast.workplace.pk)
    assert replanned.sequence == 1
    assert {m.pk: m.host_id for m in Meeting.objects.exclude(pk=meeting.pk)} == before
    assert Hosting.objects.get(meeting=replanned).workplace_id == replanned.host_id
    assert not MeetingInvitation.objects.filter(meeting=replanned, workplace=replanned.host).exists()
    assert CancellationRequest.objects.get(meeting=meeting).status == CancellationRequest.Status.REPLANNED


def test_minutes_are_written_after_the_meeting_by_the_chair_or_secretariat(cast, published, monkeypatch):
    meeting = Meeting.objects.order_by("starts_at").first()
    with pytest.raises(RotationError, match="after the meeting"):
        services.meeting_minutes_record(meeting=meeting, actor=cast.chair, minutes="Godt møde")
    later = meeting.ends_at + dt.timedelta(hours=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with pytest.raises(RotationError, match="chair writes"):
        services.meeting_minutes_record(meeting=meeting, actor=cast.member, minutes="Godt møde")
    with pytest.raises(RotationError, match="confirmed as held"):  # over is not held: someone must say so
        services.meeting_minutes_record(meeting=meeting, actor=cast.chair, minutes="Godt møde")
    services.meeting_outcome_record(meeting=meeting, actor=cast.chair, outcome="held", now=later)
    assert (
        services.meeting_minutes_record(meeting=meeting, actor=cast.chair, minutes="Godt møde").minutes == "Godt møde"
    )


# --- Reminders and the autumn draft -------------------------------------------------------------------------------


def test_reminders_go_out_28_and_7_days_before_and_never_twice(cast, published):
    meeting = Meeting.objects.order_by("starts_at").first()
    at_28 = meeting.starts_at - dt.timedelta(days=28, minutes=-1)
    assert services.meeting_reminders_send(now=at_28) == 1
    assert services.meeting_reminders_send(now=at_28 + dt.timedelta(hours=1)) == 0
    at_7 = meeting.starts_at - dt.timedelta(days=7, minutes=-1)
    assert services.meeting_reminders_send(now=at_7) == 1
    assert services.meeting_reminders_send(now=at_7 + dt.timedelta(days=1)) == 0
    assert sorted(MeetingReminder.objects.filter(meeting=meeting).values_list("days_before", flat=True)) == [7, 28]


def test_a_meeting_found_late_gets_only_the_nearest_reminder(cast, published):
    meeting = Meeting.objects.order_by("starts_at").first()
    assert services.meeting_reminders_send(now=meeting.starts_at - dt.timedelta(days=3)) == 1
    assert OutboxMessage.objects.filter(handler__endswith="meeting_reminder_send").get().kwargs["days_before"] == 7
    assert services.meeting_reminders_send(now=meeting.starts_at - dt.timedelta(days=2)) == 0


def test_the_autumn_draft_is_made_once_from_the_configured_day(cast, rotation, settings):
    settings.DIALOG_ROTATION_DRAFT_DAY = "10-01"
    year = rotation.year - 1
    assert services.rotation_autumn_drafts(today=dt.date(year, 9, 30)) == []
    made = services.rotation_autumn_drafts(today=dt.date(year, 10, 1))
    assert {p.committee for p in made} == {cast.committee, cast.other_committee} - {
        c for c in (cast.other_committee,) if not c.workplaces.exists()
    }
    assert services.rotation_autumn_drafts(today=dt.date(year, 10, 2)) == []
    assert OutboxMessage.objects.filter(handler__endswith="drafts_ready_send").count() == 1


def test_a_planning_run_records_its_result(cast, rotation):
    run = PlanningRun.objects.create(committee=cast.committee, year=rotation.year, requested_by=cast.administrator)
    services.planning_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == PlanningRun.Status.DONE and run.plan is not None and run.percent == 100
    services.rotation_plan_publish(plan=run.plan, actor=cast.administrator)
    again = PlanningRun.objects.create(committee=cast.committee, year=rotation.year, requested_by=cast.administrator)
    services.planning_run_execute(run_id=again.pk)
    again.refresh_from_db()
    assert again.status == PlanningRun.Status.FAILED and "published" in again.error


# --- The codex gate ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["signed", "unsigned", "in_grace", "after_grace"])
def test_writing_the_hosts_presentation_is_behind_the_codex_gate(cast, rotation, state):
    from meetings.models import Meeting
    from tests.codex.conftest import gate_open, gate_state

    plan = services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)
    services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    meeting = Meeting.objects.filter(host=cast.workplace).first()
    gate_state(cast.administrator, [cast.leader], state)
    try:
        services.meeting_presentation_update(meeting=meeting, actor=cast.leader, presentation="Vi viser køkkenet.")
    except services.RotationError as error:
        assert not gate_open(state) and "codex" in str(error)
    else:
        assert gate_open(state)
    meeting.refresh_from_db()
    assert meeting.presentation == ("Vi viser køkkenet." if gate_open(state) else "")
    # Asking to hand the meeting on is stepping back: never blocked.
    services.meeting_cancellation_request(meeting=meeting, actor=cast.leader, reason="Vi har vandskade.")
