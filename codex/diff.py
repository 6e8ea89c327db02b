"""Side-by-side differences between two versions' lines. Pure: built on difflib."""

import difflib
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
