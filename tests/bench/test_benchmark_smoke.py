"""The benchmark still works: a seconds-long run at small scale, on the database the tests use.

It asserts what the benchmark exists to show, not how fast this machine is: every key page answers, query counts
are the same at 1× and 10× the data, the contention drill books exactly one politician per place with no server
errors, the rotation planner reaches the best possible spread, and a real Celery worker delivers what is queued.

Each part is only as large as it takes to prove it works (``manage.py benchmark --smoke``, docs/benchmark.md): query
counts at both scales, CPU figures at the larger one, wrk on the floors and one key page, 20 politicians racing for
10 places, 300 meetings and 20 notices through Celery.

It also compares the run with the last published one (``docs/benchmark/results.json``) and fails when a key page
runs more queries than published, or when its server CPU per request, as a multiple of the bare anonymous view's
measured in the same run, is more than ``CPU_MARGIN`` times the published multiple.

Why a margin of 3×: the smoke run measures 2 short rounds (0.3 s a page) on a small municipality, on a CI machine that
is often busy. CPU time is charged per process, so the multiple moves with the machine far less than latency does, but
it is not free of noise: in one smoke run on the shared 2-core build machine (load average about 4), single batches of
the anonymous floor ranged 0.56–1.73 ms and the floor's median differed 1.36× between the two scales of the same run
(the floor costs under 1 ms, so a few slow requests move it). 3× stays well clear of that and still catches what
matters: a page that starts rendering an included template per row or loading thousands of objects again costs several
times more. A page published within the target (10× the floor) is allowed 3× the target: the few milliseconds of a
cached page are the floor's own noise (a feed at 5× published measured 17.6× in a smoke run beside other work), and a
lost cache puts it far above 30× again. The smoke data is smaller than the published 1× data, so a page is not expected
to cost more here than there; a new key page not yet published is not compared. When only PostgreSQL was published, a
smoke run on SQLite is compared with it (the worker's CPU against the worker's plus the backend's: within the margin).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dialog_portal.bench.runner import TARGET_CPU_X_FLOOR

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = ROOT / "docs" / "benchmark" / "results.json"
CPU_MARGIN = 3.0

pytestmark = pytest.mark.benchmark_smoke


def published_backend(backend: str) -> dict:
    """The published figures of ``backend``, or of the other backend when that one was not published."""
    report = json.loads(PUBLISHED.read_text(encoding="utf-8"))
    backends = {name: data for name, data in report["backends"].items() if "cpu" in data}
    assert backends, "docs/benchmark/results.json has no CPU figures: publish a run (manage.py benchmark --publish)"
    return backends.get(backend) or next(iter(backends.values()))


def cpu_multiples(data: dict, scale: str) -> dict[str, float]:
    """Each page's median CPU per request over the median of all anonymous-floor batches of the same rounds."""
    figures = data["cpu"][scale]
    floor = figures["floors"]["anonymous"]["cpu_ms"]["p50"]
    return {page["page"]: page["cpu_ms"]["p50"] / floor for page in figures["pages"]}


def regressions(smoke: dict, published: dict) -> list[str]:
    """What the smoke run shows worse than the published run, beyond the margins."""
    found = []
    counts = {row["page"]: max(row["queries_1x"] or 0, row["queries_10x"] or 0) for row in published["queries"]}
    for row in smoke["queries"]:
        limit = counts.get(row["page"])
        measured = max(row["queries_1x"] or 0, row["queries_10x"] or 0)
        if limit is not None and measured > limit:
            found.append(f"{row['page']}: {measured} queries, published {limit}")
    baseline = cpu_multiples(published, "1x" if "1x" in published["cpu"] else "10x")
    for page, multiple in cpu_multiples(smoke, list(smoke["cpu"])[-1]).items():
        # A page published within the target is held to the margin over the target, not over its own tiny
        # multiple: a page cached to 5× the floor measures 15× when a few of the floor's requests run fast.
        if page in baseline and multiple > CPU_MARGIN * max(baseline[page], TARGET_CPU_X_FLOOR):
            found.append(f"{page}: {multiple:.1f}× the floor's CPU, published {baseline[page]:.1f}×")
    return found


def test_regressions_compares_query_counts_and_cpu_multiples_with_the_published_run():
    def data(queries: int, page_ms: float) -> dict:
        floors = {"anonymous": {"cpu_ms": {"p50": 1.0}}}
        return {
            "queries": [{"page": "p", "queries_1x": queries, "queries_10x": queries}],
            "cpu": {"1x": {"floors": floors, "pages": [{"page": "p", "cpu_ms": {"p50": page_ms}}]}},
        }

    published = data(queries=5, page_ms=10)
    assert regressions(data(queries=5, page_ms=29), published) == []
    assert regressions(data(queries=4, page_ms=5), published) == []
    assert regressions(data(queries=6, page_ms=10), published) == ["p: 6 queries, published 5"]
    assert regressions(data(queries=5, page_ms=31), published) == ["p: 31.0× the floor's CPU, published 10.0×"]
    # A page published well within the target (here 4×) may measure up to 3× the target, not 3× its own 4×.
    cached = data(queries=0, page_ms=4)
    assert regressions(data(queries=0, page_ms=18), cached) == []
    assert regressions(data(queries=0, page_ms=31), cached) == ["p: 31.0× the floor's CPU, published 4.0×"]


def test_a_smoke_run_measured_at_10x_only_is_compared_with_the_published_1x_multiples():
    def scale(page_ms: float, floor_ms: float = 1.0) -> dict:
        return {
            "floors": {"anonymous": {"cpu_ms": {"p50": floor_ms}}},
            "pages": [{"page": "p", "cpu_ms": {"p50": page_ms}}],
        }

    published = {"queries": [], "cpu": {"1x": scale(10), "10x": scale(100)}}
    assert regressions({"queries": [], "cpu": {"10x": scale(29)}}, published) == []
    assert regressions({"queries": [], "cpu": {"10x": scale(62, floor_ms=2.0)}}, published) == [
        "p: 31.0× the floor's CPU, published 10.0×"
    ]
    # A page the published run does not have is not compared; one whose queries grew is, at either scale.
    smoke = {"queries": [{"page": "p", "queries_1x": 7, "queries_10x": 5}], "cpu": {"10x": scale(5)}}
    smoke["cpu"]["10x"]["pages"].append({"page": "new", "cpu_ms": {"p50": 500}})
    published["queries"] = [{"page": "p", "queries_1x": 6, "queries_10x": 6}]
    assert regressions(smoke, published) == ["p: 7 queries, published 6"]


def test_published_results_have_both_floors_and_every_key_page():
    from dialog_portal.bench.pages import KEY_PAGES

    data = published_backend("postgresql")
    for figures in data["cpu"].values():
        assert set(figures["floors"]) == {"anonymous", "signed_in"}
        assert {p["page"] for p in figures["pages"]} <= {p.name for p in KEY_PAGES}
    assert (ROOT / "docs" / "benchmark" / "README.md").exists()


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

    # The headline: server CPU per request of both floors and every page, every answer a 200, at both scales side by
    # side (each on its own worker and cache prefix), with each page's growth taken round by round.
    assert set(data["cpu"]) == {"1x", "10x"}
    assert set(data["growth"]) == {page["page"] for page in data["cpu"]["10x"]["pages"]}
    for page, growth in data["growth"].items():
        assert 0 < growth["warm"]["min"] <= growth["warm"]["p50"] <= growth["warm"]["max"], page
        if backend == "postgresql":
            assert growth["anew"]["p50"] > 0, page
    for figures in data["cpu"].values():
        assert figures["rounds"] == 2
        for floor in figures["floors"].values():
            assert floor["non_200"] == 0 and floor["cpu_ms"]["p50"] > 0, floor
        assert len(figures["pages"]) == len(data["queries"])
        for page in figures["pages"]:
            assert page["non_200"] == 0 and page["requests"] >= 2 * 3, page
            assert page["cpu_ms"]["min"] <= page["cpu_ms"]["p50"] <= page["cpu_ms"]["max"], page
            if backend == "postgresql":  # with Redis: the page also measured built anew, its kept parts let go
                assert page["anew"]["cpu_ms"]["p50"] > 0 and page["anew"]["x_floor"]["p50"] > 0, page
    assert regressions(data, published_backend(backend)) == []
    assert "profile" not in data  # the profile of the pages that miss the CPU target is off in --smoke (CI)

    contention = data["contention"]
    assert contention["politicians"] == 20 and contention["places"] == 10  # more politicians than places: a race
    assert contention["attempts"] == 20 * 10
    assert contention["bookings_in_database"] == 10
    assert contention["answered_booked"] == 10
    assert contention["server_errors"] == 0
    assert contention["slots_over_capacity"] == 0
    assert contention["politicians_with_two"] == 0

    # Celery: the plan is published with its invitations, and a real worker delivers every notice queued.
    celery = data["celery"]
    assert celery["publish"]["meetings"] == 300 and celery["publish"]["invitations"] > 0, celery["publish"]
    assert celery["queue"]["handed_to_broker"] == celery["worker"]["delivered"] == 20, celery

    rotation = report["rotation"]
    assert rotation["municipality"]["at_best_spread"]
    assert rotation["ten_years"]["always_at_best"]
