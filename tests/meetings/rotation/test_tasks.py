"""The rotation's Celery tasks on a real worker (Redis in CI, the filesystem broker locally)."""

import datetime as dt
import time

import pytest

from core.models import OutboxMessage
from meetings.models import MeetingReminder, PlanningRun, RotationPlan
from meetings.rotation import services
from meetings.rotation.tasks import send_meeting_reminders

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_the_worker_plans_the_year_through_the_outbox_and_records_progress_and_result(real_worker, cast, rotation):
    run = services.planning_run_start(committee=cast.committee, year=rotation.year, actor=cast.administrator)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not PlanningRun.objects.get(pk=run.pk).finished:
        time.sleep(0.2)
    run.refresh_from_db()
    assert OutboxMessage.objects.get(handler__endswith="planning_run_execute").delivered_at is not None
    assert run.status == PlanningRun.Status.DONE and run.percent == 100
    assert run.plan.status == RotationPlan.Status.DRAFT and run.plan.meetings.count() == 12


def test_the_worker_sends_the_days_reminders_once(real_worker, cast, rotation):
    plan = services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)
    meetings = services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    first = min(meetings, key=lambda m: m.starts_at)
    # Move the first meeting to 6 days from now, as if the year had come round.
    from django.utils import timezone

    start = timezone.now() + dt.timedelta(days=6)
    first.starts_at, first.ends_at = start, start + dt.timedelta(hours=2)
    first.save(update_fields=["starts_at", "ends_at"])
    assert send_meeting_reminders.delay().get(timeout=60) == 1
    assert send_meeting_reminders.delay().get(timeout=60) == 0
    assert set(MeetingReminder.objects.values_list("days_before", flat=True)) == {7, 28}
    assert OutboxMessage.objects.filter(handler__endswith="meeting_reminder_send").count() == 1


def test_the_worker_publishes_last_months_ledger_once(real_worker, cast, rotation):
    from django.utils import timezone

    from meetings.models import LedgerSnapshot
    from meetings.rotation.tasks import publish_monthly_ledger

    first_of_this_month = timezone.localdate().replace(day=1)
    last_month = (first_of_this_month - dt.timedelta(days=1)).replace(day=1)
    assert publish_monthly_ledger.delay().get(timeout=60) == last_month.isoformat()
    assert publish_monthly_ledger.delay().get(timeout=60) == last_month.isoformat()
    snapshot = LedgerSnapshot.objects.get()
    assert snapshot.month == last_month
    assert {r["workplace_slug"] for r in snapshot.rows} >= {w.slug for w in rotation.workplaces}
