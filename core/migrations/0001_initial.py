"""The outbox and the audit log move from ``meetings`` to ``core`` without touching the database.

The three tables keep their names (``meetings_outboxmessage``, ``meetings_auditentry``, ``meetings_auditchainhead``):
this migration only tells Django's model state that ``core`` owns them now, and ``meetings/0011`` that ``meetings``
no longer does. A database at ``meetings/0010`` migrates forward with every row where it was
(``tests/core/test_migrations.py`` proves it on SQLite and PostgreSQL).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("meetings", "0010_audit_log_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='AuditChainHead',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('seq', models.PositiveBigIntegerField(default=0)),
                        ('last_hash', models.CharField(max_length=64)),
                    ],
                    options={
                        'verbose_name': 'audit chain head',
                        'db_table': 'meetings_auditchainhead',
                    },
                ),
                migrations.CreateModel(
                    name='AuditEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('seq', models.PositiveBigIntegerField(unique=True, verbose_name='sequence number')),
                        ('at', models.DateTimeField(verbose_name='at')),
                        ('actor_id', models.BigIntegerField(blank=True, null=True, verbose_name='actor')),
                        ('action', models.CharField(max_length=100, verbose_name='action')),
                        ('object_type', models.CharField(max_length=100, verbose_name='object type')),
                        ('object_id', models.CharField(max_length=64, verbose_name='object id')),
                        ('data', models.JSONField(blank=True, default=dict, verbose_name='details')),
                        ('previous_hash', models.CharField(max_length=64, verbose_name='previous hash')),
                        ('entry_hash', models.CharField(max_length=64, verbose_name='hash')),
                        ('key_id', models.CharField(max_length=16, verbose_name='key id')),
                    ],
                    options={
                        'verbose_name': 'audit entry',
                        'verbose_name_plural': 'audit log',
                        'db_table': 'meetings_auditentry',
                        'ordering': ['seq'],
                        'indexes': [models.Index(fields=['object_type', 'object_id'], name='audit_object_idx'), models.Index(fields=['actor_id', 'seq'], name='audit_actor_idx'), models.Index(fields=['action', 'seq'], name='audit_action_idx'), models.Index(fields=['at'], name='audit_at_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='OutboxMessage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('handler', models.CharField(max_length=200, verbose_name='handler')),
                        ('kwargs', models.JSONField(blank=True, default=dict, verbose_name='arguments')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('dispatched_at', models.DateTimeField(blank=True, null=True, verbose_name='handed to the worker at')),
                        ('delivered_at', models.DateTimeField(blank=True, null=True, verbose_name='delivered at')),
                        ('attempts', models.PositiveIntegerField(default=0, verbose_name='attempts')),
                        ('last_error', models.TextField(blank=True, verbose_name='last error')),
                        ('dead_at', models.DateTimeField(blank=True, null=True, verbose_name='given up at')),
                    ],
                    options={
                        'verbose_name': 'outbox message',
                        'verbose_name_plural': 'outbox messages',
                        'db_table': 'meetings_outboxmessage',
                        'ordering': ['pk'],
                        'indexes': [models.Index(condition=models.Q(('delivered_at__isnull', True)), fields=['created_at'], name='outbox_pending_idx'), models.Index(condition=models.Q(('dead_at__isnull', False), ('delivered_at__isnull', True)), fields=['dead_at'], name='outbox_dead_idx')],
                    },
                ),
            ],
        ),
    ]
