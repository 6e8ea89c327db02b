"""The notice outbox (nothing lost, nothing twice) and the hash-chained audit log (edits show)."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from core import outbox
from core.audit import audit_record, audit_verify
from core.models import AuditEntry, OutboxMessage

pytestmark = pytest.mark.django_db

CALLS: list[dict] = []


def record_call(**kwargs):
    """A handler for the tests: remembers its arguments and sends one e-mail."""
    CALLS.append(kwargs)
    mail.send_mail("Besked", "Tekst", None, [kwargs.get("to", "someone@dalby.example")])


def failing_handler(**kwargs):
    raise RuntimeError("SMTP refused")


HANDLER = f"{__name__}.record_call"


@pytest.fixture(autouse=True)
def _reset_calls():
    CALLS.clear()


def test_enqueued_message_is_delivered_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.outbox_enqueue(HANDLER, to="leder@dalby.example")
    message.refresh_from_db()
    assert message.delivered_at is not None
    assert message.attempts == 1
    assert CALLS == [{"to": "leder@dalby.example"}]
    assert [m.to for m in mail.outbox] == [["leder@dalby.example"]]


def test_rolled_back_change_leaves_no_message():
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.outbox_enqueue(HANDLER, to="x@dalby.example")
        raise RuntimeError("the change failed")
    assert OutboxMessage.objects.count() == 0
    assert CALLS == []


def test_unknown_handler_is_refused_inside_the_transaction():
    with pytest.raises((ImportError, AttributeError)):
        outbox.outbox_enqueue("core.outbox.no_such_function")


def test_a_message_delivered_twice_runs_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.outbox_enqueue(HANDLER, to="a@dalby.example")
    assert outbox.outbox_deliver(message_id=message.pk) is False
    assert len(CALLS) == 1
    assert len(mail.outbox) == 1


def test_broker_down_keeps_the_message_for_the_flush(monkeypatch, django_capture_on_commit_callbacks):
    from core import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.deliver_outbox_message, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.outbox_enqueue(HANDLER, to="b@dalby.example")
    message.refresh_from_db()
    assert message.delivered_at is None and message.dispatched_at is None
    assert "Connection refused" in message.last_error
    assert outbox.outbox_flush() == 0  # still down: nothing handed over, nothing lost

    monkeypatch.undo()
    assert outbox.outbox_flush() == 1
    message.refresh_from_db()
    assert message.delivered_at is not None
    assert len(CALLS) == 1
    assert outbox.outbox_flush() == 0


def test_failing_handler_keeps_the_message_with_its_error(django_capture_on_commit_callbacks):
    message = OutboxMessage.objects.create(handler=f"{__name__}.failing_handler", kwargs={})
    with pytest.raises(RuntimeError):
        outbox.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.delivered_at is None
    assert message.attempts == 1
    assert "SMTP refused" in message.last_error


def test_flush_hands_over_again_a_message_stuck_at_the_worker():
    message = OutboxMessage.objects.create(
        handler=HANDLER, kwargs={}, dispatched_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert outbox.outbox_flush() == 1
    message.refresh_from_db()
    assert message.delivered_at is not None


def test_audit_entries_chain_and_verify(cast):
    before = AuditEntry.objects.count()  # the cast's roles were recorded as permission changes
    first = audit_record(actor=cast.administrator, action="committee.updated", obj=cast.committee, data={"a": 1})
    second = audit_record(actor=None, action="system.tick", object_type="system", object_id="beat")
    assert (first.seq, second.seq) == (before + 1, before + 2)
    assert second.previous_hash == first.entry_hash
    assert first.at.tzinfo is not None and first.at.utcoffset() == dt.timedelta(0)
    assert audit_verify() == []


def test_editing_an_audit_row_directly_breaks_the_chain(cast):
    audit_record(actor=cast.chair, action="visit.booked", obj=cast.workplace, data={"slot": 1})
    audit_record(actor=cast.chair, action="visit.cancelled", obj=cast.workplace, data={"slot": 1})
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEntry._meta.db_table} SET action = %s WHERE seq = 1",  # noqa: S608
            ["visit.confirmed"],
        )
    assert [(b.seq, b.reason) for b in audit_verify()] == [(1, "hash")]


def test_deleting_an_audit_row_breaks_the_chain(cast):
    for n in range(3):
        audit_record(actor=cast.chair, action="visit.booked", obj=cast.workplace, data={"n": n})
    AuditEntry.objects.filter(seq=2).delete()
    reasons = {b.reason for b in audit_verify()}
    assert {"gap", "link"} <= reasons


def test_deleting_the_newest_audit_row_is_noticed(cast):
    audit_record(actor=cast.chair, action="a", obj=cast.workplace)
    newest = audit_record(actor=cast.chair, action="b", obj=cast.workplace)
    AuditEntry.objects.filter(seq=newest.seq).delete()
    assert [b.reason for b in audit_verify()] == ["head"]
