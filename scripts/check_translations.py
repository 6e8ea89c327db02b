"""Fail when a user-facing string is not translated into Danish or the .mo is stale.

1. Extract the messages afresh (in a scratch copy) and check that every msgid is in
   locale/da/LC_MESSAGES/django.po (msgcmp).
2. No entry may be untranslated or fuzzy.
3. The committed .mo must be what msgfmt builds from the committed .po.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "da" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
IGNORE = shutil.ignore_patterns(".venv", "var", ".git", "staticfiles", "test-artifacts", "*.pyc", "__pycache__")


def run(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)  # noqa: S603


def main() -> int:
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "repo"
        shutil.copytree(ROOT, copy, ignore=IGNORE, symlinks=True)
        fresh_po = copy / "locale" / "da" / "LC_MESSAGES" / "django.po"
        fresh_po.unlink(missing_ok=True)
        result = run(
            sys.executable, "manage.py", "makemessages", "-l", "da", "--ignore=tests/*", "--no-obsolete", cwd=copy
        )
        if result.returncode:
            print(result.stdout, result.stderr)
            return 1
        cmp = run("msgcmp", "--use-untranslated", str(PO), str(fresh_po))
        if cmp.returncode:
            problems.append("Strings missing from locale/da (run `make messages` and translate):\n" + cmp.stderr)
    untranslated = run("msgattrib", "--untranslated", "--no-obsolete", str(PO)).stdout
    if "msgid" in untranslated.replace('msgid ""\nmsgstr ""', "", 1):
        problems.append("Untranslated entries in django.po:\n" + untranslated[:4000])
    fuzzy = run("msgattrib", "--only-fuzzy", "--no-obsolete", str(PO)).stdout
    if "msgid" in fuzzy:
        problems.append("Fuzzy entries in django.po:\n" + fuzzy[:4000])
    with tempfile.TemporaryDirectory() as tmp:
        built = Path(tmp) / "django.mo"
        fmt = run("msgfmt", "--check", "-o", str(built), str(PO))
        if fmt.returncode:
            problems.append("msgfmt failed:\n" + fmt.stderr)
        elif not MO.exists() or built.read_bytes() != MO.read_bytes():
            problems.append("locale/da/LC_MESSAGES/django.mo is stale: run `make messages` and commit it.")
    for problem in problems:
        print(problem)
    if not problems:
        print("Danish translations complete and compiled.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
