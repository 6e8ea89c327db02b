"""The pure modules: fingerprint, chain, diff and safe formatting. No database."""

from codex import diff
from codex.fingerprint import CodexText, Principle, Section, text_fingerprint, text_lines
from codex.formatting import render_markdown
from core import chain
from core.fingerprint import canonical_bytes


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


KEY = b"test-chain-key"
KEYS = {chain.key_id(KEY): KEY}


def _entries(n, key=KEY):
    entries, previous = [], chain.GENESIS_HASH
    for i in range(1, n + 1):
        fields = {"kind": "sign", "person": i, "typed_name": f"Person {i}"}
        digest = chain.entry_hash(previous, fields, key)
        entries.append(chain.ChainEntry(i, fields, previous, digest, chain.key_id(key)))
        previous = digest
    return entries


def test_an_untouched_chain_holds():
    assert chain.verify_chain(_entries(4), KEYS) == []


def test_an_edited_entry_breaks_the_chain_at_that_entry():
    entries = _entries(3)
    edited = chain.ChainEntry(
        2,
        {**entries[1].fields, "typed_name": "Someone else"},
        entries[1].previous_hash,
        entries[1].entry_hash,
        entries[1].key_id,
    )
    assert chain.verify_chain([entries[0], edited, entries[2]], KEYS) == [chain.ChainBreak(2, "hash")]


def test_a_removed_entry_breaks_the_link_of_the_next():
    entries = _entries(3)
    assert chain.verify_chain([entries[0], entries[2]], KEYS) == [chain.ChainBreak(3, "link")]


def test_entry_hash_covers_the_previous_hash():
    assert chain.entry_hash("a" * 64, {"x": 1}, KEY) != chain.entry_hash("b" * 64, {"x": 1}, KEY)


def test_a_chain_recomputed_without_the_key_does_not_verify():
    forged = _entries(3, key=b"a guess")
    forged = [chain.ChainEntry(e.id, e.fields, e.previous_hash, e.entry_hash, chain.key_id(KEY)) for e in forged]
    assert chain.verify_chain(forged, KEYS) == [chain.ChainBreak(n, "hash") for n in (1, 2, 3)]


def test_a_chain_recomputed_with_plain_sha256_does_not_verify():
    previous, forged = chain.GENESIS_HASH, []
    for entry in _entries(2):
        digest = chain.unkeyed_entry_hash(previous, entry.fields)
        forged.append(chain.ChainEntry(entry.id, entry.fields, previous, digest, entry.key_id))
        previous = digest
    assert [b.reason for b in chain.verify_chain(forged, KEYS)] == ["hash", "hash"]


def test_an_entry_naming_an_unknown_key_is_a_break_of_its_own():
    assert chain.verify_chain(_entries(1, key=b"old key"), KEYS) == [chain.ChainBreak(1, "key")]


def test_entries_written_under_an_old_key_verify_while_that_key_is_known():
    old, new = b"old key", b"new key"
    first = _entries(1, key=old)[0]
    fields = {"kind": "sign", "person": 2}
    second = chain.ChainEntry(
        2, fields, first.entry_hash, chain.entry_hash(first.entry_hash, fields, new), chain.key_id(new)
    )
    keys = {chain.key_id(old): old, chain.key_id(new): new}
    assert chain.verify_chain([first, second], keys) == []


def test_the_key_id_names_a_key_without_revealing_it():
    assert chain.key_id(KEY) == chain.key_id(KEY) != chain.key_id(b"other")
    assert len(chain.key_id(KEY)) == 16 and KEY.hex() not in chain.key_id(KEY)


def test_the_anchor_names_entries_cut_off_the_end():
    anchor = chain.Anchor("audit", 7, "h7")
    assert chain.anchor_check(anchor, entries=4, hash_at_seq=None) == chain.AnchorBreak("truncated", 5, 7)


def test_the_anchor_catches_a_recomputed_chain_and_accepts_a_database_ahead_of_it():
    anchor = chain.Anchor("audit", 3, "h3")
    assert chain.anchor_check(anchor, entries=3, hash_at_seq="other") == chain.AnchorBreak("rewritten", 3, 3)
    assert chain.anchor_check(anchor, entries=9, hash_at_seq="h3") is None
    assert chain.anchor_check(None, entries=9, hash_at_seq=None) is None


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
