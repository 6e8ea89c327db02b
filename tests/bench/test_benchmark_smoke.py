"""The benchmark still works: a seconds-long run at small scale, on the database the tests use.

It asserts what the benchmark exists to show, not how fast this machine is: every key page answers, query counts
are the same at 1× and 10× the data, the contention drill books exactly one politician per place with no server
errors, and the rotation planner reaches the best possible spread.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.benchmark_smoke


def test_benchmark_smoke_run_reports_equal_query_counts_and_exact_bookings(tmp_path):
    backend = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, "manage.py", "benchmark", "--smoke", f"--backends={backend}", f"--json={out}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads(out.read_text())

    data = report["backends"][backend]
    assert "skipped" not in data
    for row in data["queries"]:
        assert row["status"] == 200, row
        assert row["equal"], row
    assert isinstance(data["pages"], list), data["pages"]
    assert all(page["non_2xx"] == 0 and page["requests"] > 0 for page in data["pages"]), data["pages"]

    contention = data["contention"]
    assert contention["bookings_in_database"] == 10
    assert contention["answered_booked"] == 10
    assert contention["server_errors"] == 0
    assert contention["slots_over_capacity"] == 0
    assert contention["politicians_with_two"] == 0

    rotation = report["rotation"]
    assert rotation["municipality"]["at_best_spread"]
    assert rotation["ten_years"]["always_at_best"]
