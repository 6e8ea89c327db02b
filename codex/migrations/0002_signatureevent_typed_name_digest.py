"""The signature chain covers a digest of the typed name instead of the name itself, so a person's name can be
erased (GDPR) and replaced by a pseudonym without breaking the chain.

Existing entries get their digest and the chain is re-linked under the new rule, but only after the old chain
is checked: a chain that does not verify as it stands is never re-hashed (that would launder a tampering).
"""

import datetime as dt
import hashlib
import json

from django.db import migrations, models

GENESIS = "0" * 64


def _hash(previous: str, fields: dict) -> str:
    body = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(previous.encode("ascii") + body).hexdigest()


def _fields(event, name_field: dict) -> dict:
    return {
        "kind": event.kind,
        "person": event.person_id,
        "version": event.version_id,
        "withdraws": event.withdraws_id,
        **name_field,
        "text_fingerprint": event.text_fingerprint,
        "created_at": event.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
    }


def relink(apps, schema_editor):
    SignatureEvent = apps.get_model("codex", "SignatureEvent")
    SignatureLogHead = apps.get_model("codex", "SignatureLogHead")
    events = list(SignatureEvent.objects.order_by("pk"))
    previous = GENESIS
    for event in events:
        if event.previous_hash != previous or _hash(previous, _fields(event, {"typed_name": event.typed_name})) != (
            event.entry_hash
        ):
            raise RuntimeError(f"Signature log entry #{event.pk} does not verify; investigate before migrating.")
        previous = event.entry_hash
    previous = GENESIS
    for event in events:
        digest = hashlib.sha256(event.typed_name.encode("utf-8")).hexdigest() if event.typed_name else ""
        entry = _hash(previous, _fields(event, {"typed_name_sha256": digest}))
        SignatureEvent.objects.filter(pk=event.pk).update(
            typed_name_digest=digest, previous_hash=previous, entry_hash=entry
        )
        previous = entry
    if events:
        SignatureLogHead.objects.filter(pk=1).update(entry_hash=previous)


class Migration(migrations.Migration):
    dependencies = [
        ("codex", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="signatureevent",
            name="typed_name_digest",
            field=models.CharField(blank=True, max_length=64, verbose_name="digest of the typed name"),
        ),
        migrations.RunPython(relink, migrations.RunPython.noop),
    ]
