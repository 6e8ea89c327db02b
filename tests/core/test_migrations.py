"""The outbox and the audit log moved from ``meetings`` to ``core`` by state-only migrations: a database that stood at
the old head keeps every row, and what named the old places (queued handlers, stored beat schedules, content types)
follows. Runs on SQLite and on PostgreSQL (CI)."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

OLD_HEAD = [("meetings", "0010_audit_log_indexes"), ("django_celery_beat", "0019_alter_periodictasks_options")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _head():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def old_database():
    """The database as it stood before the move; migrated forward to the head again afterwards, whatever happens."""
    apps = _migrate(OLD_HEAD)
    yield apps
    _migrate(_head())


def test_a_database_at_the_old_head_migrates_forward_with_every_row_intact(old_database):
    apps = old_database
    assert not apps.is_installed("core") or "outboxmessage" not in apps.all_models["core"]
    at = dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)
    Outbox = apps.get_model("meetings", "OutboxMessage")
    waiting = Outbox.objects.create(handler="meetings.tasks.send_invitation", kwargs={"user_id": 7})
    delivered = Outbox.objects.create(handler="meetings.tasks.send_visit_mail", kwargs={"visit_id": 3}, delivered_at=at)
    given_up = Outbox.objects.create(handler="codex.tasks.send_sign_mail", kwargs={"person_id": 1}, dead_at=at)
    apps.get_model("meetings", "AuditEntry").objects.create(
        seq=1,
        at=at,
        actor_id=5,
        action="visit.booked",
        object_type="meetings.visit",
        object_id="3",
        data={"slot": 9},
        previous_hash="0" * 64,
        entry_hash="a" * 64,
        key_id="k" * 16,
    )
    apps.get_model("meetings", "AuditChainHead").objects.create(pk=1, seq=1, last_hash="a" * 64)
    # Before the move the content types (and the permissions granted on them) were the meetings app's.
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="core").delete()
    old_type, _created = ContentType.objects.get_or_create(app_label="meetings", model="outboxmessage")
    permission = apps.get_model("auth", "Permission").objects.create(
        content_type=old_type, codename="view_outboxmessage_before", name="Can view (from before)"
    )
    schedule = apps.get_model("django_celery_beat", "IntervalSchedule").objects.create(every=60, period="seconds")
    apps.get_model("django_celery_beat", "PeriodicTask").objects.create(
        name="outbox-flush (kept from before)", task="meetings.tasks.flush_outbox", interval=schedule
    )

    apps = _migrate(_head())

    Outbox = apps.get_model("core", "OutboxMessage")
    assert Outbox._meta.db_table == "meetings_outboxmessage"
    rows = {m.pk: m for m in Outbox.objects.all()}
    assert set(rows) == {waiting.pk, delivered.pk, given_up.pk}
    # Waiting and given-up messages name their handler as it is now; a delivered one keeps its history.
    assert rows[waiting.pk].handler == "meetings.services.invitation_mail_send"
    assert rows[waiting.pk].kwargs == {"user_id": 7}
    assert rows[given_up.pk].handler == "codex.notifications.sign_mail_send"
    assert rows[given_up.pk].dead_at == at
    assert rows[delivered.pk].handler == "meetings.tasks.send_visit_mail"
    entry = apps.get_model("core", "AuditEntry").objects.get()
    assert (entry.seq, entry.actor_id, entry.action, entry.data, entry.entry_hash, entry.key_id) == (
        1,
        5,
        "visit.booked",
        {"slot": 9},
        "a" * 64,
        "k" * 16,
    )
    assert apps.get_model("core", "AuditChainHead").objects.get().last_hash == "a" * 64
    task = apps.get_model("django_celery_beat", "PeriodicTask").objects.get(name="outbox-flush (kept from before)")
    assert task.task == "core.tasks.flush_outbox"
    moved = apps.get_model("auth", "Permission").objects.select_related("content_type").get(pk=permission.pk)
    assert (moved.content_type.app_label, moved.content_type.model) == ("core", "outboxmessage")
