"""Fill empty msgstr entries of locale/da/LC_MESSAGES/django.po from a JSON file and compile.

Usage: python scripts/fill_translations.py translations.json
The JSON maps an English msgid to its Danish text, or for plurals to a list [singular, plural].
The .po stays the source of truth; this only saves typing when many strings arrive at once.
"""

import json
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale" / "da" / "LC_MESSAGES" / "django.po"


def main(path: str) -> int:
    table = json.loads(Path(path).read_text(encoding="utf-8"))
    po = polib.pofile(str(PO), wrapwidth=79)
    filled = 0
    for entry in po:
        if entry.obsolete or entry.msgid not in table:
            continue
        value = table[entry.msgid]
        if entry.msgid_plural:
            forms = value if isinstance(value, list) else [value, value]
            entry.msgstr_plural = {0: forms[0], 1: forms[1]}
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        filled += 1
    po.metadata_is_fuzzy = False
    po.metadata["Language"] = "da"
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save()
    missing = [e.msgid for e in po.untranslated_entries()]
    print(f"filled {filled}; untranslated {len(missing)}")
    for msgid in missing:
        print("  -", msgid[:100])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
