"""The canonical text and its fingerprint: pure, stable, sensitive to every word."""

from agreements import fingerprint as fp


def text(**changes):
    goal = fp.GoalText(title="Flere børn trives", kind="own", indicator="Trivselsmålingen", target="85 %")
    base = {
        "workplace": "Solsikken",
        "committee": "Børne- og Ungeudvalget",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "core_task": "Tryg hverdag.",
        "goals": (goal,),
    }
    base.update(changes)
    return fp.AgreementText(**base)


def test_the_fingerprint_is_64_hex_characters_and_stable():
    first = fp.text_fingerprint(text())
    assert len(first) == 64 and int(first, 16) >= 0
    assert fp.text_fingerprint(text()) == first


def test_line_endings_and_trailing_spaces_do_not_change_it():
    assert fp.text_fingerprint(text(core_task="Tryg\r\nhverdag.  ")) == fp.text_fingerprint(
        text(core_task="Tryg\nhverdag.")
    )


def test_any_changed_word_changes_it():
    base = fp.text_fingerprint(text())
    assert fp.text_fingerprint(text(core_task="Tryg dag.")) != base
    assert fp.text_fingerprint(text(period_end="2026-12-30")) != base
    goal = fp.GoalText(title="Flere børn trives", kind="own", indicator="Trivselsmålingen", target="90 %")
    assert fp.text_fingerprint(text(goals=(goal,))) != base


def test_the_order_of_goals_matters():
    a = fp.GoalText(title="A", kind="own", indicator="x")
    b = fp.GoalText(title="B", kind="own", indicator="y")
    assert fp.text_fingerprint(text(goals=(a, b))) != fp.text_fingerprint(text(goals=(b, a)))


def test_a_stored_canonical_dict_fingerprints_the_same_as_the_text():
    data = fp.canonical_dict(text())
    assert fp.fingerprint_of_canonical(data) == fp.text_fingerprint(text())
    assert data["scheme"] == fp.FINGERPRINT_SCHEME


def test_text_lines_show_every_field_for_the_diff():
    labels = {k: k.upper() for k in ("period", "core_task", "goals", "support", "follow_up_plan", "shared")}
    labels |= {k: k.upper() for k in ("baseline", "aim", "indicator", "actions", "evaluation", "target", "milestones")}
    lines = fp.text_lines(fp.canonical_dict(text()), labels)
    assert "### 1. Flere børn trives" in lines
    assert "TARGET:" in lines and "85 %" in lines


def test_changes_only_keeps_the_changed_rows_under_their_heading():
    from codex.diff import side_by_side

    old = ["# A", "same", "## B", "one", "two", "## C", "three"]
    new = ["# A", "same", "## B", "one", "TWO", "## C", "three"]
    rows = fp.changes_only(side_by_side(old, new))
    assert [(r.kind, r.old, r.new) for r in rows] == [("same", "## B", "## B"), ("changed", "two", "TWO")]
