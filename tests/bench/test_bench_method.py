"""The benchmark's method: CPU read from /proc, figures with their spread, the signed-in floor, and databases and a
Redis database of its own (never someone else's dropped)."""

import json
import os
import subprocess
import sys
import time
import uuid

import pytest
import redis
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dialog_portal.bench import cpu, runner


def _own_prefix() -> str:
    """Keys of this test's own: the benchmark's Redis database may hold a running benchmark's keys and queues, which a
    test must neither read as its own nor delete."""
    return f"test_{uuid.uuid4().hex}"


def test_process_cpu_is_read_from_proc_and_grows_with_work():
    before = cpu.process_cpu_ns(os.getpid())
    started = time.process_time()
    while time.process_time() - started < 0.05:
        pass
    after = cpu.process_cpu_ns(os.getpid())
    assert before is not None and after - before >= 30_000_000  # at least 30 of the 50 ms, whatever the clock tick
    assert cpu.process_cpu_ns(2**22 + 12345) is None  # no such process


def test_the_workers_are_found_as_children_of_the_master():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        assert child.pid in cpu.child_pids(os.getpid())
    finally:
        child.kill()
        child.wait()


def test_cpu_spent_counts_a_new_process_from_zero_and_adds_the_database_backends():
    before = {"app": {1: 100, 2: 50}, "db": {7: 1_000}}
    after = {"app": {1: 300, 2: 50, 3: 40}, "db": {7: 1_500}}
    assert cpu.CpuMeter.spent(before, after, "app") == 240
    assert cpu.CpuMeter.spent(before, after, "db") == 500
    assert cpu.CpuMeter.spent({"app": {}, "db": None}, {"app": {}, "db": None}, "db") is None


def test_spread_reports_min_median_max():
    assert cpu.spread([3.0, 1.0, 2.0, None]) == {"min": 1.0, "p50": 2.0, "max": 3.0}
    assert cpu.spread([]) == {"min": None, "p50": None, "max": None}


def test_growth_is_the_median_at_10x_over_the_median_at_1x():
    def scale(ms):
        return {"pages": [{"page": "p", "cpu_ms": {"p50": ms}}]}

    assert runner.growth({"1x": scale(10.0), "10x": scale(12.0)}, "p") == 1.2
    assert runner.growth({"10x": scale(12.0)}, "p") is None


def test_growth_compares_the_multiples_of_the_floor_measured_beside_the_page_at_each_scale():
    """The machine ran a third slower in the 10× rounds (the floor too): the page did not grow."""

    def scale(ms, floor):
        return {"pages": [{"page": "p", "cpu_ms": {"p50": ms}, "x_floor": {"anonymous": {"p50": ms / floor}}}]}

    assert runner.growth({"1x": scale(6.0, 0.6), "10x": scale(9.0, 0.9)}, "p") == 1.0
    assert runner.growth({"1x": scale(6.0, 0.6), "10x": scale(9.0, 0.6)}, "p") == 1.5


@pytest.mark.django_db
def test_the_signed_in_floor_loads_session_user_and_roles_and_nothing_else(client, settings, cast):
    settings.ROOT_URLCONF = "dialog_portal.bench.urls"
    assert client.get("/bench/signed-in-floor").status_code == 302  # the anonymous are sent to sign in
    client.force_login(cast.chair)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/bench/signed-in-floor")
    assert response.status_code == 200 and response.content == b"ok"
    sql = " ".join(q["sql"] for q in captured.captured_queries).lower()
    # The session was cached when it was saved; the person and their roles (one UNION query) are read once...
    assert "django_session" not in sql and "meetings_user" in sql and "union" in sql
    assert len(captured.captured_queries) == 2
    with CaptureQueriesContext(connection) as captured:
        client.get("/bench/signed-in-floor")
    assert captured.captured_queries == []  # ...and then come from the cache (issue 19)
    assert client.get("/healthz").status_code == 200  # the portal's own URLs are all still there


def test_each_run_has_databases_of_its_own():
    url = runner._env("postgresql", "10x")["DATABASE_URL"]
    assert url.endswith(f"/dialogportal_bench_10x_{runner.RUN_ID}")
    assert len(runner.RUN_ID.rsplit("_", 1)[1]) == 6  # a random suffix beside the start time


def test_redis_database_is_its_own_and_not_0_by_default(monkeypatch):
    monkeypatch.delenv("BENCH_REDIS_URL", raising=False)
    monkeypatch.delenv("BENCH_REDIS_DB", raising=False)
    assert runner._redis_url() == ("redis://127.0.0.1:6379/15", 15)
    monkeypatch.setenv("BENCH_REDIS_DB", "11")
    assert runner._redis_url() == ("redis://127.0.0.1:6379/11", 11)
    monkeypatch.delenv("BENCH_REDIS_DB")
    monkeypatch.setenv("BENCH_REDIS_URL", "redis://cache:6380/4")
    assert runner._redis_url() == ("redis://cache:6380/4", 4)


class _Executed(list):
    """The SQL a fake PostgreSQL connection was given, and whether it was in autocommit for each statement."""

    autocommit: list[bool]


@pytest.fixture
def fake_postgres(monkeypatch) -> _Executed:
    """``psycopg2.connect`` in the runner gives a connection that only records what it is asked to execute."""
    executed = _Executed()
    executed.autocommit = []

    class Connection:
        autocommit = False

        def cursor(self):
            return self

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def execute(self, sql):
            executed.append(sql)
            executed.autocommit.append(self.autocommit)

        def close(self):
            pass

    monkeypatch.setattr(runner.psycopg2, "connect", lambda *a, **k: Connection())
    monkeypatch.setattr(runner, "CREATED_DATABASES", [])
    return executed


def test_only_the_databases_this_run_created_are_dropped_and_never_with_force(fake_postgres):
    executed = fake_postgres
    runner._fresh_database("postgresql", {"DATABASE_URL": "postgres://x@h:5432/dialogportal_bench_1x_run"})
    runner.drop_created_databases(say=lambda _m: None)
    assert executed == [
        'CREATE DATABASE "dialogportal_bench_1x_run"',
        'DROP DATABASE IF EXISTS "dialogportal_bench_1x_run"',
    ]
    assert runner.CREATED_DATABASES == []


def test_each_scale_is_a_copy_of_the_one_migrated_database(fake_postgres, tmp_path):
    executed = fake_postgres
    migrated = {"DATABASE_URL": "postgres://x@h:5432/dialogportal_bench_migrated_run"}
    runner._fresh_database("postgresql", {"DATABASE_URL": "postgres://x@h:5432/dialogportal_bench_10x_run"}, migrated)
    assert executed == ['CREATE DATABASE "dialogportal_bench_10x_run" TEMPLATE "dialogportal_bench_migrated_run"']
    assert runner.CREATED_DATABASES == ["dialogportal_bench_10x_run"]

    # SQLite: the file is copied, tables and rows with it, and the copy is a database of its own.
    import sqlite3

    source = tmp_path / "migrated.sqlite3"
    with sqlite3.connect(source) as connection:
        connection.execute("CREATE TABLE t (n INTEGER)")
        connection.execute("INSERT INTO t VALUES (1)")
    connection.close()
    target = tmp_path / "1x.sqlite3"
    target.write_text("an earlier run's file")
    runner._fresh_database("sqlite", {"DATABASE_URL": f"sqlite:///{target}"}, {"DATABASE_URL": f"sqlite:///{source}"})
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT n FROM t").fetchall() == [(1,)]
    copy.execute("INSERT INTO t VALUES (2)")
    copy.commit()
    copy.close()
    original = sqlite3.connect(source)
    assert original.execute("SELECT n FROM t").fetchall() == [(1,)]
    original.close()


# --- --profile: why a page misses the CPU target (issue 19) -----------------------------------------------------

SITE = "/venv/lib/python3.11/site-packages"


class _Stats:
    """A synthetic pstats.Stats: {(file, line, name): (primitive calls, calls, own s, cumulative s, callers)}."""

    def __init__(self, raw):
        self.stats = raw


def _synthetic_profile():
    render = (f"{SITE}/django/template/base.py", 1, "render")
    view = (str(runner.ROOT / "meetings" / "views.py"), 10, "dashboard")
    compiler = (f"{SITE}/django/db/models/sql/compiler.py", 5, "as_sql")
    queryset = (f"{SITE}/django/db/models/query.py", 5, "__iter__")
    backend = (f"{SITE}/django/db/backends/utils.py", 7, "_execute")
    execute = ("~", 0, "<method 'execute' of 'psycopg2.extensions.cursor' objects>")
    redis_read = (f"{SITE}/redis/connection.py", 9, "read_response")
    recv = ("~", 0, "<method 'recv_into' of '_socket.socket' objects>")
    gettext = (f"{SITE}/django/utils/translation/trans_real.py", 3, "gettext")
    session = (f"{SITE}/django/contrib/sessions/backends/cache.py", 3, "load")
    reverse = (f"{SITE}/django/urls/base.py", 28, "reverse")
    length = ("~", 0, "<built-in method builtins.len>")
    regex = ("/usr/lib/python3.11/re/__init__.py", 4, "sub")
    helper = (f"{SITE}/django/utils/functional.py", 2, "wrapper")
    orphan = ("/usr/lib/python3.11/copy.py", 66, "copy")
    raw = {
        render: (2, 2, 0.010, 0.030, {}),
        view: (2, 2, 0.002, 0.050, {}),
        compiler: (2, 2, 0.003, 0.003, {view: (2, 2, 0.003, 0.003)}),
        queryset: (2, 2, 0.001, 0.010, {view: (2, 2, 0.001, 0.010)}),
        backend: (2, 2, 0.001, 0.006, {queryset: (2, 2, 0.001, 0.006)}),
        execute: (2, 2, 0.005, 0.005, {backend: (2, 2, 0.005, 0.005)}),
        redis_read: (2, 2, 0.001, 0.003, {session: (2, 2, 0.001, 0.003)}),
        recv: (2, 2, 0.002, 0.002, {redis_read: (2, 2, 0.002, 0.002)}),
        gettext: (2, 2, 0.001, 0.001, {render: (2, 2, 0.001, 0.001)}),
        session: (2, 2, 0.001, 0.004, {}),
        reverse: (2, 2, 0.001, 0.001, {render: (2, 2, 0.001, 0.001)}),
        # A built-in called from a template (3 ms) and from the view (1 ms): shared in proportion.
        length: (8, 8, 0.004, 0.004, {render: (6, 6, 0.003, 0.003), view: (2, 2, 0.001, 0.001)}),
        # The standard library under a Django helper under the template: the template's, through both.
        regex: (2, 2, 0.002, 0.002, {helper: (2, 2, 0.002, 0.002)}),
        # A cycle (the helper calls itself through the regex) must not hide the template above it.
        helper: (4, 4, 0.002, 0.004, {render: (2, 2, 0.002, 0.004), regex: (2, 2, 0.0, 0.0)}),
        orphan: (2, 2, 0.002, 0.002, {}),  # nobody classified called it
    }
    return _Stats(raw)


def test_profile_buckets_classify_own_time_and_give_the_rest_to_callers():
    from dialog_portal.bench import profile

    result = profile.breakdown(_synthetic_profile(), requests=2)
    ms = {key: bucket["ms"] for key, bucket in result["buckets"].items()}
    # 10 ms template + 3 of len + 2 of re + 2 of the helper, halved over 2 requests.
    assert ms["template"] == 8.5
    assert ms["view"] == 1.5  # its own 2 ms and 1 of len
    assert ms["sql"] == 1.5 and ms["orm"] == 0.5
    assert ms["database"] == 3.0  # the cursor's execute and Django's backend wrapper
    assert ms["cache"] == 1.5  # the Redis client and the socket read under it
    assert ms["middleware"] == 0.5 and ms["i18n"] == 0.5 and ms["urls"] == 0.5
    assert ms["other"] == 1.0  # the orphan
    assert result["ms"] == 19.0
    assert sum(bucket["percent"] for bucket in result["buckets"].values()) == pytest.approx(100, abs=0.5)
    assert result["buckets"]["template"]["percent"] == pytest.approx(44.7, abs=0.1)
    # The top functions by own time outside Django: Python functions only (built-ins are in their callers').
    assert [f["function"] for f in result["top"]] == [
        "meetings/views.py:10(dashboard)",
        "re/__init__.py:4(sub)",
        "copy.py:66(copy)",
        "redis/connection.py:9(read_response)",
    ]
    assert result["top"][0] == {"function": "meetings/views.py:10(dashboard)", "own_ms": 1.0, "calls": 1}
    assert profile.dominant(result) == "Template rendering (45 %)"


def test_profile_dominant_cause_names_a_close_second():
    from dialog_portal.bench import profile

    buckets = {key: {"ms": 0.0, "percent": 0.0} for key in profile.BUCKET_KEYS}
    buckets["sql"] = {"ms": 10.0, "percent": 50.0}
    buckets["template"] = {"ms": 6.0, "percent": 30.0}
    assert profile.dominant({"buckets": buckets}) == (
        "Building and compiling SQL in the ORM (50 %), then template rendering (30 %)"
    )


@pytest.mark.django_db
def test_profile_of_a_real_request_through_the_wsgi_handler(settings):
    from dialog_portal.bench import profile

    settings.ALLOWED_HOSTS = ["localhost"]
    settings.SECURE_SSL_REDIRECT = False
    [result] = profile.profile_pages([{"page": "floor", "path": "/healthz", "cookie": ""}], requests=2, warm=1)
    assert result["page"] == "floor" and result["requests"] == 2 and result["non_200"] == 0
    assert result["ms"] > 0 and result["buckets"]["middleware"]["ms"] > 0
    assert sum(b["ms"] for b in result["buckets"].values()) == pytest.approx(result["ms"], abs=0.1)
    assert result["dominant"]


def test_only_pages_above_the_cpu_target_are_profiled():
    from dialog_portal.bench import profile

    figures = {
        "pages": [
            {"page": "cheap", "x_floor": {"anonymous": {"p50": 7.4}}},
            {"page": "dear", "x_floor": {"anonymous": {"p50": 26.0}}},
            {"page": "unmeasured", "x_floor": {"anonymous": {"p50": None}}},
        ]
    }
    assert profile.over_target(figures, runner.TARGET_CPU_X_FLOOR) == ["dear"]


@pytest.mark.django_db
def test_a_page_built_anew_is_profiled_with_its_kept_parts_let_go_before_each_request(settings):
    from dialog_portal.bench import profile

    settings.ALLOWED_HOSTS = ["localhost"]
    settings.SECURE_SSL_REDIRECT = False
    let_go = []
    targets = [
        {"page": "floor", "path": "/healthz", "cookie": ""},
        {"page": "feed", "path": "/healthz", "cookie": "", "anew": True},
    ]
    kept, built = profile.profile_pages(targets, requests=2, warm=1, let_go=lambda: let_go.append(1))
    assert (kept["page"], built["page"]) == ("floor", "feed (built anew)")
    assert len(let_go) == 3  # the feed's warm-up request and its two profiled ones; never the kept page's
    assert built["requests"] == 2 and built["non_200"] == 0


def test_only_feeds_above_their_target_built_anew_are_profiled():
    from dialog_portal.bench import profile

    def page(name, anew_ms):
        return {"page": name, "anew": {"cpu_ms": {"p50": anew_ms}} if anew_ms is not None else None}

    figures = {
        "pages": [page("busy feed", 49.0), page("quick feed", 25.0), page("small feed", 9.0), page("list", 80.0)]
    }
    events = {"busy feed": 1021, "quick feed": 1021, "small feed": 40, "list": None}
    assert profile.feeds_over_target(
        events, figures, per_1000=runner.TARGET_FEED_MS_PER_1000, least_events=runner.FEED_EVENTS_FOR_A_RATE
    ) == ["busy feed"]  # 48 ms per 1,000; the quick one 24; the small one too small for a rate; a page without events


def test_profile_is_on_for_a_full_run_and_off_for_the_smoke_run():
    from dialog_portal.management.commands.benchmark import Command

    parser = Command().create_parser("manage.py", "benchmark")
    assert parser.parse_args([]).profile is None  # resolved in handle(): on unless --smoke
    assert parser.parse_args(["--smoke", "--profile"]).profile is True
    assert parser.parse_args(["--no-profile"]).profile is False
    assert runner.Options().profile is True


def test_the_published_readme_says_why_pages_miss_the_target(tmp_path):
    from dialog_portal.bench import profile

    page = profile.breakdown(_synthetic_profile(), requests=2)
    page.update(page="dashboard: politician", non_200=0, x_floor=26.4, dominant=profile.dominant(page))
    report = {
        "when": "2026-12-06T12:00:00+00:00",
        "run_id": "test",
        "machine": {"cpus": 2, "load_average_at_start": [1, 1, 1], "load_average_at_end": [1, 1, 1]},
        "options": {
            "workplaces": 60,
            "committees": 3,
            "years": 2,
            "scales": ["10x"],
            "rounds": 1,
            "batch_seconds": 0.3,
            "backends": ["postgresql"],
            "clients": 4,
            "workers": 2,
        },
        "targets": {"cpu_x_floor": 10},
        "backends": {
            "postgresql": {
                "cpu": {},
                "seed_10x": {"workplaces": 60, "years": 2},
                "profile": {"scale": "10x", "requests": 2, "target_cpu_x_floor": 10, "pages": [page]},
            }
        },
    }
    text = (runner.publish(report, tmp_path) / "README.md").read_text()
    assert "Why these pages miss the target (server CPU above 10× the anonymous floor at 10x, or, for a feed" in text
    row = next(line for line in text.splitlines() if line.startswith("| dashboard: politician |"))
    assert "| 26.4 | 19.0 |" in row and "8.5 (45 %)" in row and row.endswith("| Template rendering (45 %) |")
    assert "- dashboard: politician: `meetings/views.py:10(dashboard)` 1.0 ms ×1" in text
    assert json.loads((tmp_path / "results.json").read_text())["backends"]["postgresql"]["profile"]["pages"]


def test_built_anew_lets_go_of_kept_pages_and_versions_but_not_sessions_or_roles():
    """The "built anew" batches empty the portal's kept pages before each request: the cost of a page just after a
    change to what it shows. The person's session, row and roles stay (no change to them), and nothing outside the
    portal's cache (the Celery queues) is touched."""
    client = redis.Redis.from_url(runner.REDIS)
    run = _own_prefix()
    gone = [f"{run}:1:{key}" for key in ("dashboard:7:da", "v:model:meetings.visit", "feeds:version", "finder:page:a")]
    kept = [f"{run}:1:{key}" for key in ("django.contrib.sessions.cached_dbabc123", "roles:7", "roles:version")]
    kept += [f"{run}:1:person:7", f"{run}celery"]
    for key in gone + kept:
        client.set(key, b"x")
    try:
        runner.kept_pages_emptier({"REDIS_URL": runner.REDIS, "BENCH_CACHE_PREFIX": run})()
        assert [key for key in gone if client.exists(key)] == []
        assert [key for key in kept if not client.exists(key)] == []
    finally:
        client.delete(*gone, *kept)
    assert runner.kept_pages_emptier({"DATABASE_URL": "sqlite:///x"}) is None  # no Redis, nothing kept to empty


def test_a_built_anew_batch_runs_its_hook_before_every_request(monkeypatch):
    calls = []
    monkeypatch.setattr(cpu, "fetch", lambda base, path, cookie="": calls.append("fetch") or 200)
    meter = type("Meter", (), {"snapshot": lambda self: {"app": {}, "db": {}}, "spent": lambda self, b, a, k: 0.0})()
    figures = cpu.batch(meter, "http://x", "/", seconds=0, least=3, before_each=lambda: calls.append("empty"))
    assert figures["requests"] == 3
    assert calls == ["empty", "fetch"] * 3


# --- The scales side by side (issue 19: "the growth column flat") ---------------------------------------------------


def _fake_servers(monkeypatch, cost: dict[tuple[str, str], list[float]]):
    """Two servers whose requests cost what ``cost`` says, round after round: {(base, path): [ms of each batch]}.
    Returns the servers and the log of the batches, in the order they were measured."""
    log = []
    taken = {key: iter(values) for key, values in cost.items()}

    def batch(meter, base, path, *, cookie="", seconds=1.0, least=3, before_each=None):
        log.append((base, path, "anew" if before_each else "warm"))
        ms = next(taken[(base, path if not before_each else path + " anew")])
        return {"requests": 1, "non_200": 0, "app_ms": ms, "db_ms": None, "cpu_ms": ms, "wall_ms": ms}

    monkeypatch.setattr(cpu, "batch", batch)
    monkeypatch.setattr(cpu, "warm", lambda *a, **k: None)
    floors = {"anonymous": {"path": "/healthz", "cookie": ""}, "signed_in": {"path": "/in", "cookie": "s"}}
    targets = [{"page": "A", "path": "/a", "cookie": "s"}, {"page": "B", "path": "/b", "cookie": ""}]
    servers = {
        scale: cpu.Server(meter=None, base=scale, floors=floors, targets=targets, anew=lambda: None)
        for scale in ("1x", "10x")
    }
    return servers, log


def test_the_scales_are_measured_side_by_side_and_growth_is_taken_round_by_round(monkeypatch):
    """Round 1 ran on a fast machine, round 2 on one twice as slow (the floors too): each round's growth compares the
    two scales measured within seconds of each other, so the page's growth is 1.5 in both rounds, not 3 or 0.75."""
    cost = {}
    for scale, page_ms in (("1x", 4.0), ("10x", 6.0)):
        cost[(scale, "/healthz")] = [1.0, 1.0, 2.0, 2.0]  # one batch before each page, in each of two rounds
        cost[(scale, "/in")] = [1.5, 1.5, 3.0, 3.0]
        cost[(scale, "/a")] = [page_ms, page_ms * 2]
        cost[(scale, "/a anew")] = [20.0, 40.0]  # built anew, A does not grow either
        cost[(scale, "/b")] = [2.0, 4.0]
        cost[(scale, "/b anew")] = [10.0, 20.0] if scale == "1x" else [30.0, 60.0]
    servers, log = _fake_servers(monkeypatch, cost)
    out = cpu.interleaved(servers, rounds=2, seconds=1.0)

    pages = [(base, path) for base, path, kind in log if kind == "warm" and path in ("/a", "/b")]
    # The order of the scales alternates from page to page and round to round.
    first_round = [("1x", "/a"), ("10x", "/a"), ("10x", "/b"), ("1x", "/b")]
    second_round = [("10x", "/a"), ("1x", "/a"), ("1x", "/b"), ("10x", "/b")]
    assert pages == first_round + second_round
    # Each page's batch follows the two floors of its own server.
    first_a = log.index(("10x", "/a", "warm"))
    assert log[first_a - 2 : first_a] == [("10x", "/healthz", "warm"), ("10x", "/in", "warm")]
    assert out["growth"]["A"]["warm"] == {"min": 1.5, "p50": 1.5, "max": 1.5}
    assert out["growth"]["B"]["warm"] == {"min": 1.0, "p50": 1.0, "max": 1.0}
    assert out["growth"]["A"]["anew"]["p50"] == 1.0 and out["growth"]["B"]["anew"]["p50"] == 3.0
    ten = out["scales"]["10x"]
    assert [p["page"] for p in ten["pages"]] == ["A", "B"] and ten["rounds"] == 2
    assert ten["pages"][0]["x_floor"]["anonymous"] == {"min": 6.0, "p50": 6.0, "max": 6.0}
    assert ten["floors"]["anonymous"]["cpu_ms"] == {"min": 1.0, "p50": 1.5, "max": 2.0}


def test_servers_that_list_different_pages_are_refused(monkeypatch):
    servers, _log = _fake_servers(monkeypatch, {})
    servers["10x"] = cpu.Server(
        meter=None, base="10x", floors=servers["1x"].floors, targets=[{"page": "C", "path": "/c", "cookie": ""}]
    )
    monkeypatch.setattr(cpu, "batch", lambda *a, **k: {"requests": 1, "non_200": 0, "cpu_ms": 1.0})
    monkeypatch.setattr(cpu, "_page_beside_floors", lambda server, target, seconds, floors: {})
    with pytest.raises(ValueError, match="different pages"):
        cpu.interleaved(servers, rounds=1, seconds=1.0)


def test_the_growth_column_shows_the_rounds_spread_and_reads_an_older_report_too():
    paired = {"p": {"warm": {"min": 0.9, "p50": 1.05, "max": 1.31}, "anew": {"min": 1.0, "p50": 1.1, "max": 1.2}}}
    assert runner.growth_cell({"growth": paired}, "p") == "1.05 (0.90–1.31)"
    assert runner.growth_cell({"growth": paired}, "p", "anew") == "1.10 (1.00–1.20)"

    def scale(ms):
        return {"pages": [{"page": "p", "cpu_ms": {"p50": ms}}]}

    older = {"cpu": {"1x": scale(10.0), "10x": scale(12.0)}}  # published before the scales ran side by side
    assert runner.growth_cell(older, "p") == "1.2"
    assert runner.growth_cell(older, "p", "anew") == "–"


def test_the_verdict_counts_the_pages_within_the_targets():
    def page(name, multiple):
        return {"page": name, "x_floor": {"anonymous": {"p50": multiple}}}

    data = {
        "cpu": {"10x": {"pages": [page("a", 4.0), page("b", 10.0), page("c", 11.5)]}},
        "growth": {
            "a": {"warm": {"min": 0.9, "p50": 1.0, "max": 1.1}},
            "b": {"warm": {"min": 1.0, "p50": 1.15, "max": 1.3}},
            "c": {"warm": {"min": 1.2, "p50": 1.25, "max": 1.3}},
        },
    }
    assert runner._cpu_verdict(data) == [
        "- Within 10× the anonymous floor: 2 of 3 key pages (median of the rounds).",
        "- Growth 1×→10× at most 1.2: 2 of 3 key pages (median of the rounds); in every round: 1.",
        "",
    ]


def test_each_scale_keeps_its_pages_under_a_prefix_of_its_own(monkeypatch):
    """Side by side, the scales share the benchmark's Redis database and their rows the same ids: each scale's keys
    begin with its name, and building a page anew at one scale leaves the other's kept pages alone."""
    assert runner._env("postgresql", "1x")["BENCH_CACHE_PREFIX"] == f"1x_{runner.RUN_ID}"
    assert runner._env("postgresql", "10x")["BENCH_CACHE_PREFIX"] == f"10x_{runner.RUN_ID}"
    client = redis.Redis.from_url(runner.REDIS)
    run = _own_prefix()
    small = [f"1x{run}:1:dashboard:7:da", f"1x{run}:1:v:model:meetings.visit"]
    big = [f"10x{run}:1:dashboard:7:da", f"10x{run}:1:v:model:meetings.visit", f"1x{run}:1:roles:7"]
    for key in small + big:
        client.set(key, b"x")
    try:
        runner.kept_pages_emptier({"REDIS_URL": runner.REDIS, "BENCH_CACHE_PREFIX": f"1x{run}"})()
        assert [key for key in small if client.exists(key)] == []
        assert [key for key in big if not client.exists(key)] == []
    finally:
        client.delete(*small, *big)


def test_the_verdict_gives_a_feeds_cost_per_thousand_events():
    page = {
        "page": "iCal feed of a busy person",
        "x_floor": {"anonymous": {"p50": 8.0}},
        "cpu_ms": {"min": 4.0, "p50": 5.0, "max": 6.0},
        "anew": {"cpu_ms": {"min": 30.0, "p50": 34.0, "max": 40.0}},
    }
    data = {
        "cpu": {"10x": {"pages": [page, {**page, "page": "small"}, {"page": "other", "x_floor": {"anonymous": {}}}]}},
        "queries": [
            {"page": "iCal feed of a busy person", "events_10x": 1700},
            {"page": "small", "events_10x": 12},
            {"page": "other", "events_10x": None},
        ],
    }
    assert runner._cpu_verdict(data)[1:3] == [
        "- iCal feed of a busy person: 1700 events at 10x; built anew 34.0 (30.0–40.0) ms CPU, 20.0 ms per 1,000 "
        "events (target 30); kept 5.0 (4.0–6.0) ms.",
        # A feed of a dozen events: its fixed costs would read as hundreds of ms per 1,000 events.
        "- small: 12 events at 10x; built anew 34.0 (30.0–40.0) ms CPU; kept 5.0 (4.0–6.0) ms.",
    ]


@pytest.mark.django_db
def test_a_calendar_feed_is_measured_in_events_too(client, cast):
    import datetime as dt

    from django.urls import reverse
    from django.utils import timezone

    from dialog_portal.bench import pages, queries
    from tests.factories import published_meeting

    bare = pages.KeyPage("bare", lambda: None, lambda: "/healthz")
    assert queries.measure_page(bare, client)["events"] is None  # not a calendar
    for days in (10, 40):
        published_meeting(
            committee=cast.committee, host=cast.workplace, starts_at=timezone.now() + dt.timedelta(days=days)
        )
    feed = pages.KeyPage(
        "committee's feed", lambda: None, lambda: reverse("meetings:public-feed", args=["boern-og-unge"])
    )
    row = queries.measure_page(feed, client)
    assert row["status"] == 200 and row["events"] == 2


def test_a_seeded_database_is_vacuumed_and_analysed_before_it_is_measured(fake_postgres, monkeypatch, tmp_path):
    executed = fake_postgres
    monkeypatch.setattr(runner, "BENCH_DIR", tmp_path)
    monkeypatch.setattr(runner, "_manage", lambda env, *args: (tmp_path / "seed-postgresql-1x.json").write_text("{}"))
    env, seed = runner._seed("postgresql", "1x", 200, runner.Options(), {"DATABASE_URL": "postgres://x@h/migrated"})
    assert executed[-1] == "VACUUM ANALYZE"
    assert fake_postgres.autocommit[-1] is True  # outside a transaction, as VACUUM must be
    assert executed[0].startswith('CREATE DATABASE "dialogportal_bench_1x_')
    assert env["BENCH_CACHE_PREFIX"] == f"1x_{runner.RUN_ID}" and seed == {}


def test_the_benchmark_settings_read_the_runs_cache_prefix_and_celery_queue():
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.CACHES['default'].get('KEY_PREFIX'), settings.CELERY_TASK_DEFAULT_QUEUE]))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dialog_portal.bench.settings",
        "BENCH_CACHE_PREFIX": "10x_run",
        "BENCH_CELERY_QUEUE": "bench_run",
    }
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=runner.ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == ["10x_run", "bench_run"]
    assert runner._env("postgresql", "1x")["BENCH_CELERY_QUEUE"] == f"bench_{runner.RUN_ID}"


def test_a_run_deletes_what_it_kept_in_redis_and_nothing_of_another_run():
    """Two runs at once share the benchmark's Redis database: each deletes only the keys named by its own run id
    (its cache prefix and its Celery queue), never empties the database."""
    client = redis.Redis.from_url(runner.REDIS)
    mine = [f"1x_{runner.RUN_ID}:1:dashboard:7:da", f"bench_{runner.RUN_ID}", f"_kombu.binding.bench_{runner.RUN_ID}"]
    other = _own_prefix()  # another run's id: this one's keys are named by runner.RUN_ID, not by it
    theirs = [f"1x_{other}:1:dashboard:7:da", f"bench_{other}", f"celery{other}"]
    for key in mine + theirs:
        client.set(key, b"x")
    try:
        assert runner.forget_redis_keys() == 3
        assert [key for key in mine if client.exists(key)] == []
        assert [key for key in theirs if not client.exists(key)] == []
    finally:
        client.delete(*mine, *theirs)
