"""Figures the drills report (faults survived, inputs tried, matrix size), merged into var/drills/figures.json.

The README's hardening section quotes the last run; `python scripts/drill_figures.py` prints them as a table.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

FIGURES = (
    Path(os.environ.get("DIALOG_VAR_DIR", Path(__file__).resolve().parents[2] / "var")) / "drills" / "figures.json"
)


def record(name: str, **figures) -> None:
    """Merge one drill's figures under its name (the last run of a drill wins)."""
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    current = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
    current[name] = figures
    FIGURES.write_text(json.dumps(current, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
