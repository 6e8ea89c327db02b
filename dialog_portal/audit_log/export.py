"""The audit log as CSV for Danish Excel: UTF-8 with a byte-order mark, ``;`` between cells, every cell made safe
against formula injection (:func:`csv_safe_cell`). Streamed in batches, so a long log never sits in memory."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from core.exports import neutralise
from core.models import AuditEntry

from .selectors import moment_text, rows

BATCH = 500


def csv_safe_cell(value) -> str:
    """``value`` as the text of a CSV cell a spreadsheet will not run (the portal's one rule: core.exports)."""
    return neutralise("" if value is None else str(value))


class _Echo:
    """A file-like object whose ``write`` returns the line, for ``csv.writer`` in a streaming response."""

    def write(self, value):
        return value


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
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow([csv_safe_cell(cell) for cell in header()])
    base = settings.PORTAL_BASE_URL
    for batch in _batches(qs):
        for row in rows(batch):
            entry = row.entry
            cells = [
                entry.seq,
                moment_text(entry.at),
                row.actor.text,
                entry.actor_id if entry.actor_id is not None else "",
                row.action,
                entry.action,
                row.object_type,
                row.object.text,
                entry.object_id,
                row.details_text,
                f"{base}{row.object.url}" if row.object.url else "",
            ]
            yield writer.writerow([csv_safe_cell(cell) for cell in cells])
