"""Print the figures of the last drill run (var/drills/figures.json, written by tests/hardening) as Markdown.

Usage: python scripts/drill_report.py [path]   — the README's "Hardening" table is this output.
"""

import json
import sys
from pathlib import Path

DEFAULT = Path(__file__).resolve().parent.parent / "var" / "drills" / "figures.json"


def _value(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def main(path: Path) -> int:
    if not path.exists():
        print(f"No figures at {path}: run the test suite first.", file=sys.stderr)
        return 1
    data = json.loads(path.read_text(encoding="utf-8"))
    print("| drill | figures of the last run |")
    print("|---|---|")
    for name in sorted(data):
        figures = {k: v for k, v in data[name].items() if k != "recorded_at"}
        print(f"| {name.replace('_', ' ')} | {_value(figures)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT))
