"""The hash chain of the signature log. Pure: no ORM.

Each entry's hash is SHA-256 over the previous entry's hash followed by the
canonical JSON of the entry's own fields. Editing, deleting or reordering any
entry behind the portal's back changes a hash and breaks every link after it.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from .fingerprint import canonical_bytes, sha256_hex

GENESIS_HASH = "0" * 64


def entry_hash(previous_hash: str, fields: dict) -> str:
    return sha256_hex(previous_hash.encode("ascii") + canonical_bytes(fields))


@dataclass(frozen=True)
class ChainEntry:
    id: int
    fields: dict
    previous_hash: str
    entry_hash: str


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int
    reason: str  # "link" (previous hash does not match) or "hash" (the entry's content changed)


def verify_chain(entries: Iterable[ChainEntry]) -> list[ChainBreak]:
    """Check every entry, in log order. Returns the breaks; an empty list means the chain holds."""
    breaks = []
    expected_previous = GENESIS_HASH
    for entry in entries:
        if entry.previous_hash != expected_previous:
            breaks.append(ChainBreak(entry.id, "link"))
        if entry_hash(entry.previous_hash, entry.fields) != entry.entry_hash:
            breaks.append(ChainBreak(entry.id, "hash"))
        expected_previous = entry.entry_hash
    return breaks
