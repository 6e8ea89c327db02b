"""Server CPU per request: the headline figure of the benchmark.

One gunicorn worker serves one client that asks for a page again and again (a batch). Before and after each batch
the benchmark reads the CPU time the kernel has charged to the worker process and to its PostgreSQL backend
(``/proc/<pid>/schedstat``, nanoseconds; ``/proc/<pid>/stat`` utime + stime in clock ticks where schedstat is not
kept), and divides the difference by the number of requests. Other load on the machine makes a request wait longer
but hardly changes the CPU it is charged, which is why this figure, not latency under load, is the headline.

The floors (a bare anonymous view and a bare signed-in view) and the pages are measured interleaved and in rounds,
on one worker per scale (each serving its own database), the scales side by side: round 1: page A at 1× (after the
1× floors), page A at 10× (after the 10× floors), page B at 10×, page B at 1×, …; round 2: the same. Each figure is
then reported as min / median / max over the rounds, each page's ratio to a floor is taken against the floor batch
measured just before it, and its growth from 1× to 10× within the round, so a drift in the machine's speed cancels
out.
"""

from __future__ import annotations

import http.client
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass
class Server:
    """One gunicorn worker serving one scale's database: its CPU meter, base URL, floors and key pages.

    ``floors`` maps "anonymous" and "signed_in" to {"path", "cookie"}; ``targets`` are {"page", "path", "cookie"}, the
    same pages in the same order on every server. ``anew`` (None without Redis) lets go of every kept page, fragment
    and version of this server's scale, not the sessions."""

    meter: CpuMeter
    base: str
    floors: dict
    targets: list[dict]
    anew: Callable[[], None] | None = None


def interleaved(servers: dict[str, Server], *, rounds: int, seconds: float) -> dict:
    """Measure every page on every scale's server, each right after the two floors of the same server, and the
    whole sequence ``rounds`` times over; report each figure with its spread.

    Within a round each page is measured at every scale one right after the other (the order of the scales
    alternates from page to page and round to round), so the page's growth from the smallest to the largest scale
    is taken within seconds, as the ratio of its two multiples of the anonymous floor, once per round: a drift in
    the machine's speed between the scales cancels out, and the spread over the rounds shows what is noise. With
    ``anew``, each page is measured a second time, built anew on every request: what a page costs just after a
    change to what it shows.

    Returns {"scales": {scale: summary}, "growth": {page: {"warm": spread, "anew": spread}}} (growth only with
    two scales or more: the last over the first).
    """
    for server in servers.values():
        for target in [*server.floors.values(), *server.targets]:
            warm(server.base, target["path"], target["cookie"])
    scales = list(servers)
    runs: dict[str, dict] = {
        scale: {
            "floors": {name: [] for name in server.floors},
            "pages": {t["page"]: [] for t in server.targets},
            "load": [os.getloadavg()[0]],
        }
        for scale, server in servers.items()
    }
    pages = [t["page"] for t in servers[scales[0]].targets]
    for number in range(rounds):
        for index, page in enumerate(pages):
            order = scales if (number + index) % 2 == 0 else scales[::-1]
            for scale in order:
                server = servers[scale]
                target = server.targets[index]
                if target["page"] != page:
                    raise ValueError(f"the scales list different pages: {target['page']} is not {page}")
                figures = _page_beside_floors(server, target, seconds, runs[scale]["floors"])
                runs[scale]["pages"][page].append(figures)
        for scale in scales:
            runs[scale]["load"].append(os.getloadavg()[0])
    out = {
        "scales": {
            scale: {
                "rounds": rounds,
                "load_average_1min": spread(runs[scale]["load"]),
                "floors": {name: _summary(batches) for name, batches in runs[scale]["floors"].items()},
                "pages": [{"page": page, **_summary(runs[scale]["pages"][page])} for page in pages],
            }
            for scale in scales
        },
        "growth": {},
    }
    if len(scales) > 1:
        small, big = runs[scales[0]]["pages"], runs[scales[-1]]["pages"]
        out["growth"] = {page: paired_growth(small[page], big[page]) for page in pages}
    return out


def _page_beside_floors(server: Server, target: dict, seconds: float, floor_runs: dict[str, list]) -> dict:
    """The two floors, then the page (warm), then the page built anew: one page's share of a round on one server."""
    adjacent = {}
    for name, floor in server.floors.items():
        figures = batch(server.meter, server.base, floor["path"], cookie=floor["cookie"], seconds=seconds / 2, least=5)
        floor_runs[name].append(figures)
        adjacent[name] = figures["cpu_ms"]
    warm(server.base, target["path"], target["cookie"], times=2)  # kept anew after the last built-anew batch
    figures = batch(server.meter, server.base, target["path"], cookie=target["cookie"], seconds=seconds)
    figures["x_floor"] = {name: figures["cpu_ms"] / ms if ms else None for name, ms in adjacent.items()}
    if server.anew is not None:
        built = batch(
            server.meter,
            server.base,
            target["path"],
            cookie=target["cookie"],
            seconds=seconds / 2,
            before_each=server.anew,
        )
        floor_ms = adjacent["anonymous"]
        figures["anew"] = {"cpu_ms": built["cpu_ms"], "x_floor": built["cpu_ms"] / floor_ms if floor_ms else None}
    return figures


def paired_growth(small: list[dict], big: list[dict]) -> dict:
    """Round by round, the page's multiple of the anonymous floor at the large scale over the small: its growth,
    warm and built anew, each with its spread over the rounds (1.0 is flat)."""

    def ratios(read) -> list[float | None]:
        out = []
        for a, b in zip(small, big, strict=True):
            x, y = read(a), read(b)
            out.append(y / x if x and y else None)
        return out

    return {
        "warm": spread(ratios(lambda r: r["x_floor"].get("anonymous"))),
        "anew": spread(ratios(lambda r: (r.get("anew") or {}).get("x_floor"))),
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
