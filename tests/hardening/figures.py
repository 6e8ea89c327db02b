"""Figures the drills produce, for the README: ``record("permission_matrix", urls=86, cells=1_376)``.

Each drill's figures are merged into ``var/drills/figures.json`` under its name and also written on their own to
``var/drills/<name>.json``. ``var/`` is not in git: the files describe the last run on this machine. The test
processes run side by side (pytest-xdist): each merge holds a lock on the folder, so neither loses the other's
figures.
"""

import datetime as dt
import fcntl
import json
from pathlib import Path

DRILLS_DIR = Path(__file__).resolve().parents[2] / "var" / "drills"


def record(name: str, **figures) -> dict:
    """Merge ``figures`` into the named drill's entry (with the time of the run) and return the entry."""
    DRILLS_DIR.mkdir(parents=True, exist_ok=True)
    path = DRILLS_DIR / "figures.json"
    with (DRILLS_DIR / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            every = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            every = {}
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        entry = {**every.get(name, {}), **figures, "recorded_at": now}
        every[name] = entry
        _write(path, every)
        _write(DRILLS_DIR / f"{name}.json", entry)
    return entry


def _write(path: Path, data: dict) -> None:
    # Write then rename, so a reader never sees half a file.
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
