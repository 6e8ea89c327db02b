"""Canonical JSON and SHA-256: the one normal form the codex's and the agreements' fingerprints and the hash chains
share. Pure: plain data in, strings out, no ORM, no settings.

The canonical form is stable across dict ordering, line-ending style and trailing whitespace, so the same words
always give the same digest and any changed word gives another.
"""

import hashlib
import json


def normalise_text(text: str) -> str:
    """Line endings as ``\\n``, no trailing whitespace on a line, none around the whole."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def canonical_bytes(data) -> bytes:
    """Canonical JSON: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
