"""Figures from the drills, kept in var/drills/figures.json for the README's hardening section.

Each drill records its own named entry; a later run replaces the figures it names and keeps the rest.
"""

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings


def figures_path() -> Path:
    return Path(getattr(settings, "VAR_DIR", Path.cwd() / "var")) / "drills" / "figures.json"


def record(name: str, **figures) -> Path:
    """Merge ``figures`` into the entry ``name`` of var/drills/figures.json, with the time of the run."""
    path = figures_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        data = {}
    entry = data.get(name) if isinstance(data.get(name), dict) else {}
    entry.update(figures)
    entry["recorded_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    data[name] = entry
    # Write beside the file and rename, so a reader never sees half a file.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".figures-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=2, sort_keys=True, ensure_ascii=False)
        out.write("\n")
    os.replace(tmp, path)
    return path
