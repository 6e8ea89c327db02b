"""The rotation's beat jobs (``CELERY_BEAT_SCHEDULE``); each calls one service.

Each also answers to the name it had in ``meetings/tasks.py``, for schedules and messages that still carry it;
``core/migrations/0003`` renames the stored schedules. Planning runs are no task of their own any more: they go
through the outbox (``services.planning_run_start``); the old task's name still runs one that was in the broker.
"""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def send_meeting_reminders() -> int:
    return services.meeting_reminders_send()


@shared_task(acks_late=True)
def remind_meeting_outcomes() -> int:
    """Hourly: remind those who must say what happened at a meeting that is over and unconfirmed."""
    return services.meeting_outcome_reminders_send()


@shared_task(acks_late=True)
def draft_next_year_rotation() -> int:
    return len(services.rotation_autumn_drafts())


@shared_task(acks_late=True)
def publish_monthly_ledger() -> str:
    """On the 1st: the equal-access ledger of the month that just ended, on the public pages (once a month)."""
    return services.ledger_snapshot_take().month.isoformat()


# --- The names these tasks had before (meetings/tasks.py) ---------------------------------------------------------


@shared_task(acks_late=True, name="meetings.tasks.send_meeting_reminders")
def send_meeting_reminders_old_name() -> int:
    return services.meeting_reminders_send()


@shared_task(acks_late=True, name="meetings.tasks.draft_next_year_rotation")
def draft_next_year_rotation_old_name() -> int:
    return len(services.rotation_autumn_drafts())


@shared_task(acks_late=True, name="meetings.tasks.plan_rotation_year")
def plan_rotation_year_old_name(run_id: int) -> None:
    services.planning_run_execute(run_id=run_id)
