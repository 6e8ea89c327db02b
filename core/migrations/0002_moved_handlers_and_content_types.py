"""Data that named the outbox's old home: queued messages' handlers and the content types of the moved models.

- A message queued before its handler moved carries the old dotted name. Delivery also resolves old names
  (``core.outbox.HANDLER_ALIASES``), but the rows that wait (queued or given up) are renamed here, so the list of
  undelivered messages and a later retry name the handler as it is now. Delivered rows keep their history.
- The content types of the three models follow them to ``core``, so the permissions granted on them and the admin's
  history stay attached.

The names are written out here, not imported: a migration must keep meaning what it meant when it was written.
"""

from django.db import migrations

HANDLERS = {
    "meetings.tasks.send_invitation": "meetings.services.invitation_mail_send",
    "meetings.tasks.send_visit_mail": "meetings.visits.notifications.visit_mail_send",
    "meetings.outbox.dead_letter_notice_send": "core.outbox.dead_letter_notice_send",
    "codex.tasks.send_sign_requests": "codex.notifications.sign_requests_send",
    "codex.tasks.send_sign_mail": "codex.notifications.sign_mail_send",
}
MODELS = ("outboxmessage", "auditentry", "auditchainhead")


def _rename_handlers(apps, names: dict[str, str]) -> None:
    OutboxMessage = apps.get_model("core", "OutboxMessage")
    for old, new in names.items():
        OutboxMessage.objects.filter(handler=old, delivered_at__isnull=True).update(handler=new)


def _move_content_types(apps, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def forwards(apps, schema_editor):
    _rename_handlers(apps, HANDLERS)
    _move_content_types(apps, "meetings", "core")


def backwards(apps, schema_editor):
    _rename_handlers(apps, {new: old for old, new in HANDLERS.items()})
    _move_content_types(apps, "core", "meetings")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
        ("meetings", "0011_outbox_and_audit_log_move_to_core"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
