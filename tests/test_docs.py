"""The README and the pages in docs/ link to each other: every relative link and every #anchor must lead somewhere.

Links are read as GitHub renders them: ``[text](target)`` outside code, anchors made from headings the way GitHub
makes them (lower case, punctuation dropped, spaces to hyphens, ``-1``, ``-2`` … for repeated headings).
"""

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])

# Pages another branch of the same round writes; a link to one is allowed until it lands. Remove the entry once the
# page is on main (the link is then checked like every other).
WRITTEN_ELSEWHERE: set[str] = set()

FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
LINK = re.compile(r"(?<!\\)!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
HTML_ID = re.compile(r"<a\s[^>]*\b(?:id|name)=\"([^\"]+)\"", re.IGNORECASE)


def _without_code(text: str) -> str:
    return CODE_SPAN.sub("", FENCE.sub("", text))


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: links and markup dropped, lower case, only letters, digits, spaces, - and _
    kept (so ``*`` of emphasis goes, the ``_`` inside a setting's name stays)."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link keeps its text
    text = re.sub(r"<[^>]+>", "", text).replace("`", "")
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    seen: dict[str, int] = {}
    found = set(HTML_ID.findall(text))
    for _hashes, title in HEADING.findall(text):
        slug = github_slug(title)
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def links(path: Path) -> list[str]:
    return LINK.findall(_without_code(path.read_text(encoding="utf-8")))


def broken_links(path: Path) -> list[str]:
    broken = []
    for target in links(path):
        if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
            continue  # external (https:, mailto:) or empty
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / unquote(file_part)).resolve() if file_part else path
        shown = f"{path.relative_to(ROOT)} → {target}"
        if not linked.is_relative_to(ROOT):
            broken.append(f"{shown}: outside the repository")
            continue
        relative = linked.relative_to(ROOT).as_posix()
        if not linked.exists():
            if relative not in WRITTEN_ELSEWHERE:
                broken.append(f"{shown}: no such file")
            continue
        if anchor:
            if linked.suffix != ".md":
                broken.append(f"{shown}: an anchor into a file that is not Markdown")
            elif unquote(anchor) not in anchors(linked):
                broken.append(f"{shown}: no heading makes #{anchor}")
    return broken


def test_the_readme_and_every_docs_page_are_checked():
    names = {page.relative_to(ROOT).as_posix() for page in PAGES}
    assert "README.md" in names
    assert "docs/README.md" in names


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.relative_to(ROOT).as_posix())
def test_every_relative_link_and_anchor_of_the_page_resolves(page):
    assert broken_links(page) == []


def test_every_docs_page_is_reachable_from_the_docs_index():
    index = ROOT / "docs" / "README.md"
    linked = {(index.parent / target.partition("#")[0]).resolve() for target in links(index)}
    pages = {page.resolve() for page in (ROOT / "docs").rglob("*.md") if page != index}
    assert sorted(str(page.relative_to(ROOT)) for page in pages - linked) == []


def test_the_readme_links_to_the_docs_index():
    assert "docs/README.md" in links(ROOT / "README.md")


def import_columns_in_docs() -> dict[str, list[tuple[str, bool]]]:
    """Each file's table in docs/import.md as (column, required) rows, in the order written."""
    text = (ROOT / "docs" / "import.md").read_text(encoding="utf-8")
    tables: dict[str, list[tuple[str, bool]]] = {}
    for section in re.split(r"^### ", text, flags=re.MULTILINE)[1:]:
        kind, _, body = section.partition("\n")
        rows = re.findall(r"^\| `([a-z_]+)` \| (yes|no) \|", body, flags=re.MULTILINE)
        tables[kind.strip()] = [(name, required == "yes") for name, required in rows]
    return tables


def test_the_import_columns_in_the_docs_are_the_ones_the_import_reads():
    from meetings.imports import COLUMNS

    expected = {kind: [(column.name, column.required) for column in columns] for kind, columns in COLUMNS.items()}
    assert import_columns_in_docs() == expected


def test_every_setting_the_portal_reads_is_documented_in_the_settings_page():
    source = (ROOT / "dialog_portal" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'\b(?:env|Env\(\))\.[a-z_]+\(\s*"([A-Z][A-Z0-9_]+)"', source))
    assert {"DJANGO_DEBUG", "DATABASE_URL", "DIALOG_VAR_DIR"} <= read  # the pattern finds them
    settings_page = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert sorted(name for name in read if f"`{name}`" not in settings_page) == []


def test_every_management_command_is_in_the_commands_page():
    commands = {path.stem for path in ROOT.glob("*/management/commands/*.py") if not path.stem.startswith("_")}
    assert "seed_demo" in commands
    page = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    assert sorted(name for name in commands if f"manage.py {name}" not in page) == []


def test_every_scheduled_job_is_in_the_commands_page(settings):
    page = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    jobs = page.partition("## Scheduled jobs")[2]
    assert sorted(name for name in settings.CELERY_BEAT_SCHEDULE if f"| `{name}` |" not in jobs) == []


@pytest.mark.parametrize(
    ("heading", "slug"),
    [
        ("The hash chains", "the-hash-chains"),
        ("Targets: met and missed", "targets-met-and-missed"),
        ("`DIALOG_CHAIN_KEY` and friends", "dialog_chain_key-and-friends"),
        ("Why a file is refused", "why-a-file-is-refused"),
        ("Ældre – og sundhed", "ældre--og-sundhed"),
        ("[Settings](settings.md) in short", "settings-in-short"),
    ],
)
def test_anchors_are_made_from_headings_as_github_makes_them(heading, slug):
    assert github_slug(heading) == slug


def test_a_link_to_a_missing_file_or_heading_is_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    (tmp_path / "docs").mkdir()
    page = tmp_path / "docs" / "a.md"
    (tmp_path / "docs" / "b.md").write_text("# Title\n\n## Twice\n\n## Twice\n", encoding="utf-8")
    page.write_text(
        "# A\n\n[ok](b.md#title) [again](b.md#twice-1) [self](#a) [web](https://example.org/x#y)\n"
        "`[in code](nowhere.md)`\n\n```\n[fenced](nowhere.md)\n```\n"
        "[gone](c.md) [no heading](b.md#nothing) [up](../../etc/passwd)\n",
        encoding="utf-8",
    )
    assert broken_links(page) == [
        "docs/a.md → c.md: no such file",
        "docs/a.md → b.md#nothing: no heading makes #nothing",
        "docs/a.md → ../../etc/passwd: outside the repository",
    ]
