"""The visits' beat job (``CELERY_BEAT_SCHEDULE``). Notices about visits are no task: the outbox calls
``notifications.visit_mail_send`` after commit.

Each old task name of ``meetings/tasks.py`` still answers, for schedules and messages that carry it;
``core/migrations/0003`` renames the stored schedules.
"""

from celery import shared_task

from .notifications import visit_mail_send
from .services import visits_hold_past, waitlist_holds_lapse


@shared_task(acks_late=True)
def hold_past_visits() -> int:
    """Hourly: visits whose time has passed are marked as held."""
    return visits_hold_past()


@shared_task(acks_late=True)
def lapse_waitlist_holds() -> int:
    """Every ten minutes: times held for the waiting list whose hold is up go to the next in line."""
    return waitlist_holds_lapse()


# --- The names these tasks had before (meetings/tasks.py) ---------------------------------------------------------


@shared_task(acks_late=True, name="meetings.tasks.hold_past_visits")
def hold_past_visits_old_name() -> int:
    return visits_hold_past()


@shared_task(acks_late=True, name="meetings.tasks.send_visit_mail")
def send_visit_mail_old_name(visit_id: int, kind: str, actor_id: int | None = None, **queued) -> int:
    return visit_mail_send(visit_id=visit_id, kind=kind, actor_id=actor_id, **queued)
