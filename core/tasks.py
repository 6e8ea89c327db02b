"""Celery tasks of the foundation: the outbox's own delivery and flush, and the nightly chain check.

Work after a commit is queued with ``core.outbox.outbox_enqueue`` naming a plain function, never as a task of its
own; the only tasks are these and the beat jobs of the apps (``<app>/tasks.py``).

Each task also answers to the name it had before it moved here (``meetings.tasks.<name>``): beat schedules stored
by django-celery-beat and messages already in the broker carry it. The data migration ``core/0003`` renames the
stored schedules; the aliases stay for the messages in flight.
"""

from celery import shared_task
from django.conf import settings

from .audit import chains_verify_and_alert
from .outbox import outbox_deliver, outbox_flush


@shared_task(bind=True, acks_late=True)
def deliver_outbox_message(self, message_id: int) -> bool:
    """Deliver one outbox message. A failure is retried after DIALOG_OUTBOX_RETRY_SECONDS, doubling each time (at
    most an hour), until the outbox gives the message up after DIALOG_OUTBOX_MAX_ATTEMPTS failed attempts (counted
    in its row, whoever handed it over) and stops raising; Celery's own count stops at the same number."""
    return _deliver(self, message_id)


def _deliver(task, message_id: int) -> bool:
    try:
        return outbox_deliver(message_id=message_id)
    except Exception as error:
        attempts = settings.DIALOG_OUTBOX_MAX_ATTEMPTS
        countdown = min(settings.DIALOG_OUTBOX_RETRY_SECONDS * 2**task.request.retries, 3600)
        raise task.retry(exc=error, countdown=countdown, max_retries=attempts) from error


@shared_task(acks_late=True)
def flush_outbox() -> int:
    return outbox_flush()


@shared_task(acks_late=True)
def verify_chains() -> int:
    """Nightly: run every registered check (the audit log, the signature log, the agreements' texts); tell the
    administrators when any is broken."""
    return chains_verify_and_alert()


# --- The names these tasks had before they moved (meetings/tasks.py) ----------------------------------------------


@shared_task(bind=True, acks_late=True, name="meetings.tasks.deliver_outbox_message")
def deliver_outbox_message_old_name(self, message_id: int) -> bool:
    return _deliver(self, message_id)


@shared_task(acks_late=True, name="meetings.tasks.flush_outbox")
def flush_outbox_old_name() -> int:
    return outbox_flush()


@shared_task(acks_late=True, name="meetings.tasks.verify_chains")
def verify_chains_old_name() -> int:
    return chains_verify_and_alert()
