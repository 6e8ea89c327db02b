"""Safe formatting for codex text: a small Markdown subset, sanitised so no raw HTML reaches a page; and a version
comparison's lines rendered the same way with the changed words marked."""

import re
from dataclasses import dataclass

import markdown
import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .diff import DiffRow, Piece, word_diff

# Paragraphs, emphasis, lists, quotes and links. Headings are left out on purpose:
# the page owns the heading structure (WCAG heading order).
ALLOWED_TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "a", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


# A whole document under the page's own h1 (the privacy notice from the municipality's file) keeps its sections:
# its headings move one level down, so "# Formål" becomes an h2 below the page's h1.
HEADING_TAGS = {"h2", "h3", "h4", "h5", "h6"}
HEADING = re.compile(r"<(/?)h([1-6])\b")


def render_markdown(text: str, *, headings: bool = False) -> SafeString:
    html = markdown.markdown(text or "", output_format="html")
    tags = ALLOWED_TAGS
    if headings:
        html = HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 1, 6)}", html)
        tags = ALLOWED_TAGS | HEADING_TAGS
    cleaned = nh3.clean(html, tags=tags, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES)
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above


# --- A comparison's lines, rendered, with the changed words marked --------------------------------------------------

# Private-use characters stand for the marks while Markdown renders the line; text never holds them (they are
# removed first), so each one found afterwards is a mark.
_OPEN, _CLOSE = "\ue000", "\ue001"
_HEADING = re.compile(r"^(#{1,6})\s+")
# A list item's or a quote's marker at the start of a line stays outside the marks, so the line stays a list item.
_BLOCK_PREFIX = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+|>\s*)")


@dataclass(frozen=True)
class MarkedRow:
    """A comparison row with each side as safe HTML: Markdown rendered, the changed words in ``<del>``/``<ins>``."""

    kind: str
    old: SafeString | None
    new: SafeString | None
    old_heading: bool = False
    new_heading: bool = False


def _strip_marks(text: str) -> str:
    return text.replace(_OPEN, "").replace(_CLOSE, "")


def _with_marks(pieces: list[Piece]) -> str:
    return "".join(f"{_OPEN}{p.text}{_CLOSE}" if p.changed and p.text.strip() else p.text for p in pieces)


def _render_marked(text_with_marks: str, *, heading: bool, tag: str, label: str) -> SafeString:
    if heading:
        html = f"<strong>{escape(text_with_marks)}</strong>"
    else:
        html = markdown.markdown(text_with_marks, output_format="html")
    # First pass: the writer's HTML goes, as on every codex page; the marks survive as plain characters.
    html = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES)
    # Then the marks become elements that say what they are to a screen reader too, not only by colour; the second
    # pass mends any nesting a mark crossed (a stretch that starts inside **bold** and ends outside it).
    opening = f'<{tag}><span class="visually-hidden">{escape(label)} </span>'
    html = html.replace(_OPEN, opening).replace(_CLOSE, f"</{tag}>")
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS | {tag, "span"},
        attributes={**ALLOWED_ATTRIBUTES, "span": {"class"}},
        url_schemes=URL_SCHEMES,
    )
    return mark_safe(html)  # noqa: S308 - sanitised by nh3 just above; the only spans are the marks' own


def _split(line: str) -> tuple[bool, str, str]:
    """(is a heading, the block marker kept outside the marks, the text to compare)."""
    heading = _HEADING.match(line)
    if heading:
        return True, "", line[heading.end() :]
    prefix = _BLOCK_PREFIX.match(line)
    return False, prefix.group(0) if prefix else "", line[prefix.end() :] if prefix else line


def _side(line: str, pieces: list[Piece] | None, *, tag: str, label: str) -> tuple[SafeString, bool]:
    heading, prefix, text = _split(line)
    marked = _with_marks(pieces) if pieces is not None else text
    return _render_marked(prefix + marked, heading=heading, tag=tag, label=label), heading


def marked_rows(rows: list[DiffRow]) -> list[MarkedRow]:
    """The comparison rows rendered for the page: the same Markdown subset as the codex's own pages, a changed
    line with its removed words in ``<del>`` and its added words in ``<ins>``, a line removed or added marked
    whole. Each mark starts with hidden text ("removed:", "added:") for screen readers."""
    removed, added = _("removed:"), _("added:")
    out = []
    for row in rows:
        old = _strip_marks(row.old) if row.old is not None else None
        new = _strip_marks(row.new) if row.new is not None else None
        old_pieces = new_pieces = None
        if row.kind == "changed":
            old_split, new_split = _split(old), _split(new)
            if old_split[:2] == new_split[:2]:
                old_pieces, new_pieces = word_diff(old_split[2], new_split[2])
            else:  # the line changed its kind (a list item became a paragraph): mark all of it
                old_pieces, new_pieces = [Piece(old_split[2], True)], [Piece(new_split[2], True)]
        elif row.kind == "removed":
            old_pieces = [Piece(_split(old)[2], True)]
        elif row.kind == "added":
            new_pieces = [Piece(_split(new)[2], True)]
        old_html, old_heading = _side(old, old_pieces, tag="del", label=removed) if old is not None else (None, False)
        new_html, new_heading = _side(new, new_pieces, tag="ins", label=added) if new is not None else (None, False)
        out.append(MarkedRow(row.kind, old_html, new_html, old_heading, new_heading))
    return out
