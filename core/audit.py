"""The append-only, hash-chained audit log of the state changes that matter.

Call :func:`audit_record` inside the service's transaction, after the change::

    audit_record(actor=actor, action="visit.booked", obj=visit, data={"slot": slot.pk})

Keep ``data`` to ids, statuses and short codes, not names: the log outlives a person's erasure (the actor is kept
as a number, a pseudonym). :func:`audit_verify` re-computes the chain; any edit, deletion or reordering shows up.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import chains
from .chain import GENESIS_HASH, Anchor, ChainEntry, anchor_check, entry_hash, verify_chain
from .mail import send_templated_mail
from .models import AuditChainHead, AuditEntry

CHAIN = "audit"


def audit_record(*, actor, action: str, obj=None, object_type: str = "", object_id="", data: dict | None = None):
    """Append one entry. ``obj`` (a model instance) gives the object type and id; else pass them."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    key_id, key = chains.signing_key()
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"seq": 0, "last_hash": GENESIS_HASH}
        )
        entry = AuditEntry(
            seq=head.seq + 1,
            at=timezone.now().astimezone(dt.UTC),
            actor_id=getattr(actor, "pk", actor),
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            data=data or {},
            previous_hash=head.last_hash,
            key_id=key_id,
        )
        # Hash the values as they come back from the database (JSON round trip, microseconds).
        entry.data = _json_roundtrip(entry.data)
        entry.entry_hash = entry_hash(entry.previous_hash, entry.chain_fields(), key)
        entry.save()
        head.seq, head.last_hash = entry.seq, entry.entry_hash
        head.save(update_fields=["seq", "last_hash"])
        chains.anchor_after_commit(CHAIN, seq=entry.seq, digest=entry.entry_hash)
    return entry


@dataclass(frozen=True)
class AuditBreak:
    seq: int
    # "link", "hash", "key" (written with a key the portal does not have), "gap" (a missing entry), "head" (the
    # head row disagrees with the newest entry), "truncated" (entries seq..last_seq, anchored, are gone) or
    # "rewritten" (the anchored entry has another hash now)
    reason: str
    last_seq: int | None = None


def audit_verify(*, batch: int = 5000) -> list[AuditBreak]:
    """Check every entry in order, the head row and the anchor file; an empty list means the log is intact."""
    return _verify(batch=batch)[0]


def _verify(*, batch: int = 5000):
    breaks: list[AuditBreak] = []
    keys = chains.verifying_keys()
    expected_seq, last_seen, last_hash = 1, 0, GENESIS_HASH
    hashes_by_seq: dict[int, str] = {}
    anchored = chains.anchor_newest(CHAIN)

    def entries():
        nonlocal expected_seq, last_seen, last_hash
        for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=batch):
            if entry.seq != expected_seq:
                breaks.append(AuditBreak(entry.seq, "gap"))
            if anchored is not None and entry.seq == anchored.seq:
                hashes_by_seq[entry.seq] = entry.entry_hash
            expected_seq, last_seen, last_hash = entry.seq + 1, entry.seq, entry.entry_hash
            yield ChainEntry(entry.seq, entry.chain_fields(), entry.previous_hash, entry.entry_hash, entry.key_id)

    breaks += [AuditBreak(b.entry_id, b.reason) for b in verify_chain(entries(), keys)]
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != last_seen or head.last_hash != last_hash):
        breaks.append(AuditBreak(head.seq, "head"))
    found = anchor_check(anchored, entries=last_seen, hash_at_seq=hashes_by_seq.get(anchored.seq) if anchored else None)
    if found is not None:
        breaks.append(AuditBreak(found.first, found.reason, found.last if found.reason == "truncated" else None))
    breaks.sort(key=lambda b: (b.seq, b.reason))
    newest = Anchor(CHAIN, last_seen, last_hash) if last_seen else None
    return breaks, newest, anchored


AUDIT_REASONS = {
    "link": _("Entry #%(seq)s does not follow the entry before it (an entry was removed, inserted or reordered)."),
    "hash": _("Entry #%(seq)s was changed after it was written."),
    "key": _("Entry #%(seq)s was written with a key the portal does not have (or its key id was changed)."),
    "gap": _("Entry #%(seq)s does not follow the number before it: an entry is missing."),
    "head": _("The head row (#%(seq)s) does not match the newest entry: entries were removed or added at the end."),
    "truncated": _(
        "Entries #%(seq)s..%(last)s are missing at the end (the anchor file has had #%(last)s as the newest since "
        "%(at)s)."
    ),
    "truncated_one": _("Entry #%(seq)s is missing at the end (the anchor file has had it as the newest since %(at)s)."),
    "rewritten": _(
        "Entry #%(seq)s does not match its hash in the anchor file: the chain was recomputed after it was anchored."
    ),
}


def audit_report() -> chains.Report:
    """The audit log's check, for ``verify_audit`` and the nightly job."""
    breaks, newest, anchored = _verify()
    problems = [
        chains.Problem(
            chains.Text(
                AUDIT_REASONS["truncated_one" if b.reason == "truncated" and b.last_seq == b.seq else b.reason],
                seq=b.seq,
                last=b.last_seq or b.seq,
                at=anchored.at if anchored else "",
            ),
            entry_id=b.seq,
        )
        for b in breaks
    ]
    return chains.Report(
        name=CHAIN,
        label=chains.Text(_("Audit log")),
        checked=newest.seq if newest else 0,
        problems=problems,
        head=newest,
        anchored=anchored,
    )


def _json_roundtrip(data: dict) -> dict:
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def chains_verify_and_alert() -> int:
    """The nightly check: run every registered check (the audit log, the codex's signature log, the agreements'
    frozen texts and signatures) and e-mail every administrator the outcome with each chain's head, so a copy of
    the heads lives outside the database too. Sent directly, not through the outbox: the outbox lives in the
    database that may have been tampered with. Returns the number of problems found."""
    User = get_user_model()
    found = chains.reports()
    problems = sum(len(report.problems) for report in found)
    if problems:
        logging.getLogger(__name__).error("Chain verification found %s problem(s)", problems)
    for report in found:
        # A head that verifies but is not in the anchor file yet (just after the re-keying migration, or when the
        # process stopped between a commit and its anchor line) is anchored now. Never a head that fails.
        behind = report.anchored is None or report.anchored.seq < report.head.seq if report.head else False
        if behind and not report.problems:
            report.anchored = chains.anchor_write(
                report.name, seq=report.head.seq, digest=report.head.hash, entry_id=report.head.entry_id
            )
    recipients = list(
        User.objects.filter(is_active=True, is_staff=True, erased_at__isnull=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if recipients:
        send_templated_mail(
            "core/email/chains_report",
            to=recipients,
            context={"reports": found, "problems": problems, "checked_at": timezone.now()},
            language=settings.LANGUAGE_CODE,
        )
    return problems
