"""The notice outbox: the one way every service asks for work after its change commits.

Call :func:`outbox_enqueue` inside the service's transaction, naming a plain function by its dotted path::

    outbox_enqueue("meetings.visits.notifications.visit_mail_send", visit_id=visit.pk, kind="booked")

The row is written in the same transaction as the change, so a notice is never lost and never sent for a change
that rolled back. After commit the message is handed to Celery (``core.tasks.deliver_outbox_message``); if the
broker is unreachable the change still succeeds and the beat job ``outbox-flush`` hands it over once the broker is
back. Delivery locks the row and marks it delivered in one transaction, so a message handed over twice (a retry, a
redelivered task) runs once. The handler is a plain function taking keyword arguments of JSON values; it should
load what it needs by id. A handler that must commit as it goes (a long planning run that shows its progress) is
marked :func:`runs_in_own_transactions` and must then be safe to run twice itself.

A handler that moved keeps working under its old name: :data:`HANDLER_ALIASES` maps the names that queued rows may
still carry to the new ones (``core/migrations/0002`` also rewrites the rows that were waiting when it ran).

A message whose handler keeps failing is given up after ``DIALOG_OUTBOX_MAX_ATTEMPTS`` attempts: it keeps its last
error, is no longer handed over, is audited, and the administrators are told once by e-mail; they see it in the
list of messages that could not be sent (``core/views.py``) and can send it again (:func:`outbox_retry`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .audit import audit_record
from .errors import DomainError
from .mail import send_templated_mail
from .models import OutboxMessage
from .registry import outbox_handler_labels, outbox_record_arguments

log = logging.getLogger(__name__)

# A message handed to the broker but not delivered after this long is handed over again.
REDISPATCH_AFTER = dt.timedelta(minutes=10)
# Tells the administrators that a message was given up (see dead_letter_notice_send below).
DEAD_LETTER_NOTICE = "core.outbox.dead_letter_notice_send"

# Handlers that moved or became plain functions, by the name queued rows may still carry. Delivery resolves the old
# name to the new one; keep an entry as long as a database may hold a row queued before the move.
HANDLER_ALIASES = {
    "meetings.tasks.send_invitation": "meetings.services.invitation_mail_send",
    "meetings.tasks.send_visit_mail": "meetings.visits.notifications.visit_mail_send",
    "meetings.outbox.dead_letter_notice_send": DEAD_LETTER_NOTICE,
    "codex.tasks.send_sign_requests": "codex.notifications.sign_requests_send",
    "codex.tasks.send_sign_mail": "codex.notifications.sign_mail_send",
}

# The task that carries a message to the worker, ``core.tasks.deliver_outbox_message``: set by ``CoreConfig.ready``
# (the task module imports this one, so this one cannot import it).
_delivery_task = None


def delivery_task_set(task) -> None:
    global _delivery_task
    _delivery_task = task


def runs_in_own_transactions(handler: Callable) -> Callable:
    """Mark a handler that commits as it goes (its progress is seen at once). It runs outside the outbox's lock, so
    it must itself be safe to run twice (claim its work with a conditional update)."""
    handler.outbox_own_transactions = True
    return handler


def outbox_enqueue(handler: str, **kwargs) -> OutboxMessage:
    """Save a message for ``handler(**kwargs)`` in the current transaction; hand it to Celery after commit."""
    _resolve(handler)  # fail now, inside the caller's transaction, on a typo
    message = OutboxMessage.objects.create(handler=handler, kwargs=kwargs)
    transaction.on_commit(lambda: outbox_dispatch(message.pk), robust=True)
    return message


def outbox_dispatch(message_id: int) -> bool:
    """Hand one message to the broker. Returns False (and keeps the message) when the broker is unreachable."""
    try:
        _delivery_task.apply_async((message_id,), retry=False)
    except Exception as error:  # the broker is down: the beat job hands the message over later
        log.warning("Outbox message %s waits for the broker: %s", message_id, error)
        OutboxMessage.objects.filter(pk=message_id).update(last_error=str(error)[:1000])
        return False
    OutboxMessage.objects.filter(pk=message_id, dispatched_at__isnull=True).update(dispatched_at=timezone.now())
    return True


def outbox_deliver(*, message_id: int) -> bool:
    """Run one message's handler, once. Returns True when this call delivered it.

    A failure is re-raised so Celery retries with back-off, until the message has failed
    ``DIALOG_OUTBOX_MAX_ATTEMPTS`` times: then it is set aside (``dead_at``), no longer handed over by itself, and
    the administrators are told once; they can try it again from the list of undelivered messages."""
    handler = OutboxMessage.objects.filter(pk=message_id).values_list("handler", flat=True).first()
    if handler is not None and _runs_on_its_own(handler):
        return _deliver_on_its_own(message_id)
    failure = None
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.delivered_at is not None or message.dead_at is not None:
            return False
        message.attempts += 1
        try:
            with transaction.atomic():  # the handler's own writes roll back alone when it fails
                _resolve(message.handler)(**message.kwargs)
        except Exception as error:
            failure = error
            _failed(message, error)
        else:
            message.delivered_at = timezone.now()
            message.last_error = ""
        message.save(update_fields=["attempts", "delivered_at", "last_error", "dead_at"])
    if failure is not None and message.dead_at is None:
        raise failure  # Celery retries with back-off; the next flush would hand it over again too
    return failure is None


def _runs_on_its_own(handler: str) -> bool:
    try:
        return getattr(_resolve(handler), "outbox_own_transactions", False)
    except (ImportError, AttributeError, ValueError):
        return False  # a handler that cannot be found fails (and is counted) on the usual path


def _deliver_on_its_own(message_id: int) -> bool:
    """Deliver a handler marked :func:`runs_in_own_transactions`: count the attempt, run it outside any transaction,
    then mark the message delivered (or failed)."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.delivered_at is not None or message.dead_at is not None:
            return False
        message.attempts += 1
        message.save(update_fields=["attempts"])
    try:
        _resolve(message.handler)(**message.kwargs)
    except Exception as error:
        with transaction.atomic():
            _failed(message, error)
            message.save(update_fields=["last_error", "dead_at"])
        if message.dead_at is None:
            raise
        return False
    OutboxMessage.objects.filter(pk=message_id).update(delivered_at=timezone.now(), last_error="")
    return True


def _failed(message: OutboxMessage, error: Exception) -> None:
    message.last_error = f"{type(error).__name__}: {error}"[:1000]
    if message.attempts >= settings.DIALOG_OUTBOX_MAX_ATTEMPTS:
        _give_up(message)


def _give_up(message: OutboxMessage) -> None:
    message.dead_at = timezone.now()
    log.error(
        "Outbox message %s (%s) given up after %s attempts: %s",
        message.pk,
        message.handler,
        message.attempts,
        message.last_error,
    )
    audit_record(
        actor=None,
        action="outbox.given_up",
        obj=message,
        data={"handler": message.handler, "attempts": message.attempts},
    )
    if message.handler != DEAD_LETTER_NOTICE:  # a notice about a dead notice that dies is only logged
        outbox_enqueue(DEAD_LETTER_NOTICE, message_id=message.pk)


def outbox_retry(*, message: OutboxMessage, actor) -> OutboxMessage:
    """Try a message that was given up again, from its first attempt (after its cause has been fixed)."""
    if not getattr(actor, "is_administrator", False):
        raise DomainError(_("Only administrators can send a message again."))
    with transaction.atomic():
        locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if locked.delivered_at is not None:
            raise DomainError(_("The message has already been delivered."))
        if locked.dead_at is None:
            raise DomainError(_("The message is still being tried; it has not been given up."))
        audit_record(
            actor=actor,
            action="outbox.retried",
            obj=locked,
            data={"handler": locked.handler, "attempts": locked.attempts},
        )
        locked.dead_at, locked.dispatched_at, locked.attempts = None, None, 0
        locked.save(update_fields=["dead_at", "dispatched_at", "attempts"])
        transaction.on_commit(lambda: outbox_dispatch(locked.pk), robust=True)
    return locked


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


# --- Undelivered messages, in words -------------------------------------------------------------------------------

# What each handler sends, for the administrators' list: each app registers its own handlers' labels
# (``core.registry.outbox_handler_labels``); an unknown handler is shown by its dotted name.
outbox_handler_labels.register(
    DEAD_LETTER_NOTICE, gettext_lazy("Notice to the administrators about an undelivered message")
)
# The arguments that name what a message concerns: a person (shown by name), or a record (shown with a link; each
# app registers its records' argument names in ``core.registry.outbox_record_arguments``).
PERSON_ARGUMENTS = ("user_id", "person_id")
outbox_record_arguments.register("message_id", (gettext_lazy("Message no. %(id)s"), None))


def handler_label(handler: str) -> str:
    label = outbox_handler_labels.get(HANDLER_ALIASES.get(handler, handler))
    return str(label) if label is not None else handler


def message_concerns(messages: list[OutboxMessage]) -> dict[int, list[tuple[str, str]]]:
    """What each message concerns, as (text, link or "") pairs, by message id. One query for all the people."""
    User = get_user_model()
    person_ids = {
        m.kwargs.get(name) for m in messages for name in PERSON_ARGUMENTS if isinstance(m.kwargs.get(name), int)
    }
    names = dict(User.objects.filter(pk__in=person_ids).values_list("pk", "full_name")) if person_ids else {}
    out = {}
    for message in messages:
        concerns = []
        for name, value in sorted(message.kwargs.items()):
            if name in PERSON_ARGUMENTS and isinstance(value, int):
                concerns.append((names.get(value) or _("Person no. %(id)s") % {"id": value}, ""))
            elif name in outbox_record_arguments and isinstance(value, int):
                label, url_name = outbox_record_arguments[name]
                concerns.append((str(label) % {"id": value}, _link(url_name, value)))
        out[message.pk] = concerns
    return out


def _link(url_name: str | None, pk: int) -> str:
    if url_name is None:
        return ""
    try:
        return reverse(url_name, args=[pk])
    except NoReverseMatch:
        return ""


def dead_letter_notice_send(*, message_id: int) -> int:
    """Tell every administrator, once, that a message was given up and where to see it and try it again."""
    User = get_user_model()
    message = OutboxMessage.objects.filter(pk=message_id).first()
    if message is None:
        return 0
    recipients = list(
        User.objects.filter(is_active=True, is_staff=True, erased_at__isnull=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return 0
    send_templated_mail(
        "core/email/outbox_dead",
        to=recipients,
        context={
            "message": message,
            "handler": handler_label(message.handler),
            "concerns": message_concerns([message])[message.pk],
            "list_url": settings.PORTAL_BASE_URL + reverse("meetings:outbox-dead-list"),
        },
    )
    return len(recipients)


def _resolve(handler: str):
    module_name, _dot, name = HANDLER_ALIASES.get(handler, handler).rpartition(".")
    return getattr(import_module(module_name), name)
