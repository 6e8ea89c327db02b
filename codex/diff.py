"""Side-by-side differences between two versions' lines, and the words changed within a line. Pure: built on
difflib; the codex and the agreements share it."""

import difflib
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class DiffRow:
    kind: str  # "same", "changed", "removed", "added"
    old: str | None
    new: str | None


def side_by_side(old_lines: list[str], new_lines: list[str]) -> list[DiffRow]:
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [
                DiffRow("same", old_lines[i], new_lines[j]) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            ]
        elif tag == "delete":
            rows += [DiffRow("removed", old_lines[i], None) for i in range(i1, i2)]
        elif tag == "insert":
            rows += [DiffRow("added", None, new_lines[j]) for j in range(j1, j2)]
        else:
            old, new = old_lines[i1:i2], new_lines[j1:j2]
            for k in range(max(len(old), len(new))):
                left = old[k] if k < len(old) else None
                right = new[k] if k < len(new) else None
                kind = (
                    "changed" if left is not None and right is not None else ("removed" if right is None else "added")
                )
                rows.append(DiffRow(kind, left, right))
    return rows


def has_changes(rows: list[DiffRow]) -> bool:
    return any(row.kind != "same" for row in rows)


# --- Changed words within a changed line ---------------------------------------------------------------------------

_TOKENS = re.compile(r"\s+|\S+")


@dataclass(frozen=True)
class Piece:
    """A stretch of one side of a line: ``changed`` when it was removed (old side) or added (new side)."""

    text: str
    changed: bool


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text)


def _pieces(tokens: list[str], spans: list[tuple[int, int]]) -> list[Piece]:
    """The tokens as pieces, the ``spans`` (token ranges) changed. Spaces between two changed words belong to
    the mark (difflib matches the spaces themselves); spaces at a stretch's edges do not."""
    marked = [False] * len(tokens)
    for start, end in spans:
        for i in range(start, end):
            marked[i] = True
    words = list(marked)
    for i, token in enumerate(tokens):
        if token.isspace():  # its neighbours are words: marked when both are, so "de klare" is one mark
            marked[i] = 0 < i < len(tokens) - 1 and words[i - 1] and words[i + 1]
    pieces: list[Piece] = []
    for token, changed in zip(tokens, marked, strict=True):
        if pieces and pieces[-1].changed == changed:
            pieces[-1] = Piece(pieces[-1].text + token, changed)
        else:
            pieces.append(Piece(token, changed))
    return pieces


def word_diff(old: str, new: str) -> tuple[list[Piece], list[Piece]]:
    """The words removed from ``old`` and added in ``new``: each side as pieces that join to the side's text.
    A word that only moved counts as removed and added."""
    a, b = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    removed, added = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            removed.append((i1, i2))
        if tag in ("replace", "insert"):
            added.append((j1, j2))
    return _pieces(a, removed), _pieces(b, added)
