"""The pure modules: fingerprint, chain, diff and safe formatting. No database."""

from codex import chain, diff
from codex.fingerprint import CodexText, Principle, Section, canonical_bytes, text_fingerprint, text_lines
from codex.formatting import render_markdown


def make_text(**changes):
    data = {
        "number": 1,
        "title": "Kodeks for tillid",
        "introduction": "Spillereglerne.",
        "sections": (Section("Politikerne sætter rammerne", (Principle("Mål", "Politikerne sætter mål."),)),),
        "values": ("Sandhed", "Faglighed"),
    }
    data.update(changes)
    return CodexText(**data)


def test_fingerprint_is_sha256_hex():
    value = text_fingerprint(make_text())
    assert len(value) == 64
    assert int(value, 16) >= 0


def test_same_text_gives_same_fingerprint():
    assert text_fingerprint(make_text()) == text_fingerprint(make_text())


def test_line_endings_and_trailing_spaces_do_not_change_the_fingerprint():
    assert text_fingerprint(make_text(introduction="Spillereglerne.  \r\n")) == text_fingerprint(make_text())


def test_one_changed_word_changes_the_fingerprint():
    tampered = make_text(sections=(Section("Politikerne sætter rammerne", (Principle("Mål", "Politikerne styrer."),)),))
    assert text_fingerprint(tampered) != text_fingerprint(make_text())


def test_reordered_values_change_the_fingerprint():
    assert text_fingerprint(make_text(values=("Faglighed", "Sandhed"))) != text_fingerprint(make_text())


def test_canonical_json_sorts_keys_and_keeps_danish_letters():
    assert canonical_bytes({"b": "æ", "a": 1}) == '{"a":1,"b":"æ"}'.encode()


def _entries(n):
    entries, previous = [], chain.GENESIS_HASH
    for i in range(1, n + 1):
        fields = {"kind": "sign", "person": i, "typed_name": f"Person {i}"}
        digest = chain.entry_hash(previous, fields)
        entries.append(chain.ChainEntry(i, fields, previous, digest))
        previous = digest
    return entries


def test_an_untouched_chain_holds():
    assert chain.verify_chain(_entries(4)) == []


def test_an_edited_entry_breaks_the_chain_at_that_entry():
    entries = _entries(3)
    edited = chain.ChainEntry(
        2, {**entries[1].fields, "typed_name": "Someone else"}, entries[1].previous_hash, entries[1].entry_hash
    )
    assert chain.verify_chain([entries[0], edited, entries[2]]) == [chain.ChainBreak(2, "hash")]


def test_a_removed_entry_breaks_the_link_of_the_next():
    entries = _entries(3)
    assert chain.verify_chain([entries[0], entries[2]]) == [chain.ChainBreak(3, "link")]


def test_entry_hash_covers_the_previous_hash():
    assert chain.entry_hash("a" * 64, {"x": 1}) != chain.entry_hash("b" * 64, {"x": 1})


def test_side_by_side_marks_changed_added_and_removed_lines():
    rows = diff.side_by_side(["a", "b", "c"], ["a", "B", "c", "d"])
    assert [(r.kind, r.old, r.new) for r in rows] == [
        ("same", "a", "a"),
        ("changed", "b", "B"),
        ("same", "c", "c"),
        ("added", None, "d"),
    ]
    assert diff.has_changes(rows)
    assert not diff.has_changes(diff.side_by_side(["a"], ["a"]))


def test_text_lines_list_sections_principles_and_values():
    lines = text_lines(make_text())
    assert "## Politikerne sætter rammerne" in lines
    assert "- Faglighed" in lines


def test_markdown_is_rendered_and_script_is_removed():
    html = render_markdown("*tillid* <script>alert('x')</script> [link](javascript:alert(1))")
    assert "<em>tillid</em>" in html
    assert "<script" not in html
    assert "alert(" not in html
    assert "javascript:" not in html


def test_raw_html_attributes_are_stripped():
    html = render_markdown('<p onclick="steal()">Hej</p><img src=x onerror=alert(1)>')
    assert "onclick" not in html
    assert "<img" not in html
    assert "Hej" in html
