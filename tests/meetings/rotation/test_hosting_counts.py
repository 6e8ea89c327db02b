"""Hosting counts only what happened: a meeting that did not take place, was cancelled late or was cancelled (by any
path) no longer counts as its host's hosting, so the host is first in line again; the row stays as the trace, the
audit log says so, and the review page explains it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from meetings.models import Hosting, Meeting, MeetingDate, RotationPlan, User
from meetings.rotation import services
from meetings.rotation.selectors import ledger

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(cast, rotation):
    return last_years_hostings(cast, rotation)


def last_years_hostings(cast, rotation) -> Meeting:
    """Every workplace under the committee hosted once last year: the others long ago (imported), the cast's own a
    few days ago at a published meeting, so as long as that hosting counts, the cast's workplace waits longest of
    none and is last in line. Next year has one date."""
    for n, workplace in enumerate(rotation.workplaces[1:]):
        Hosting.objects.create(
            committee=cast.committee, workplace=workplace, date=dt.date(rotation.year - 2, 1 + n, 5), source="import"
        )
    start = timezone.now() - dt.timedelta(days=3)
    plan = RotationPlan.objects.create(
        committee=cast.committee, year=start.year, status=RotationPlan.Status.PUBLISHED, created_by=cast.administrator
    )
    meeting = Meeting.objects.create(
        committee=cast.committee,
        plan=plan,
        host=cast.workplace,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        address="Solsikkevej 1",
    )
    Hosting.objects.create(
        committee=cast.committee, workplace=cast.workplace, date=meeting.local_date, meeting=meeting, source="portal"
    )
    MeetingDate.objects.create(committee=cast.committee, date=dt.date(rotation.year, 3, 10), start=dt.time(16))
    return meeting


def _reads(person, language: str) -> None:
    person = User.objects.get(pk=person.pk)
    person.language = language
    person.save()


def _next_host(cast, rotation):
    plan = services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)
    return plan, plan.meetings.get().host


@pytest.mark.parametrize("outcome", ["no_show", "cancelled_late"])
def test_a_meeting_that_did_not_happen_no_longer_counts_and_its_host_is_first_in_line(cast, rotation, history, outcome):
    _plan, host = _next_host(cast, rotation)
    assert host != cast.workplace  # counted: it hosted most recently
    services.meeting_outcome_record(meeting=history, actor=cast.chair, outcome=outcome)
    plan, host = _next_host(cast, rotation)
    assert host == cast.workplace
    why = plan.meetings.get().why
    assert why.startswith("Never hosted before")
    assert "Its hosting on " in why and "does not count, because that meeting did not take place." in why
    # The trace: the row stays, the meeting keeps its host, the audit entry says the hosting no longer counts.
    hosting = Hosting.objects.get(meeting=history)
    assert hosting.workplace == cast.workplace
    assert not Hosting.objects.counted().filter(pk=hosting.pk).exists()
    entry = AuditEntry.objects.filter(action="meeting.outcome").latest("pk")
    assert (entry.data["hosting"], entry.data["hosting_counts"]) == (hosting.pk, False)


def test_a_held_meeting_and_one_not_yet_confirmed_both_count(cast, rotation, history):
    _plan, host = _next_host(cast, rotation)
    assert host != cast.workplace  # over but unconfirmed: it may yet be confirmed, so it counts meanwhile
    services.meeting_outcome_record(meeting=history, actor=cast.leader, outcome="held")
    _plan, host = _next_host(cast, rotation)
    assert host != cast.workplace
    assert AuditEntry.objects.filter(action="meeting.outcome").latest("pk").data["hosting_counts"] is True


@pytest.mark.parametrize(
    "change",
    [
        lambda m: Meeting.objects.filter(pk=m.pk).update(outcome=Meeting.Outcome.NO_SHOW),
        lambda m: Meeting.objects.filter(pk=m.pk).update(status=Meeting.Status.CANCELLED),
        lambda m: setattr(m, "status", Meeting.Status.CANCELLED) or m.save(),
    ],
    ids=["bulk-update-outcome", "bulk-update-cancelled", "model-save-cancelled"],
)
def test_any_other_path_that_cancels_the_meeting_frees_the_turn_too(cast, rotation, history, change):
    change(history)
    _plan, host = _next_host(cast, rotation)
    assert host == cast.workplace
    assert Hosting.objects.filter(meeting=history).exists()


def test_a_replan_that_finds_no_new_host_leaves_no_hosting_that_counts(cast, rotation):
    for workplace in rotation.workplaces[1:]:
        workplace.is_active = False
        workplace.save()
    MeetingDate.objects.create(committee=cast.committee, date=dt.date(rotation.year, 3, 10), start=dt.time(16))
    plan = services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)
    [meeting] = services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    services.meeting_cancellation_request(meeting=meeting, actor=cast.leader, reason="Vandskade")
    cancelled = services.meeting_replan(meeting=meeting, actor=cast.administrator)
    assert cancelled.status == Meeting.Status.CANCELLED
    assert not Hosting.objects.counted().filter(committee=cast.committee).exists()
    entry = AuditEntry.objects.filter(action="meeting.replanned").latest("pk")
    assert (entry.data["from_host"], entry.data["to_host"]) == (cast.workplace.pk, None)


def test_imported_history_always_counts(cast, rotation, history):
    imported = Hosting.objects.filter(source="import")
    assert set(Hosting.objects.counted().filter(source="import")) == set(imported)
    assert not Hosting.objects.not_counted().filter(source="import").exists()


def test_the_review_page_says_which_hostings_do_not_count_and_why(cast, rotation, history, client_for):
    plan, _host = _next_host(cast, rotation)
    url = reverse("meetings:rotation-year", args=[cast.committee.slug, plan.year])
    client = client_for(cast.administrator)
    assert 'data-testid="hostings-not-counted"' not in client.get(url).content.decode()
    services.meeting_outcome_record(meeting=history, actor=cast.chair, outcome="no_show")
    page = client.get(url).content.decode()  # the kept fragments are replaced at once
    assert 'data-testid="hostings-not-counted"' in page
    assert "Børnehuset Solsikken</strong>: Mødet den " in page
    assert "blev ikke gennemført, så det tæller ikke som værtskab: Arbejdspladsen beholder sin plads i køen." in page
    _reads(cast.administrator, "en")
    page = client.get(url).content.decode()
    assert "did not take place, so it does not count as a hosting: the workplace keeps its place" in page


def test_the_ledger_counts_the_meeting_that_did_not_happen_apart(cast, rotation, history):
    services.meeting_outcome_record(meeting=history, actor=cast.chair, outcome="no_show")
    row = next(r for r in ledger(cast.committee).rows if r.workplace.pk == cast.workplace.pk)
    assert row.hosted_12 == 0 and row.not_held_12 == 1
