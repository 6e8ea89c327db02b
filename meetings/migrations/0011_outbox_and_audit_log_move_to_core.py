"""The outbox and the audit log now belong to ``core`` (see ``core/migrations/0001_initial.py``): state only, the
tables and their rows stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("meetings", "0010_audit_log_indexes"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="AuditChainHead"),
                migrations.DeleteModel(name="AuditEntry"),
                migrations.DeleteModel(name="OutboxMessage"),
            ],
        ),
    ]
