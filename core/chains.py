"""What makes the hash chains trustworthy beyond the database: the key, the anchor file and one check of them all.

- **The key.** Every entry of the audit log and the signature log is hashed with HMAC-SHA256 under
  ``DIALOG_CHAIN_KEY``; the entry stores the key's id (see ``core/chain.py``). Keys named in
  ``DIALOG_CHAIN_OLD_KEYS`` still verify the entries written under them, so a key can be rotated without
  touching a single entry.
- **The anchor.** After each commit that adds an entry, the chain's new head (chain, number, hash, time) is
  appended to ``<DIALOG_ANCHOR_DIR>/<chain>.jsonl`` and fsync'd. The file is only ever appended to. Cutting
  entries off the end of a chain (and fixing the head row to match), or recomputing a chain with the key, no
  longer agrees with the newest line of the file.
- **The checks.** Each app registers the check of its records here (``register_check``); ``verify_audit``,
  ``verify_signatures`` and the nightly job run them, and the nightly e-mail carries every head so a copy also
  lives in the administrators' mailboxes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from . import chain

# --- Keys --------------------------------------------------------------------------------------------------------


def signing_key() -> tuple[str, bytes]:
    """The key new entries are written with, and its id."""
    key = settings.DIALOG_CHAIN_KEY.encode("utf-8")
    return chain.key_id(key), key


def verifying_keys() -> dict[str, bytes]:
    """Every key an entry may have been written with, by id: the current one and the old ones."""
    keys = [settings.DIALOG_CHAIN_KEY, *settings.DIALOG_CHAIN_OLD_KEYS]
    return {chain.key_id(k.encode("utf-8")): k.encode("utf-8") for k in keys if k}


# --- The anchor file -----------------------------------------------------------------------------------------------

TAIL_BYTES = 64 * 1024  # lines of one commit may land out of order; the newest is among the last ones


def anchor_path(name: str) -> Path:
    return Path(settings.DIALOG_ANCHOR_DIR) / f"{name}.jsonl"


def anchor_after_commit(name: str, *, seq: int, digest: str, entry_id: int | None = None) -> None:
    """Append the chain's new head to its anchor file once the current transaction commits (never for a
    rollback). Call it inside the transaction that adds the entry."""
    transaction.on_commit(lambda: anchor_write(name, seq=seq, digest=digest, entry_id=entry_id), robust=True)


def anchor_write(name: str, *, seq: int, digest: str, entry_id: int | None = None) -> chain.Anchor:
    """Append one line and fsync it. Opened for appending only: a line once written is never changed."""
    line = chain.Anchor(
        chain=name, seq=seq, hash=digest, at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), entry_id=entry_id
    )
    path = anchor_path(name)
    new = not path.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"chain": line.chain, "seq": line.seq, "hash": line.hash, "at": line.at}
    if entry_id is not None:
        record["id"] = entry_id
    data = (json.dumps(record, sort_keys=True) + "\n").encode("ascii")
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, data)  # one write: concurrent processes' lines never interleave
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    if new:  # the file's name is durable only once its folder is synced too
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
    return line


def anchor_newest(name: str) -> chain.Anchor | None:
    """The anchored head with the highest number (None when nothing was anchored yet)."""
    path = anchor_path(name)
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - TAIL_BYTES))
            tail = handle.read().decode("ascii", errors="replace").splitlines()
    except FileNotFoundError:
        return None
    if size > TAIL_BYTES:
        tail = tail[1:]  # the first line read may be cut
    newest = None
    for text in tail:
        try:
            record = json.loads(text)
            anchor = chain.Anchor(
                chain=record["chain"],
                seq=int(record["seq"]),
                hash=str(record["hash"]),
                at=record.get("at", ""),
                entry_id=record.get("id"),
            )
        except (ValueError, KeyError, TypeError):
            continue  # a torn line after a crash: the lines before it still count
        if anchor.chain == name and (newest is None or anchor.seq >= newest.seq):
            newest = anchor
    return newest


# --- The checks ----------------------------------------------------------------------------------------------------


class Text:
    """A message and its values, put together in the language active when it is shown: the commands print English,
    the administrators' e-mail is Danish."""

    def __init__(self, message, **params):
        self.message, self.params = message, params

    def __str__(self):
        return (
            str(self.message) % {name: str(value) for name, value in self.params.items()}
            if self.params
            else str(self.message)
        )

    def __repr__(self):
        return f"Text({self.message!s:.40}, {self.params})"


@dataclass(frozen=True)
class Problem:
    """One break, named in a sentence ("Entry #12 was changed after it was written."), and the entry or record
    concerned when there is one."""

    text: Text
    entry_id: int | None = None

    def __str__(self):
        return str(self.text)


@dataclass
class Report:
    """What one check found. ``head`` is the chain's newest entry as the database has it (None for records that
    are not a chain, and for an empty chain); ``anchored`` the newest line of its anchor file."""

    name: str
    label: Text
    checked: int
    problems: list[Problem] = field(default_factory=list)
    head: chain.Anchor | None = None
    anchored: chain.Anchor | None = None


CHECKS: dict[str, Callable[[], Report]] = {}


def register_check(name: str, check: Callable[[], Report]) -> None:
    """Apps register the check of their records in ``AppConfig.ready`` (``core`` cannot import them)."""
    CHECKS[name] = check


def reports(names: list[str] | None = None) -> list[Report]:
    """Run the registered checks (all, or those named), in the order they were registered."""
    return [check() for name, check in CHECKS.items() if names is None or name in names]


def command_output(command, found: list[Report]) -> int:
    """Print each check's outcome for a management command (problems to stderr). Returns the number of problems."""
    problems = 0
    for report in found:
        line = f"{report.label}: {report.checked} checked"
        if report.head is not None:
            line += f"; head #{report.head.seq} {report.head.hash}"
            if report.anchored is None:
                line += " (not anchored yet: no line in the anchor file)"
            else:
                line += f" (anchored #{report.anchored.seq} at {report.anchored.at})"
        command.stdout.write(line)
        for problem in report.problems:
            command.stderr.write(f"BROKEN {report.label}: {problem}")
        problems += len(report.problems)
    return problems
