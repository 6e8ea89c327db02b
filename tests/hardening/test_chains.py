"""An insider with write access to the database cannot hide a change to the hash chains (issue 14, hole 4).

Every attack here goes around the portal the way someone with a database login would: raw deletes, updates and
recomputed hashes. Three defences answer them: the hashes are keyed with a secret the database does not hold
(``DIALOG_CHAIN_KEY``); each new head is appended to an anchor file outside the database after commit; and the
agreements' frozen texts and signatures are checked by the same commands and nightly job as the chains.
"""

import importlib
import json

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db.models import QuerySet

from agreements.models import AgreementSignature, AgreementVersion, Status
from codex.models import SignatureEvent, SignatureLogHead
from core import chain, chains
from core.audit import audit_record, audit_verify, chains_verify_and_alert
from core.models import AuditChainHead, AuditEntry
from tests.agreements.conftest import make_agreement
from tests.codex.conftest import publish, sign, tamper, write_draft
from tests.hardening.figures import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def anchored(django_capture_on_commit_callbacks):
    """Run what the portal does after each commit (here: append the new heads to the anchor files)."""

    def run(write):
        with django_capture_on_commit_callbacks(execute=True):
            return write()

    return run


def _record_entries(cast, anchored, count):
    return [
        anchored(lambda n=n: audit_record(actor=cast.chair, action="visit.booked", obj=cast.workplace, data={"n": n}))
        for n in range(count)
    ]


def _behind_the_portals_back(queryset, **values):
    """An UPDATE the append-only querysets refuse, as a database login would run it."""
    return QuerySet.update(queryset, **values)


def _verify_audit_fails(capsys) -> str:
    with pytest.raises(CommandError) as error:
        call_command("verify_audit")
    assert error.value.returncode == 1
    return capsys.readouterr().err


def _recompute_audit_chain(key: bytes | None) -> None:
    """What an insider would do after editing an entry: re-hash every entry and fix the head row."""
    previous = chain.GENESIS_HASH
    for entry in AuditEntry.objects.order_by("seq"):
        fields = entry.chain_fields()
        digest = chain.entry_hash(previous, fields, key) if key else chain.unkeyed_entry_hash(previous, fields)
        AuditEntry.objects.filter(pk=entry.pk).update(previous_hash=previous, entry_hash=digest)
        previous = digest
    AuditChainHead.objects.filter(pk=1).update(last_hash=previous)


# --- The anchor file ----------------------------------------------------------------------------------------------


def test_each_committed_entry_appends_its_head_to_the_anchor_file(cast, anchored, settings):
    entries = _record_entries(cast, anchored, 2)
    lines = [json.loads(line) for line in (settings.DIALOG_ANCHOR_DIR / "audit.jsonl").read_text().splitlines()]
    assert [(line["seq"], line["hash"]) for line in lines[-2:]] == [(e.seq, e.entry_hash) for e in entries]
    assert chains.anchor_newest("audit").seq == entries[-1].seq


def test_a_rolled_back_entry_is_never_anchored(cast, anchored, settings):
    from django.db import transaction

    _record_entries(cast, anchored, 1)
    before = (settings.DIALOG_ANCHOR_DIR / "audit.jsonl").read_text()

    def write_and_fail():
        with transaction.atomic():
            audit_record(actor=cast.chair, action="visit.booked", obj=cast.workplace)
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        anchored(write_and_fail)
    assert (settings.DIALOG_ANCHOR_DIR / "audit.jsonl").read_text() == before
    assert audit_verify() == []


def test_a_torn_last_line_after_a_crash_does_not_hide_the_lines_before_it(cast, anchored, settings):
    entries = _record_entries(cast, anchored, 2)
    with (settings.DIALOG_ANCHOR_DIR / "audit.jsonl").open("a") as handle:
        handle.write('{"chain": "audit", "seq": 99')  # the process died mid-write
    assert chains.anchor_newest("audit").seq == entries[-1].seq
    assert audit_verify() == []


# --- Cutting the end off a chain -----------------------------------------------------------------------------------


def test_deleting_the_newest_audit_entries_and_fixing_the_head_row_is_caught(cast, anchored, capsys):
    entries = _record_entries(cast, anchored, 4)
    kept, cut = entries[1], entries[2:]
    AuditEntry.objects.filter(seq__gt=kept.seq)._raw_delete(AuditEntry.objects.db)
    AuditChainHead.objects.filter(pk=1).update(seq=kept.seq, last_hash=kept.entry_hash)

    assert [(b.seq, b.reason, b.last_seq) for b in audit_verify()] == [(cut[0].seq, "truncated", cut[-1].seq)]
    err = _verify_audit_fails(capsys)
    assert f"Entries #{cut[0].seq}..{cut[-1].seq} are missing at the end" in err
    record("chains", audit_truncation_caught=True)


def test_deleting_only_the_newest_audit_entry_is_named_as_one(cast, anchored, capsys):
    kept, newest = _record_entries(cast, anchored, 2)
    AuditEntry.objects.filter(seq=newest.seq)._raw_delete(AuditEntry.objects.db)
    AuditChainHead.objects.filter(pk=1).update(seq=kept.seq, last_hash=kept.entry_hash)
    assert f"Entry #{newest.seq} is missing at the end" in _verify_audit_fails(capsys)


def test_deleting_the_newest_signatures_and_fixing_the_head_row_is_caught(cast, anchored, capsys):
    version = anchored(lambda: publish(cast.administrator, write_draft(cast.administrator)))
    first = anchored(lambda: sign(cast.chair, version))
    for person in (cast.member, cast.leader):
        anchored(lambda person=person: sign(person, version))
    SignatureEvent.objects.filter(pk__gt=first.pk)._raw_delete(SignatureEvent.objects.db)
    SignatureLogHead.objects.filter(pk=1).update(entries=1, entry_hash=first.entry_hash)

    with pytest.raises(CommandError):
        call_command("verify_signatures")
    assert "Entries 2..3 of the log (counted in log order) are missing at the end" in capsys.readouterr().err
    err = _verify_audit_fails(capsys)
    assert "Entries 2..3 of the log" in err
    record("chains", signature_truncation_caught=True)


# --- Recomputing a chain -------------------------------------------------------------------------------------------


def test_an_edited_entry_with_the_whole_chain_recomputed_without_the_key_is_caught(cast, capsys):
    entries = [audit_record(actor=cast.chair, action="visit.booked", obj=cast.workplace) for _n in range(3)]
    AuditEntry.objects.filter(seq=entries[0].seq).update(action="visit.cancelled")
    _recompute_audit_chain(key=None)  # plain SHA-256, the only thing one can do without the key
    breaks = audit_verify()
    assert {b.seq for b in breaks if b.reason == "hash"} >= {e.seq for e in entries}
    assert f"Entry #{entries[0].seq} was changed after it was written." in _verify_audit_fails(capsys)

    _recompute_audit_chain(key=b"a guessed key")
    assert {b.reason for b in audit_verify()} == {"hash"}
    record("chains", recomputed_without_key_caught=True)


def test_an_entry_recomputed_with_the_key_is_caught_by_the_anchor(cast, anchored, capsys, settings):
    entries = _record_entries(cast, anchored, 3)
    AuditEntry.objects.filter(seq=entries[0].seq).update(action="visit.cancelled")
    _recompute_audit_chain(key=settings.DIALOG_CHAIN_KEY.encode())
    assert [(b.seq, b.reason) for b in audit_verify()] == [(entries[-1].seq, "rewritten")]
    assert f"Entry #{entries[-1].seq} does not match its hash in the anchor file" in _verify_audit_fails(capsys)
    record("chains", recomputed_with_key_caught_by_anchor=True)


def test_a_signature_log_recomputed_with_the_key_is_caught_by_the_anchor(cast, anchored, capsys, settings):
    version = anchored(lambda: publish(cast.administrator, write_draft(cast.administrator)))
    first = anchored(lambda: sign(cast.chair, version))
    anchored(lambda: sign(cast.leader, version))
    key = settings.DIALOG_CHAIN_KEY.encode()
    tamper(SignatureEvent.objects.filter(pk=first.pk), created_at=first.created_at.replace(year=2020))
    previous = chain.GENESIS_HASH
    for event in SignatureEvent.objects.order_by("pk"):
        digest = chain.entry_hash(previous, event.chain_fields(), key)
        tamper(SignatureEvent.objects.filter(pk=event.pk), previous_hash=previous, entry_hash=digest)
        previous = digest
    SignatureLogHead.objects.filter(pk=1).update(entry_hash=previous)
    with pytest.raises(CommandError):
        call_command("verify_signatures")
    assert "Entry 2 of the log (counted in log order) does not match its hash in the anchor file" in (
        capsys.readouterr().err
    )


def _migration_apps():
    """The models as the migration sees them: historical models, without the portal's guards on their querysets."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    return MigrationLoader(connection).project_state(("meetings", "0007_chain_keys")).apps


# --- Keys ----------------------------------------------------------------------------------------------------------


def test_after_a_key_rotation_old_entries_verify_while_the_old_key_is_configured(cast, settings, capsys):
    old = audit_record(actor=cast.chair, action="visit.booked", obj=cast.workplace)
    settings.DIALOG_CHAIN_OLD_KEYS = [settings.DIALOG_CHAIN_KEY]
    settings.DIALOG_CHAIN_KEY = "a-new-key-after-rotation-0123456789"
    new = audit_record(actor=cast.chair, action="visit.cancelled", obj=cast.workplace)
    assert new.key_id != old.key_id
    assert audit_verify() == []

    settings.DIALOG_CHAIN_OLD_KEYS = []  # the old key lost: its entries cannot be checked, and say so
    assert (old.seq, "key") in [(b.seq, b.reason) for b in audit_verify()]
    assert f"Entry #{old.seq} was written with a key the portal does not have" in _verify_audit_fails(capsys)


def test_the_one_time_rekeying_keeps_existing_entries_verifying_and_is_recorded(cast, settings):
    # The log as the first release wrote it: plain SHA-256, no key id.
    audit_record(actor=cast.chair, action="visit.booked", obj=cast.workplace)
    version = publish(cast.administrator, write_draft(cast.administrator))
    sign(cast.chair, version)
    _recompute_audit_chain(key=None)
    AuditEntry.objects.update(key_id="")
    previous = chain.GENESIS_HASH
    for event in SignatureEvent.objects.order_by("pk"):
        digest = chain.unkeyed_entry_hash(previous, event.chain_fields())
        tamper(SignatureEvent.objects.filter(pk=event.pk), previous_hash=previous, entry_hash=digest, key_id="")
        previous = digest
    SignatureLogHead.objects.filter(pk=1).update(entry_hash=previous)
    unkeyed_audit_head = AuditChainHead.objects.get().last_hash
    assert audit_verify() != []

    importlib.import_module("meetings.migrations.0007_chain_keys").rekey(_migration_apps(), None)

    assert audit_verify() == []
    call_command("verify_audit")
    rekeyed = AuditEntry.objects.order_by("-seq").first()
    assert rekeyed.action == "chains.rekeyed"
    assert rekeyed.data["audit"]["unkeyed_head"] == unkeyed_audit_head
    assert rekeyed.data["signatures"]["entries"] == SignatureEvent.objects.count()
    assert set(AuditEntry.objects.values_list("key_id", flat=True)) == {chains.signing_key()[0]}


def test_the_rekeying_refuses_a_chain_that_was_already_tampered_with(cast):
    audit_record(actor=cast.chair, action="visit.booked", obj=cast.workplace)
    _recompute_audit_chain(key=None)
    AuditEntry.objects.update(key_id="", action="forged")  # changed after the unkeyed hash was written
    with pytest.raises(RuntimeError, match="does not verify as it stands"):
        importlib.import_module("meetings.migrations.0007_chain_keys").rekey(_migration_apps(), None)


# --- Agreements ----------------------------------------------------------------------------------------------------


def test_a_signed_agreement_version_whose_stored_text_was_changed_is_named_by_both_commands(cast, capsys):
    agreement = make_agreement(cast, Status.SIGNED)
    version = agreement.versions.get()
    text = {**version.text, "core_task": "Ændret bag portalens ryg."}
    _behind_the_portals_back(AgreementVersion.objects.filter(pk=version.pk), text=text)
    signatures = list(AgreementSignature.objects.filter(version=version).order_by("pk"))

    with pytest.raises(CommandError):
        call_command("verify_signatures")
    err = capsys.readouterr().err
    assert f"Agreement {agreement.pk}, version 1: the frozen text no longer matches its fingerprint." in err
    for signature in signatures:
        assert f"signature #{signature.pk} on version 1: the text signed was changed after signing" in err
    assert f"Agreement {agreement.pk}, version 1" in _verify_audit_fails(capsys)
    assert chains_verify_and_alert() == 1 + len(signatures)
    record("chains", agreement_text_change_caught=True)


def test_a_signature_rebound_to_another_fingerprint_is_named(cast, capsys):
    agreement = make_agreement(cast, Status.SIGNED)
    signature = AgreementSignature.objects.filter(agreement=agreement).first()
    _behind_the_portals_back(AgreementSignature.objects.filter(pk=signature.pk), fingerprint="f" * 64)
    err = _verify_audit_fails(capsys)
    assert f"signature #{signature.pk} on version 1: it is bound to another fingerprint" in err


# --- The nightly job -----------------------------------------------------------------------------------------------


def test_the_nightly_mail_carries_every_head_and_anchors_a_head_not_yet_anchored(cast, settings):
    version = publish(cast.administrator, write_draft(cast.administrator))
    signature = sign(cast.chair, version)
    newest = AuditEntry.objects.order_by("-seq").first()
    assert chains.anchor_newest("audit") is None  # nothing committed in this test: nothing anchored

    assert chains_verify_and_alert() == 0
    (message,) = mail.outbox
    assert message.to == [cast.administrator.email]
    assert "alt er i orden" in message.subject
    assert newest.entry_hash in message.body and signature.entry_hash in message.body
    assert f"Nyeste post: nr. {newest.seq}" in message.body
    html = message.alternatives[0][0]
    assert newest.entry_hash in html and signature.entry_hash in html
    assert chains.anchor_newest("audit").hash == newest.entry_hash
    assert chains.anchor_newest("signatures").entry_id == signature.pk


def test_the_nightly_mail_names_each_break_in_danish(cast):
    agreement = make_agreement(cast, Status.SIGNED)
    version = agreement.versions.get()
    _behind_the_portals_back(AgreementVersion.objects.filter(pk=version.pk), text={**version.text, "support": "Ingen."})
    assert chains_verify_and_alert() == 3
    (message,) = mail.outbox
    assert "Revisionsloggen" in message.subject
    assert f"Aftale {agreement.pk}, version 1" in message.body
