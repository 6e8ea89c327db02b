"""The audit log and the signature log are hashed with a key from the environment (HMAC-SHA256, DIALOG_CHAIN_KEY)
instead of plain SHA-256, so nobody who can write to the database but lacks the key can recompute a chain.

Existing entries are re-keyed once, here, rather than kept under the old scheme with a marker: an unkeyed scheme
that stayed valid would let anyone recompute the whole chain as "old" entries. Each chain is checked first as it
stands; a chain that does not verify is never re-hashed (that would launder a tampering): the migration stops and
names the entry. The re-keying is recorded as such in the audit log (entries re-keyed, the unkeyed heads, the key
id), so the old heads stay on record. The content of every entry is untouched; only the hashes change. The nightly
check writes the new heads to the anchor files.
"""

import datetime as dt
import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations, models

GENESIS = "0" * 64


def _canonical(fields: dict) -> bytes:
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _unkeyed(previous: str, fields: dict) -> str:
    return hashlib.sha256(previous.encode("ascii") + _canonical(fields)).hexdigest()


def _keyed(key: bytes, previous: str, fields: dict) -> str:
    return hmac.new(key, previous.encode("ascii") + _canonical(fields), hashlib.sha256).hexdigest()


def _key() -> tuple[str, bytes]:
    key = settings.DIALOG_CHAIN_KEY.encode("utf-8")
    return hmac.new(key, b"dialogportalen chain key id", hashlib.sha256).hexdigest()[:16], key


def _audit_fields(entry) -> dict:
    return {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor": entry.actor_id,
        "action": entry.action,
        "object": f"{entry.object_type}:{entry.object_id}",
        "data": entry.data,
    }


def _signature_fields(event) -> dict:
    return {
        "kind": event.kind,
        "person": event.person_id,
        "version": event.version_id,
        "withdraws": event.withdraws_id,
        "typed_name_sha256": event.typed_name_digest,
        "text_fingerprint": event.text_fingerprint,
        "created_at": event.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
    }


def _rekey(rows, fields, key_id, key, label):
    """Check the unkeyed chain, then re-hash it under the key. Returns (entries, unkeyed head, keyed head)."""
    previous = GENESIS
    for row in rows:
        if row.previous_hash != previous or _unkeyed(previous, fields(row)) != row.entry_hash:
            raise RuntimeError(
                f"{label} entry #{row.pk} does not verify as it stands; investigate (verify_audit on the previous "
                "release) before migrating: re-keying it would hide the change."
            )
        previous = row.entry_hash
    unkeyed_head, previous = previous, GENESIS
    for row in rows:
        row.previous_hash = previous
        row.entry_hash = previous = _keyed(key, previous, fields(row))
        row.key_id = key_id
    return len(rows), unkeyed_head, previous


def rekey(apps, schema_editor):
    AuditEntry = apps.get_model("meetings", "AuditEntry")
    AuditChainHead = apps.get_model("meetings", "AuditChainHead")
    SignatureEvent = apps.get_model("codex", "SignatureEvent")
    SignatureLogHead = apps.get_model("codex", "SignatureLogHead")
    key_id, key = _key()

    entries = list(AuditEntry.objects.order_by("seq"))
    events = list(SignatureEvent.objects.order_by("pk"))
    if not entries and not events:
        return
    audit = _rekey(entries, _audit_fields, key_id, key, "Audit log")
    signatures = _rekey(events, _signature_fields, key_id, key, "Signature log")
    # Update the hashes only: the content of each entry is untouched.
    AuditEntry.objects.bulk_update(entries, ["previous_hash", "entry_hash", "key_id"], batch_size=500)
    for event in events:  # one by one: previous_hash is unique (the chain cannot fork)
        SignatureEvent.objects.filter(pk=event.pk).update(
            previous_hash=event.previous_hash, entry_hash=event.entry_hash, key_id=key_id
        )
    if events:
        SignatureLogHead.objects.update_or_create(pk=1, defaults={"entry_hash": signatures[2], "entries": len(events)})

    record = AuditEntry(
        seq=(entries[-1].seq if entries else 0) + 1,
        at=dt.datetime.now(dt.UTC),
        actor_id=None,
        action="chains.rekeyed",
        object_type="chains",
        object_id="",
        data={
            "key_id": key_id,
            "audit": {"entries": audit[0], "unkeyed_head": audit[1]},
            "signatures": {"entries": signatures[0], "unkeyed_head": signatures[1]},
        },
        previous_hash=audit[2],
        key_id=key_id,
    )
    record.save()
    record.refresh_from_db()  # hash what the database gives back (JSON, microseconds)
    record.entry_hash = _keyed(key, record.previous_hash, _audit_fields(record))
    AuditEntry.objects.filter(pk=record.pk).update(entry_hash=record.entry_hash)
    AuditChainHead.objects.update_or_create(pk=1, defaults={"seq": record.seq, "last_hash": record.entry_hash})


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0006_visit_time_indexes"),
        ("codex", "0003_signatureevent_key_id"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="key_id",
            field=models.CharField(default="", max_length=16, verbose_name="key id"),
            preserve_default=False,
        ),
        migrations.RunPython(rekey, migrations.RunPython.noop),
    ]
