"""The visits' beat job (``CELERY_BEAT_SCHEDULE``). Notices about visits are no task: the outbox calls
``notifications.visit_mail_send`` after commit.

Each old task name of ``meetings/tasks.py`` still answers, for schedules and messages that carry it;
``core/migrations/0003`` renames the stored schedules.
"""

from celery import shared_task

from .notifications import visit_mail_send
from .services import visit_outcome_reminders_send, waitlist_holds_lapse


@shared_task(acks_late=True)
def remind_visit_outcomes() -> int:
    """Hourly: remind those who must say what happened at a visit that is over and unconfirmed (once, then once
    more after ``DIALOG_OUTCOME_REMINDER_DAYS``). Nothing is marked held automatically."""
    return visit_outcome_reminders_send()


@shared_task(acks_late=True)
def hold_past_visits() -> int:
    """The name of the job that marked every past visit held; schedules and messages that still carry it only
    remind now (``remind_visit_outcomes``)."""
    return visit_outcome_reminders_send()


@shared_task(acks_late=True)
def lapse_waitlist_holds() -> int:
    """Every ten minutes: times held for the waiting list whose hold is up go to the next in line."""
    return waitlist_holds_lapse()


# --- The names these tasks had before (meetings/tasks.py) ---------------------------------------------------------


@shared_task(acks_late=True, name="meetings.tasks.hold_past_visits")
def hold_past_visits_old_name() -> int:
    return visit_outcome_reminders_send()


@shared_task(acks_late=True, name="meetings.tasks.send_visit_mail")
def send_visit_mail_old_name(visit_id: int, kind: str, actor_id: int | None = None, **queued) -> int:
    return visit_mail_send(visit_id=visit_id, kind=kind, actor_id=actor_id, **queued)
