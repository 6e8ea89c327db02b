"""Each signature log entry names the key its hash was made with (see codex/chain.py). Existing entries are re-keyed
by meetings' migration 0007_chain_keys, which re-keys both chains and records it in the audit log."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("codex", "0002_signatureevent_typed_name_digest"),
    ]

    operations = [
        migrations.AddField(
            model_name="signatureevent",
            name="key_id",
            field=models.CharField(default="", max_length=16, verbose_name="key id"),
            preserve_default=False,
        ),
    ]
