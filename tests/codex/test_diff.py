"""The codex comparison (issue 21): the changed words within a line are found purely, and the page's rows render
the codex's Markdown safely with the removed and added words marked for the eye and the screen reader."""

import re

from django.utils import translation

from codex.diff import DiffRow, Piece, side_by_side, word_diff
from codex.formatting import marked_rows


def test_only_the_changed_words_are_marked_and_the_pieces_join_to_each_side():
    old, new = word_diff("Politikerne beslutter de overordnede mål.", "Politikerne sætter de klare mål.")
    assert "".join(p.text for p in old) == "Politikerne beslutter de overordnede mål."
    assert "".join(p.text for p in new) == "Politikerne sætter de klare mål."
    assert [p.text for p in old if p.changed] == ["beslutter", "overordnede"]
    assert [p.text for p in new if p.changed] == ["sætter", "klare"]


def test_a_stretch_of_changed_words_is_one_mark_without_the_spaces_around_it():
    old, new = word_diff("Vi mødes hver uge", "Vi mødes hver anden uge om tirsdagen")
    assert old == [Piece("Vi mødes hver uge", False)]
    assert [p for p in new if p.changed] == [Piece("anden", True), Piece("om tirsdagen", True)]
    assert new[0] == Piece("Vi mødes hver ", False)


def test_identical_lines_have_no_marks():
    old, new = word_diff("Tillid er en gave.", "Tillid er en gave.")
    assert not any(p.changed for p in old + new)


def _row(old, new, kind="changed"):
    with translation.override("da"):
        [row] = marked_rows([DiffRow(kind, old, new)])
    return row


def test_a_changed_line_is_rendered_as_markdown_with_its_words_marked():
    row = _row("Vi **lytter** til hinanden.", "Vi **lytter** altid til hinanden.")
    assert "**" not in row.new and "<strong>lytter</strong>" in row.new
    assert '<ins><span class="visually-hidden">tilføjet: </span>altid</ins>' in row.new
    assert "<del>" not in row.old and "<ins>" not in row.old


def test_the_marks_are_named_for_screen_readers_in_danish():
    row = _row("Ledere har ansvaret.", "Ledere deler ansvaret.")
    assert '<del><span class="visually-hidden">slettet: </span>har</del>' in row.old
    assert '<ins><span class="visually-hidden">tilføjet: </span>deler</ins>' in row.new


def test_a_list_item_stays_a_list_item_when_its_words_change():
    row = _row("- Vi taler med hinanden", "- Vi taler pænt med hinanden")
    assert row.new.startswith("<ul>\n<li>") and "pænt</ins>" in row.new


def test_a_heading_line_is_shown_bold_without_its_hashes():
    row = _row("## Godt samarbejde", "## Godt og tæt samarbejde")
    assert row.new_heading and row.new.startswith("<strong>") and "#" not in row.new
    assert "og tæt</ins>" in row.new


def test_a_line_removed_or_added_is_marked_whole():
    removed = _row("Et gammelt afsnit.", None, kind="removed")
    added = _row(None, "Et nyt *afsnit*.", kind="added")
    assert removed.new is None and removed.old.count("<del>") == 1 and "Et gammelt afsnit." in removed.old
    assert added.old is None and "<ins>" in added.new and "<em>afsnit</em>" in added.new


def test_html_and_scripts_in_the_text_never_reach_the_page_even_inside_a_mark():
    row = _row(
        "Klik <a href='javascript:alert(1)' onclick='x()'>her</a>",
        'Klik <script>alert(1)</script> <span class="btn">her</span> [link](javascript:alert(2))',
    )
    for html in (row.old, row.new):
        tags = re.findall(r"<[a-z]+[^>]*>", html)
        assert not [t for t in tags if "script" in t or "javascript" in t or "onclick" in t or "btn" in t], tags
        assert html.count('class="visually-hidden"') == html.count("<ins>") + html.count("<del>")
    same = _row("<script>alert(1)</script> [her](javascript:alert(2))", "x", kind="same")
    assert "<script" not in same.old and "javascript" not in same.old


def test_a_mark_that_crosses_bold_text_still_gives_well_formed_html():
    row = _row("Vi **lytter altid** til hinanden.", "Vi **hører ofte** på hinanden.")
    assert row.new.count("<ins>") == row.new.count("</ins>")
    assert row.new.count("<strong>") == row.new.count("</strong>")


def test_private_use_characters_in_the_text_cannot_forge_a_mark():
    row = _row("Tekst \ue000uden\ue001 mærker.", "Tekst \ue000uden\ue001 mærker.", kind="same")
    assert "<del>" not in row.old and "<ins>" not in row.new and "uden" in row.new


def test_side_by_side_pairs_changed_lines_for_the_word_marks():
    rows = side_by_side(["A", "B gammel", "C"], ["A", "B ny", "C"])
    assert [r.kind for r in rows] == ["same", "changed", "same"]
