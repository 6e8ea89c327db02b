"""The append-only, hash-chained audit log of the state changes that matter.

Call :func:`audit_record` inside the service's transaction, after the change::

    audit_record(actor=actor, action="visit.booked", obj=visit, data={"slot": slot.pk})

Keep ``data`` to ids, statuses and short codes, not names: the log outlives a person's erasure (the actor is kept
as a number, a pseudonym). :func:`audit_verify` re-computes the chain; any edit, deletion or reordering shows up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from codex.chain import GENESIS_HASH, entry_hash

from .models import AuditChainHead, AuditEntry


def audit_record(*, actor, action: str, obj=None, object_type: str = "", object_id="", data: dict | None = None):
    """Append one entry. ``obj`` (a model instance) gives the object type and id; else pass them."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
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
        )
        # Hash the values as they come back from the database (JSON round trip, microseconds).
        entry.data = _json_roundtrip(entry.data)
        entry.entry_hash = entry_hash(entry.previous_hash, entry.chain_fields())
        entry.save()
        head.seq, head.last_hash = entry.seq, entry.entry_hash
        head.save(update_fields=["seq", "last_hash"])
    return entry


@dataclass(frozen=True)
class AuditBreak:
    seq: int
    reason: str  # "link", "hash", "gap" (a missing entry) or "head" (the newest entry is gone)


def audit_verify(*, batch: int = 5000) -> list[AuditBreak]:
    """Check every entry in order; an empty list means the log is intact."""
    breaks: list[AuditBreak] = []
    expected_previous, expected_seq = GENESIS_HASH, 1
    last_seen = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=batch):
        if entry.seq != expected_seq:
            breaks.append(AuditBreak(entry.seq, "gap"))
        if entry.previous_hash != expected_previous:
            breaks.append(AuditBreak(entry.seq, "link"))
        if entry_hash(entry.previous_hash, entry.chain_fields()) != entry.entry_hash:
            breaks.append(AuditBreak(entry.seq, "hash"))
        expected_previous, expected_seq, last_seen = entry.entry_hash, entry.seq + 1, entry.seq
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != last_seen or head.last_hash != expected_previous):
        breaks.append(AuditBreak(head.seq, "head"))
    return breaks


def _json_roundtrip(data: dict) -> dict:
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def chains_verify_and_alert() -> int:
    """Verify the audit log and the codex's signature log. When either is broken, log it and e-mail every
    administrator (directly: the outbox lives in the same database that may have been tampered with).
    Returns the number of problems found."""
    import logging

    from django.conf import settings
    from django.core.mail import send_mail
    from django.utils import translation
    from django.utils.translation import gettext as _

    from codex.selectors import log_problems

    from .models import User

    problems = len(audit_verify()) + len(log_problems())
    if problems:
        logging.getLogger(__name__).error("Audit verification found %s problem(s)", problems)
        recipients = list(User.objects.filter(is_active=True, is_staff=True).values_list("email", flat=True))
        with translation.override(settings.LANGUAGE_CODE):
            send_mail(
                _("Dialogportalen: the audit log does not verify"),
                _(
                    "The nightly check found %(count)d problem(s) in the audit log or the signature log. "
                    "Run 'python manage.py verify_audit' to see which entries, and contact IT security."
                )
                % {"count": problems},
                None,
                recipients,
            )
    return problems
