"""The notice outbox: how every service asks for work after its change commits.

Call :func:`outbox_enqueue` inside the service's transaction::

    outbox_enqueue("meetings.visits.notifications.visit_mail_send", visit_id=visit.pk, kind="booked")

The row is written in the same transaction as the change, so a notice is never lost and never sent for a change
that rolled back. After commit the message is handed to Celery (``meetings.tasks.deliver_outbox_message``); if the
broker is unreachable the change still succeeds and the beat job ``outbox-flush`` (or ``manage.py outbox_flush``)
hands it over once the broker is back. Delivery locks the row and marks it delivered in one transaction, so a
message handed over twice (a retry, a redelivered task) runs once. The handler is a plain function taking keyword
arguments of JSON values; it should load what it needs by id.

A message whose handler keeps failing is given up after ``DIALOG_OUTBOX_MAX_ATTEMPTS`` attempts: it keeps its last
error, is no longer handed over, is audited, and the administrators are told once by e-mail; they see it in the
list of messages that could not be sent (``outbox_views``) and can send it again (:func:`outbox_retry`).
"""

from __future__ import annotations

import datetime as dt
import logging
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import OutboxMessage

log = logging.getLogger(__name__)

# A message handed to the broker but not delivered after this long is handed over again.
REDISPATCH_AFTER = dt.timedelta(minutes=10)
# Tells the administrators that a message was given up (see dead_letter_notice_send below).
DEAD_LETTER_NOTICE = "meetings.outbox.dead_letter_notice_send"


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
    """Run one message's handler, once. Returns True when this call delivered it.

    A failure is re-raised so Celery retries with back-off, until the message has failed
    ``DIALOG_OUTBOX_MAX_ATTEMPTS`` times: then it is set aside (``dead_at``), no longer handed over by itself, and
    the administrators are told once; they can try it again from the list of undelivered messages."""
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
            message.last_error = f"{type(error).__name__}: {error}"[:1000]
            if message.attempts >= settings.DIALOG_OUTBOX_MAX_ATTEMPTS:
                _give_up(message)
        else:
            message.delivered_at = timezone.now()
            message.last_error = ""
        message.save(update_fields=["attempts", "delivered_at", "last_error", "dead_at"])
    if failure is not None and message.dead_at is None:
        raise failure  # Celery retries with back-off; the next flush would hand it over again too
    return failure is None


def _give_up(message: OutboxMessage) -> None:
    from .audit import audit_record

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
    from .audit import audit_record
    from .errors import MeetingsError

    if not getattr(actor, "is_administrator", False):
        raise MeetingsError(_("Only administrators can send a message again."))
    with transaction.atomic():
        locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if locked.delivered_at is not None:
            raise MeetingsError(_("The message has already been delivered."))
        if locked.dead_at is None:
            raise MeetingsError(_("The message is still being tried; it has not been given up."))
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

# What each handler sends, for the administrators' list; an unknown handler is shown by its dotted name.
HANDLER_LABELS = {
    "meetings.tasks.send_invitation": gettext_lazy("Invitation to the portal"),
    "meetings.tasks.send_visit_mail": gettext_lazy("Notice about a visit"),
    "meetings.visits.notifications.visit_mail_send": gettext_lazy("Notice about a visit"),
    "meetings.rotation.notifications.plan_published_send": gettext_lazy("Notice that a meeting plan is published"),
    "meetings.rotation.notifications.meeting_changed_send": gettext_lazy("Notice that a committee meeting changed"),
    "meetings.rotation.notifications.cancellation_requested_send": gettext_lazy(
        "Notice that a host has withdrawn from a meeting"
    ),
    "meetings.rotation.notifications.meeting_reminder_send": gettext_lazy("Reminder of a committee meeting"),
    "meetings.rotation.notifications.drafts_ready_send": gettext_lazy("Notice that next year's draft plans are ready"),
    "codex.tasks.send_sign_requests": gettext_lazy("Requests to sign the codex of trust"),
    "codex.tasks.send_sign_mail": gettext_lazy("Request to sign the codex of trust"),
    "agreements.notifications.agreement_notice_send": gettext_lazy("Notice about a development agreement"),
    DEAD_LETTER_NOTICE: gettext_lazy("Notice to the administrators about an undelivered message"),
}
# The arguments that name what a message concerns: a person (shown by name), or a record (shown with a link).
PERSON_ARGUMENTS = ("user_id", "person_id")
RECORD_ARGUMENTS = {
    "visit_id": (gettext_lazy("Visit no. %(id)s"), "meetings:visit-detail"),
    "meeting_id": (gettext_lazy("Committee meeting no. %(id)s"), "meetings:meeting-detail"),
    "agreement_id": (gettext_lazy("Development agreement no. %(id)s"), "agreements:agreement-detail"),
    "plan_id": (gettext_lazy("Meeting plan no. %(id)s"), None),
    "request_id": (gettext_lazy("Withdrawal as host no. %(id)s"), None),
    "version_id": (gettext_lazy("Codex version no. %(id)s"), None),
    "message_id": (gettext_lazy("Message no. %(id)s"), None),
}


def handler_label(handler: str) -> str:
    return str(HANDLER_LABELS.get(handler, handler))


def message_concerns(messages: list[OutboxMessage]) -> dict[int, list[tuple[str, str]]]:
    """What each message concerns, as (text, link or "") pairs, by message id. One query for all the people."""
    from .models import User

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
            elif name in RECORD_ARGUMENTS and isinstance(value, int):
                label, url_name = RECORD_ARGUMENTS[name]
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
    from dialog_portal.mail import send_templated_mail

    from .models import User

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
        "meetings/email/outbox_dead",
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
    module_name, _dot, name = handler.rpartition(".")
    return getattr(import_module(module_name), name)
