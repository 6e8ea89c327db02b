"""The hash chains of the signature log and the audit log. Pure: no ORM, no settings.

Each entry's hash is HMAC-SHA256, keyed with a secret kept outside the database, over the previous entry's hash
followed by the canonical JSON of the entry's own fields. Editing, deleting or reordering any entry behind the
portal's back changes a hash and breaks every link after it; and because the hash is keyed, someone who can write
to the database but does not hold the key cannot recompute the chain to hide an edit. Each entry names the key it
was written with by a short id derived from the key, so a rotated key's entries keep verifying.

What the key cannot catch – entries cut off the end together with the row that records the chain's head, or a
chain recomputed by someone who holds the key – the anchor catches: each new head is also written to an
append-only file outside the database (see ``core/chains.py``) and compared here with :func:`anchor_check`.
"""

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .fingerprint import canonical_bytes, sha256_hex

GENESIS_HASH = "0" * 64
KEY_ID_LENGTH = 16


def key_id(key: bytes) -> str:
    """A short, stable name for a key that does not reveal it (16 hex characters)."""
    return hmac.new(key, b"dialogportalen chain key id", hashlib.sha256).hexdigest()[:KEY_ID_LENGTH]


def entry_hash(previous_hash: str, fields: dict, key: bytes) -> str:
    """HMAC-SHA256 (64 hex characters) of the previous hash and the entry's canonical fields."""
    return hmac.new(key, previous_hash.encode("ascii") + canonical_bytes(fields), hashlib.sha256).hexdigest()


def unkeyed_entry_hash(previous_hash: str, fields: dict) -> str:
    """The first scheme (plain SHA-256, no key), kept only so the one-time re-keying can check the old chain."""
    return sha256_hex(previous_hash.encode("ascii") + canonical_bytes(fields))


@dataclass(frozen=True)
class ChainEntry:
    id: int
    fields: dict
    previous_hash: str
    entry_hash: str
    key_id: str = ""


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int
    reason: str  # "link" (previous hash does not match), "hash" (the content changed) or "key" (unknown key)


def verify_chain(entries: Iterable[ChainEntry], keys: Mapping[str, bytes]) -> list[ChainBreak]:
    """Check every entry, in log order, with the keys by id. Returns the breaks; an empty list means it holds."""
    breaks = []
    expected_previous = GENESIS_HASH
    for entry in entries:
        if entry.previous_hash != expected_previous:
            breaks.append(ChainBreak(entry.id, "link"))
        key = keys.get(entry.key_id)
        if key is None:
            breaks.append(ChainBreak(entry.id, "key"))
        elif not hmac.compare_digest(entry_hash(entry.previous_hash, entry.fields, key), entry.entry_hash):
            breaks.append(ChainBreak(entry.id, "hash"))
        expected_previous = entry.entry_hash
    return breaks


# --- The anchor ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    """One line of the anchor file: the chain's head after a commit. ``seq`` counts entries from 1."""

    chain: str
    seq: int
    hash: str
    at: str = ""  # ISO time (UTC) the line was written
    entry_id: int | None = None


@dataclass(frozen=True)
class AnchorBreak:
    reason: str  # "truncated" (entries first..last are gone) or "rewritten" (entry ``first`` has another hash)
    first: int
    last: int


def anchor_check(anchor: Anchor | None, *, entries: int, hash_at_seq: str | None) -> AnchorBreak | None:
    """Compare the database's chain with the newest anchor line.

    ``entries`` is how many entries the database holds; ``hash_at_seq`` the hash of its entry number ``anchor.seq``
    (None when there is no such entry). A database ahead of the anchor is fine: a head written after the last line
    (the process stopped between commit and write) is still checked by the key."""
    if anchor is None:
        return None
    if entries < anchor.seq:
        return AnchorBreak("truncated", entries + 1, anchor.seq)
    if hash_at_seq is None or not hmac.compare_digest(hash_at_seq, anchor.hash):
        return AnchorBreak("rewritten", anchor.seq, anchor.seq)
    return None
