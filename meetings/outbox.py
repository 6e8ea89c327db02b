"""The notice outbox: how every service asks for work after its change commits.

Call :func:`outbox_enqueue` inside the service's transaction::

    outbox_enqueue("meetings.visits.notifications.visit_mail_send", visit_id=visit.pk, kind="booked")

The row is written in the same transaction as the change, so a notice is never lost and never sent for a change
that rolled back. After commit the message is handed to Celery (``meetings.tasks.deliver_outbox_message``); if the
broker is unreachable the change still succeeds and the beat job ``outbox-flush`` (or ``manage.py outbox_flush``)
hands it over once the broker is back. Delivery locks the row and marks it delivered in one transaction, so a
message handed over twice (a retry, a redelivered task) runs once. The handler is a plain function taking keyword
arguments of JSON values; it should load what it needs by id.
"""

from __future__ import annotations

import datetime as dt
import logging
from importlib import import_module

from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage

log = logging.getLogger(__name__)

# A message handed to the broker but not delivered after this long is handed over again.
REDISPATCH_AFTER = dt.timedelta(minutes=10)


def outbox_enqueue(handler: str, **kwargs) -> OutboxMessage:
    """Save a message for ``handler(**kwargs)`` in the current transaction; hand it to Celery after commit."""
    _resolve(handler)  # fail now, inside the caller's transaction, on a typo
    message = OutboxMessage.objects.create(handler=handler, kwargs=kwargs)
    transaction.on_commit(lambda: outbox_dispatch(message.pk), robust=True)
    return message


def outbox_dispatch(message_id: int) -> bool:
    """Hand one message to the broker. Returns False (and keeps the message) when the broker is unreachable."""
    from .tasks import deliver_outbox_message

    try:
        deliver_outbox_message.apply_async((message_id,), retry=False)
    except Exception as error:  # the broker is down: the beat job hands the message over later
        log.warning("Outbox message %s waits for the broker: %s", message_id, error)
        OutboxMessage.objects.filter(pk=message_id).update(last_error=str(error)[:1000])
        return False
    OutboxMessage.objects.filter(pk=message_id, dispatched_at__isnull=True).update(dispatched_at=timezone.now())
    return True


def outbox_deliver(*, message_id: int) -> bool:
    """Run one message's handler, once. Returns True when this call ran it."""
    failure = None
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.delivered_at is not None:
            return False
        message.attempts += 1
        try:
            with transaction.atomic():  # the handler's own writes roll back alone when it fails
                _resolve(message.handler)(**message.kwargs)
        except Exception as error:
            failure = error
            message.last_error = f"{type(error).__name__}: {error}"[:1000]
        else:
            message.delivered_at = timezone.now()
            message.last_error = ""
        message.save(update_fields=["attempts", "delivered_at", "last_error"])
    if failure is not None:
        raise failure  # Celery retries with back-off; the next flush would hand it over again too
    return True


def outbox_flush(*, now: dt.datetime | None = None, limit: int = 1000) -> int:
    """Hand over every message that waits: never handed over, or handed over long ago and still not delivered."""
    now = now or timezone.now()
    waiting = OutboxMessage.objects.pending().filter(
        dispatched_at__isnull=True
    ) | OutboxMessage.objects.pending().filter(dispatched_at__lt=now - REDISPATCH_AFTER)
    handed = 0
    for message_id in waiting.order_by("pk").values_list("pk", flat=True)[:limit]:
        if not outbox_dispatch(message_id):
            break  # the broker is still down; try again at the next flush
        handed += 1
    return handed


def _resolve(handler: str):
    module_name, _dot, name = handler.rpartition(".")
    return getattr(import_module(module_name), name)
