"""Server CPU per request: the headline figure of the benchmark.

One gunicorn worker serves one client that asks for a page again and again (a batch). Before and after each batch
the benchmark reads the CPU time the kernel has charged to the worker process and to its PostgreSQL backend
(``/proc/<pid>/schedstat``, nanoseconds; ``/proc/<pid>/stat`` utime + stime in clock ticks where schedstat is not
kept), and divides the difference by the number of requests. Other load on the machine makes a request wait longer
but hardly changes the CPU it is charged, which is why this figure, not latency under load, is the headline.

The floors (a bare anonymous view and a bare signed-in view) and the pages are measured interleaved and in rounds:
round 1: anonymous floor, signed-in floor, page A, anonymous floor, signed-in floor, page B, …; round 2: the same.
Each figure is then reported as min / median / max over the rounds, and each page's ratio to a floor is taken
against the floor batch measured just before it, so a drift in the machine's speed cancels out.
"""

from __future__ import annotations

import http.client
import os
import statistics
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import psycopg2

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu_ns(pid: int) -> int | None:
    """CPU time (user + system) the kernel has charged to ``pid``, in nanoseconds; None once it has exited."""
    try:
        with open(f"/proc/{pid}/schedstat") as handle:
            on_cpu = int(handle.read().split()[0])
        if on_cpu:
            return on_cpu
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1_000_000_000 // CLOCK_TICKS
    except (OSError, IndexError, ValueError):
        return None


def child_pids(pid: int) -> list[int]:
    """The direct children of ``pid`` (gunicorn's workers of its master)."""
    children = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(entry))
    return children


class CpuMeter:
    """Reads the CPU charged to the web workers and to the database backends serving this benchmark database."""

    def __init__(self, master_pid: int, database_url: str):
        self.master_pid = master_pid
        self.database = None
        self._connection = None
        if database_url.startswith("postgres"):
            self.database = database_url.rsplit("/", 1)[1]
            self._connection = psycopg2.connect(database_url.rsplit("/", 1)[0] + "/postgres")
            self._connection.autocommit = True

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()

    def _backend_pids(self) -> list[int]:
        with self._connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [self.database]
            )
            return [row[0] for row in cursor.fetchall()]

    def snapshot(self) -> dict:
        """CPU per process now: {"app": {pid: ns}, "db": {pid: ns} or None}."""
        app = {pid: process_cpu_ns(pid) for pid in child_pids(self.master_pid)}
        db = None
        if self._connection is not None:
            db = {pid: process_cpu_ns(pid) for pid in self._backend_pids()}
            if any(value is None for value in db.values()):  # the server runs elsewhere: /proc cannot see it
                db = None
        return {"app": app, "db": db}

    @staticmethod
    def spent(before: dict, after: dict, kind: str) -> float | None:
        """Nanoseconds spent between two snapshots; a process new since ``before`` counts from zero."""
        if before[kind] is None or after[kind] is None:
            return None
        return float(sum((ns or 0) - (before[kind].get(pid) or 0) for pid, ns in after[kind].items()))


def fetch(base: str, path: str, cookie: str = "") -> int:
    """One GET on a fresh connection (gunicorn's sync workers close after each answer); returns the status."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    headers = {"X-Forwarded-Proto": "https", "Host": "localhost"}
    if cookie:
        headers["Cookie"] = cookie
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def batch(
    meter: CpuMeter,
    base: str,
    path: str,
    *,
    cookie: str = "",
    seconds: float = 1.0,
    least: int = 3,
    before_each: Callable[[], None] | None = None,
) -> dict:
    """Ask for ``path`` one request after another for about ``seconds`` (at least ``least`` times); CPU per request.
    ``before_each`` runs before every request, in this process (its own work is charged to no worker)."""
    before = meter.snapshot()
    started = time.perf_counter()
    requests, bad = 0, 0
    while requests < least or time.perf_counter() - started < seconds:
        if before_each is not None:
            before_each()
        bad += fetch(base, path, cookie) != 200
        requests += 1
    wall = time.perf_counter() - started
    after = meter.snapshot()
    app, db = meter.spent(before, after, "app"), meter.spent(before, after, "db")
    return {
        "requests": requests,
        "non_200": bad,
        "app_ms": app / requests / 1e6,
        "db_ms": None if db is None else db / requests / 1e6,
        "cpu_ms": (app + (db or 0)) / requests / 1e6,
        "wall_ms": wall * 1000 / requests,
    }


def spread(values: list[float]) -> dict:
    """Min, median and max, rounded for the report."""
    values = [v for v in values if v is not None]
    if not values:
        return {"min": None, "p50": None, "max": None}
    return {
        "min": round(min(values), 2),
        "p50": round(statistics.median(values), 2),
        "max": round(max(values), 2),
    }


def warm(base: str, path: str, cookie: str = "", times: int = 3) -> None:
    """The first answers of a fresh worker load templates, translations and caches: never counted."""
    for _ in range(times):
        fetch(base, path, cookie)


def interleaved(
    meter: CpuMeter,
    base: str,
    floors: dict,
    targets: list[dict],
    *,
    rounds: int,
    seconds: float,
    anew: Callable[[], None] | None = None,
) -> dict:
    """Measure the two floors before every page, ``rounds`` times over; report each with its spread.

    ``floors`` maps "anonymous" and "signed_in" to {"path", "cookie"}; ``targets`` are {"page", "path", "cookie"}.
    With ``anew`` (it lets go of every kept page, fragment and version, not the sessions), each page is measured a
    second time, built anew on every request: what a page costs just after a change to what it shows.
    """
    for target in [*floors.values(), *targets]:
        warm(base, target["path"], target["cookie"])
    floor_runs: dict[str, list[dict]] = {name: [] for name in floors}
    page_runs: dict[str, list[dict]] = {t["page"]: [] for t in targets}
    load = [os.getloadavg()[0]]
    for _ in range(rounds):
        for target in targets:
            adjacent = {}
            for name, floor in floors.items():
                figures = batch(meter, base, floor["path"], cookie=floor["cookie"], seconds=seconds / 2, least=5)
                floor_runs[name].append(figures)
                adjacent[name] = figures["cpu_ms"]
            warm(base, target["path"], target["cookie"], times=2)  # kept anew after the last page's built-anew batch
            figures = batch(meter, base, target["path"], cookie=target["cookie"], seconds=seconds)
            figures["x_floor"] = {name: figures["cpu_ms"] / ms if ms else None for name, ms in adjacent.items()}
            if anew is not None:
                built = batch(
                    meter, base, target["path"], cookie=target["cookie"], seconds=seconds / 2, before_each=anew
                )
                floor_ms = adjacent["anonymous"]
                figures["anew"] = {
                    "cpu_ms": built["cpu_ms"],
                    "x_floor": built["cpu_ms"] / floor_ms if floor_ms else None,
                }
            page_runs[target["page"]].append(figures)
        load.append(os.getloadavg()[0])
    return {
        "rounds": rounds,
        "load_average_1min": spread(load),
        "floors": {name: _summary(runs) for name, runs in floor_runs.items()},
        "pages": [{"page": t["page"], **_summary(page_runs[t["page"]])} for t in targets],
    }


def _summary(runs: list[dict]) -> dict:
    out = {
        "requests": sum(r["requests"] for r in runs),
        "non_200": sum(r["non_200"] for r in runs),
        **{key: spread([r[key] for r in runs]) for key in ("cpu_ms", "app_ms", "db_ms", "wall_ms")},
    }
    if runs and "x_floor" in runs[0]:
        out["x_floor"] = {name: spread([r["x_floor"][name] for r in runs]) for name in runs[0]["x_floor"]}
    if runs and "anew" in runs[0]:
        out["anew"] = {key: spread([r["anew"][key] for r in runs]) for key in ("cpu_ms", "x_floor")}
    return out
