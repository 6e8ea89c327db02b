"""The audit log as CSV for Danish Excel, written by the portal's one CSV writer (``core.exports``: UTF-8 with a
byte-order mark, ``;`` and CRLF, the time as a date and time Excel reads, every text cell safe against formula
injection). Streamed in batches, so a long log never sits in memory."""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from core.exports import csv_lines
from core.models import AuditEntry

from .selectors import rows

BATCH = 500


def header() -> list[str]:
    return [
        _("No."),
        _("Time"),
        _("Person"),
        _("Person no."),
        _("Action"),
        _("Action code"),
        _("Kind of object"),
        _("Object"),
        _("Object no."),
        _("Details"),
        _("Link"),
    ]


def _batches(qs: QuerySet[AuditEntry]) -> Iterator[list[AuditEntry]]:
    """The entries newest first, a batch at a time (keyset on the sequence number: no OFFSET over a long log)."""
    before = None
    while True:
        batch_qs = qs if before is None else qs.filter(seq__lt=before)
        batch = list(batch_qs[:BATCH])
        if not batch:
            return
        yield batch
        before = batch[-1].seq


def lines(qs: QuerySet[AuditEntry], *, language: str | None = None) -> Iterator[str]:
    """The CSV's lines: the byte-order mark and the header first, then one line per entry. The response streams
    after the view has returned, so the language is set here, not left to the request's."""
    with translation.override(language or settings.LANGUAGE_CODE):
        yield from _lines(qs)


def _lines(qs: QuerySet[AuditEntry]) -> Iterator[str]:
    yield from csv_lines(header(), _cells(qs))


def _cells(qs: QuerySet[AuditEntry]) -> Iterator[list]:
    base = settings.PORTAL_BASE_URL
    for batch in _batches(qs):
        for row in rows(batch):
            entry = row.entry
            yield [
                entry.seq,
                entry.at,  # a date and time Excel reads and sorts (core.exports.cell), in Copenhagen time
                row.actor.text,
                entry.actor_id,
                row.action,
                entry.action,
                row.object_type,
                row.object.text,
                entry.object_id,
                row.details_text,
                f"{base}{row.object.url}" if row.object.url else "",
            ]
