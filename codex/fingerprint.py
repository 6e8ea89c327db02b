"""The fingerprint of a codex version's exact text: canonical JSON hashed with SHA-256.

Pure: plain data in, strings out, no ORM. The canonical JSON, the text's normal form and the hash are
``core/fingerprint.py``'s, shared with the agreements: the same text always gives the same fingerprint, and any
change to a word gives another.
"""

from dataclasses import dataclass, field

from core.fingerprint import canonical_bytes, normalise_text, sha256_hex

FINGERPRINT_SCHEME = "codex-v1"


@dataclass(frozen=True)
class Principle:
    heading: str
    text: str


@dataclass(frozen=True)
class Section:
    title: str
    principles: tuple[Principle, ...] = ()


@dataclass(frozen=True)
class CodexText:
    """The words of one version, in reading order."""

    number: int
    title: str
    introduction: str
    sections: tuple[Section, ...] = ()
    values: tuple[str, ...] = field(default_factory=tuple)


_norm = normalise_text


def canonical_dict(text: CodexText) -> dict:
    return {
        "scheme": FINGERPRINT_SCHEME,
        "number": text.number,
        "title": _norm(text.title),
        "introduction": _norm(text.introduction),
        "sections": [
            {
                "title": _norm(section.title),
                "principles": [{"heading": _norm(p.heading), "text": _norm(p.text)} for p in section.principles],
            }
            for section in text.sections
        ],
        "values": [_norm(v) for v in text.values],
    }


def text_fingerprint(text: CodexText) -> str:
    """The SHA-256 of the canonical text of a version (64 hex characters)."""
    return sha256_hex(canonical_bytes(canonical_dict(text)))


def text_lines(text: CodexText, *, values_heading: str = "Values") -> list[str]:
    """The version as plain lines, for a side-by-side comparison of two versions."""
    lines = [f"# {_norm(text.title)}", ""]
    lines += _norm(text.introduction).split("\n")
    for section in text.sections:
        lines += ["", f"## {_norm(section.title)}"]
        for principle in section.principles:
            lines += ["", f"### {_norm(principle.heading)}"]
            lines += _norm(principle.text).split("\n")
    if text.values:
        lines += ["", f"## {values_heading}"]
        lines += [f"- {_norm(v)}" for v in text.values]
    return lines
