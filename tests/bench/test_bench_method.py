"""The benchmark's method: CPU read from /proc, figures with their spread, the signed-in floor, and databases and a
Redis database of its own (never someone else's dropped)."""

import os
import subprocess
import sys
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dialog_portal.bench import cpu, runner


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


def test_only_the_databases_this_run_created_are_dropped_and_never_with_force(monkeypatch):
    executed = []

    class Cursor:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def execute(self, sql):
            executed.append(sql)

    class Connection:
        autocommit = False

        def cursor(self):
            return Cursor()

        def close(self):
            pass

    monkeypatch.setattr(runner.psycopg2, "connect", lambda *a, **k: Connection())
    monkeypatch.setattr(runner, "CREATED_DATABASES", [])
    runner._fresh_database("postgresql", {"DATABASE_URL": "postgres://x@h:5432/dialogportal_bench_1x_run"})
    runner.drop_created_databases(say=lambda _m: None)
    assert executed == [
        'CREATE DATABASE "dialogportal_bench_1x_run"',
        'DROP DATABASE IF EXISTS "dialogportal_bench_1x_run"',
    ]
    assert runner.CREATED_DATABASES == []


def test_each_scale_is_a_copy_of_the_one_migrated_database(monkeypatch, tmp_path):
    executed = []

    class Cursor:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def execute(self, sql):
            executed.append(sql)

    class Connection:
        autocommit = False

        def cursor(self):
            return Cursor()

        def close(self):
            pass

    monkeypatch.setattr(runner.psycopg2, "connect", lambda *a, **k: Connection())
    monkeypatch.setattr(runner, "CREATED_DATABASES", [])
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
