"""``manage.py benchmark``: seed, measure and report, on the embedded default and on PostgreSQL + Redis.

The run is orchestrated from this process; everything that needs Django on a benchmark database runs in a
subprocess (``manage.py benchmark --part …``) with that database's environment, because a Django process is bound
to one database. Production settings (``DJANGO_DEBUG=false``) are used throughout; two-factor is switched off so
the load clients need no TOTP, and the HTTPS redirect is off because the server is reached on loopback.

Every run creates PostgreSQL databases of its own (``dialogportal_bench_<scale>_<run id>``), drops only those (never
``WITH (FORCE)``), and names what it keeps in Redis (``BENCH_REDIS_DB``, default 15) by its run id too: its cache
keys and its Celery queue, deleted at the end. Two runs at once (two engineers, or the test suite's smoke run beside
a full run) neither read nor empty each other's.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import secrets
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import redis

from . import celery_bench, contention, cpu, load
from . import profile as page_profile
from . import rotation as rotation_bench

ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = ROOT / "var" / "bench"
PUBLISHED_DIR = ROOT / "docs" / "benchmark"
PG_BASE = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


def _redis_url() -> tuple[str, int]:
    """The benchmark's Redis: the server of ``BENCH_REDIS_URL``, the database number of ``BENCH_REDIS_DB`` (or the
    one in the URL; default 15, apart from the portal's own 0). What a run keeps there is named by its run id."""
    parts = urlsplit(os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379"))
    number = os.environ.get("BENCH_REDIS_DB") or parts.path.strip("/") or "15"
    return urlunsplit(parts._replace(path=f"/{int(number)}")), int(number)


REDIS, REDIS_DB = _redis_url()
# One run's databases: a unique suffix, so two runs (or two engineers) never share or drop each other's.
RUN_ID = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S") + "_" + secrets.token_hex(3)

# Targets from issue #7; reported beside the figures, never asserted in the unit tests.
TARGET_QUERIES = 12
TARGET_P95_MS = 150
TARGET_FLOOR_SHARE = 0.1
TARGET_FEED_MS = 150
TARGET_ROTATION_S = 1.0
TARGET_CPU_X_FLOOR = 10  # a key page's server CPU per request at most 10× the bare anonymous view's (issue 19)
TARGET_GROWTH = 1.2  # and at most 20 % more at 10× data than at 1×
TARGET_FEED_MS_PER_1000 = 30  # a person's feed of 1,000 events under 30 ms of server CPU, built anew
FEED_EVENTS_FOR_A_RATE = 500  # a feed's cost per 1,000 events is given only for a feed this large (fixed costs aside)
PROFILE_REQUESTS = 10  # --profile: requests a page profiled (after 3 unprofiled ones) when it misses cpu_x_floor


@dataclass
class Options:
    workplaces: int = 2000
    committees: int = 10
    years: int = 10
    seconds: int = 10
    clients: int = 16
    workers: int = 4
    backends: tuple[str, ...] = ("sqlite", "postgresql")
    smoke: bool = False
    notices: int = 10_000
    rounds: int = 5  # CPU figures: rounds of floors and pages, interleaved
    batch_seconds: float = 1.0  # CPU figures: how long each page is asked for in a round (floors: half of it)
    scales: tuple[str, ...] = ("1x", "10x")
    keep_databases: bool = False
    profile: bool = True  # after the rounds, profile the pages above TARGET_CPU_X_FLOOR (``--profile``; smoke: off)
    # The smoke run's savings (``--smoke``); a full run measures everything.
    load_pages: int | None = None  # the key pages loaded with wrk after the two floors (None: every key page)
    politicians: int = contention.POLITICIANS  # the contention drill's politicians racing for its 10 places
    meetings: int = celery_bench.MEETINGS  # the Celery part's plan
    log: list[str] = field(default_factory=list)


def _env(backend: str, name: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "benchmark-only-secret-0123456789-abcdefghijklmnopqrstuvwxyz-0123456789",
        "DIALOG_MFA_KEY": "YmVuY2htYXJrLW9ubHktbWZhLWtleS0wMTIzNDU2Nzg=",
        "DIALOG_CHAIN_KEY": "benchmark-only-chain-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DIALOG_REQUIRE_MFA": "false",
        "EMAIL_URL": "dummymail://",
        "DIALOG_VAR_DIR": str(BENCH_DIR / f"{backend}-{name}"),
        "LOG_LEVEL": "WARNING",
        # The portal's settings plus the benchmark's signed-in floor view (dialog_portal/bench/urls.py).
        "DJANGO_SETTINGS_MODULE": "dialog_portal.bench.settings",
    }
    if backend == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{BENCH_DIR / f'{name}.sqlite3'}"
        env.pop("REDIS_URL", None)
    else:
        env["DATABASE_URL"] = f"{PG_BASE}/dialogportal_bench_{name}_{RUN_ID}"
        env["REDIS_URL"] = REDIS
        # Each scale's cache keys begin with its name (dialog_portal/bench/settings.py): the scales share the
        # benchmark's Redis database and their rows the same ids, and their servers run side by side.
        env["BENCH_CACHE_PREFIX"] = f"{name}_{RUN_ID}"
        # And the run's Celery tasks go to a queue of its own: a worker of another run never takes them.
        env["BENCH_CELERY_QUEUE"] = f"bench_{RUN_ID}"
    return env


def _manage(env: dict, *args: str, timeout: int = 3600) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return result.stdout


def _part(env: dict, part: str, *args: str) -> dict | list:
    out = _manage(env, "benchmark", "--part", part, *args)
    return json.loads(out.strip().splitlines()[-1])


def _fresh_database(backend: str, env: dict, template: dict | None = None) -> None:
    """An empty database for ``env``, or a copy of ``template``'s (an environment whose database is migrated and
    no longer in use): PostgreSQL copies it with ``CREATE DATABASE … TEMPLATE``, SQLite copies the file."""
    if backend == "sqlite":
        path = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        if template is not None:
            source = sqlite3.connect(template["DATABASE_URL"].removeprefix("sqlite:///"))
            target = sqlite3.connect(path)
            with target:
                source.backup(target)
            source.close()
            target.close()
    else:
        # A name of this run's own (RUN_ID): nothing to drop first, and nobody else's database is touched.
        name = env["DATABASE_URL"].rsplit("/", 1)[1]
        copy = ""
        if template is not None:
            copy = ' TEMPLATE "{}"'.format(template["DATABASE_URL"].rsplit("/", 1)[1])
        connection = psycopg2.connect(f"{PG_BASE}/postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"{copy}')
        connection.close()
        CREATED_DATABASES.append(name)


CREATED_DATABASES: list[str] = []


def drop_created_databases(say=print) -> None:
    """Drop the databases this run created, and only those; without FORCE: if something still holds one (a
    server that did not stop), it is left and named, not cut off."""
    if not CREATED_DATABASES:
        return
    connection = psycopg2.connect(f"{PG_BASE}/postgres")
    connection.autocommit = True
    for name in list(CREATED_DATABASES):
        for attempt in range(10):
            try:
                with connection.cursor() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
                CREATED_DATABASES.remove(name)
                break
            except psycopg2.errors.ObjectInUse:
                time.sleep(1 + attempt)
        else:
            say(f"Database {name} is still in use: left in place (drop it by hand).")
    connection.close()


# What a page built anew still finds in the cache: the person's session, row and roles (a change to what a page shows
# leaves those as they were). Everything else the portal keeps under its cache's prefix goes: pages, fragments, counts
# and the versions they were kept under.
_KEPT_WHEN_BUILT_ANEW = ("sessions", ":roles:", ":person:")


def kept_pages_emptier(env: dict):
    """A function that empties the portal's kept pages in the benchmark's Redis (None without Redis): run before each
    request of the "built anew" batches, it is charged to no worker."""
    if not env.get("REDIS_URL"):
        return None
    client = redis.Redis.from_url(env["REDIS_URL"])
    pattern = f"{env.get('BENCH_CACHE_PREFIX', '')}:1:*"

    def empty() -> None:
        doomed = [
            key
            for key in client.scan_iter(match=pattern, count=1000)
            if not any(part in key.decode() for part in _KEPT_WHEN_BUILT_ANEW)
        ]
        if doomed:
            client.delete(*doomed)

    return empty


def forget_redis_keys() -> int:
    """Delete what this run kept in the benchmark's Redis database (its cache keys and its Celery queue, each named
    by the run id), and nothing else; the number of keys deleted."""
    client = redis.Redis.from_url(REDIS)
    doomed = list(client.scan_iter(match=f"*{RUN_ID}*", count=1000))
    for start in range(0, len(doomed), 1000):
        client.delete(*doomed[start : start + 1000])
    return len(doomed)


def _migrated(backend: str) -> dict:
    """The environment of this run's migrated, empty database on ``backend``: every scale starts as a copy of it,
    so the migrations run once a backend, not once a scale."""
    env = _env(backend, "migrated")
    _fresh_database(backend, env)
    _manage(env, "migrate", "--noinput", "-v0")
    return env


def _seed(backend: str, name: str, workplaces: int, opts: Options, migrated: dict) -> tuple[dict, dict]:
    env = _env(backend, name)
    _fresh_database(backend, env, template=migrated)
    seed_json = BENCH_DIR / f"seed-{backend}-{name}.json"
    _manage(
        env,
        "seed_scale",
        f"--workplaces={workplaces}",
        f"--committees={opts.committees}",
        f"--years={opts.years}",
        f"--json={seed_json}",
    )
    if backend == "postgresql":
        _vacuum_analyze(env)
    return env, json.loads(seed_json.read_text())


def _vacuum_analyze(env: dict) -> None:
    """Vacuum and analyse a freshly seeded database, as a production database's autovacuum would have long done: the
    planner then knows the tables' sizes and may read an index alone (index-only scans need the visibility map a
    vacuum writes), and no autovacuum starts in the middle of the measured rounds."""
    connection = psycopg2.connect(env["DATABASE_URL"])
    connection.autocommit = True  # VACUUM cannot run inside a transaction
    try:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    finally:
        connection.close()


def _postgres_available() -> bool:
    try:
        psycopg2.connect(f"{PG_BASE}/postgres", connect_timeout=3).close()

        redis.Redis.from_url(REDIS, socket_connect_timeout=3).ping()
    except Exception:
        return False
    return True


def machine() -> dict:
    """What the figures were measured on, and how busy it was when the run began."""
    info = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    try:
        with open("/proc/cpuinfo") as handle:
            info["cpu"] = next(line.split(":", 1)[1].strip() for line in handle if line.startswith("model name"))
        with open("/proc/meminfo") as handle:
            info["memory_gib"] = round(int(handle.readline().split()[1]) / 1024 / 1024, 1)
    except (OSError, StopIteration):
        pass
    info["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
    return info


def run(opts: Options, say=print) -> dict:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    report: dict = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "run_id": RUN_ID,
        "machine": machine(),
        "options": {k: v for k, v in vars(opts).items() if k != "log"},
        "targets": {
            "queries": TARGET_QUERIES,
            "p95_ms": TARGET_P95_MS,
            "share_of_floor": TARGET_FLOOR_SHARE,
            "feed_ms": TARGET_FEED_MS,
            "rotation_s": TARGET_ROTATION_S,
            "cpu_x_floor": TARGET_CPU_X_FLOOR,
            "growth": TARGET_GROWTH,
            "feed_ms_per_1000_events": TARGET_FEED_MS_PER_1000,
        },
        "backends": {},
    }
    static_env = _env("sqlite", "static")
    _manage(static_env, "collectstatic", "--noinput", "-v0")
    say("Rotation planner (pure, CPU time) …")
    report["rotation"] = rotation_bench.run(
        workplaces=opts.workplaces, committees=opts.committees, year=dt.date.today().year + 1
    )
    try:
        for backend in opts.backends:
            if backend == "postgresql" and not _postgres_available():
                say("PostgreSQL or Redis is not reachable: skipping that backend.")
                report["backends"][backend] = {"skipped": "PostgreSQL or Redis not reachable"}
                continue
            report["backends"][backend] = _run_backend(backend, opts, say)
    finally:
        if not opts.keep_databases:
            drop_created_databases(say)
        if "postgresql" in opts.backends and _postgres_available():
            forget_redis_keys()
    report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return report


def _sizes(opts: Options) -> dict[str, int]:
    return {"1x": max(opts.committees, opts.workplaces // 10), "10x": opts.workplaces}


def _cpu_figures(backend: str, envs: dict[str, dict], opts: Options, say) -> dict:
    """Server CPU per request of the floors and every key page, interleaved and in rounds, on one warmed worker per
    scale, the scales side by side (``cpu.interleaved``): {"scales": {scale: figures}, "growth": {page: ...}}."""
    say(f"[{backend}] {', '.join(envs)}: server CPU per request, {opts.rounds} rounds, floors before every page …")
    servers: dict[str, cpu.Server] = {}
    with contextlib.ExitStack() as stack:
        for scale, env in envs.items():
            sessions = _part(env, "sessions")
            cookie = {row["page"]: f"sessionid={row['session']}" if row["session"] else "" for row in sessions}
            log_path = BENCH_DIR / f"gunicorn-cpu-{backend}-{scale}.log"
            base, master = stack.enter_context(load.gunicorn_process(env, workers=1, log_path=log_path))
            meter = cpu.CpuMeter(master, env["DATABASE_URL"])
            stack.callback(meter.close)
            servers[scale] = cpu.Server(
                meter=meter,
                base=base,
                floors={
                    name: {"path": row["path"], "cookie": cookie[row["page"]]}
                    for name, row in zip(("anonymous", "signed_in"), sessions[:2], strict=True)
                },
                targets=[
                    {"page": row["page"], "path": row["path"], "cookie": cookie[row["page"]]} for row in sessions[2:]
                ],
                anew=kept_pages_emptier(env),
            )
        return cpu.interleaved(servers, rounds=opts.rounds, seconds=opts.batch_seconds)


def _profile_figures(backend: str, env: dict, scale: str, cpu_figures: dict, events: dict, say) -> dict:
    """Why the pages above the CPU target miss it, and the feeds above their target built anew: each one profiled in
    a process with the worker's settings and database (``--part profile``), its time broken down into buckets
    (dialog_portal/bench/profile.py). ``events``: each feed's number of events at this scale."""
    missing = page_profile.over_target(cpu_figures, TARGET_CPU_X_FLOOR)
    feeds = page_profile.feeds_over_target(
        events, cpu_figures, per_1000=TARGET_FEED_MS_PER_1000, least_events=FEED_EVENTS_FOR_A_RATE
    )
    out = {"scale": scale, "requests": PROFILE_REQUESTS, "target_cpu_x_floor": TARGET_CPU_X_FLOOR, "pages": []}
    if not missing and not feeds:
        return out
    say(
        f"[{backend}] {scale}: profiling {len(missing)} pages above {TARGET_CPU_X_FLOOR}× the anonymous floor and "
        f"{len(feeds)} feeds above {TARGET_FEED_MS_PER_1000} ms per 1,000 events built anew …"
    )
    sessions = {row["page"]: row for row in _part(env, "sessions")}
    targets = [
        {
            "page": name,
            "path": sessions[name]["path"],
            "cookie": f"sessionid={sessions[name]['session']}" if sessions[name]["session"] else "",
            "anew": anew,
        }
        for names, anew in ((missing, False), (feeds, True))
        for name in names
    ]
    multiples = {page["page"]: page["x_floor"]["anonymous"]["p50"] for page in cpu_figures["pages"]}
    built = {page["page"]: page["anew"]["x_floor"]["p50"] for page in cpu_figures["pages"] if page.get("anew")}
    for target, result in zip(targets, _part(env, "profile", json.dumps(targets)), strict=True):
        multiple = (built if target["anew"] else multiples).get(target["page"])
        out["pages"].append({**result, "x_floor": multiple})
    return out


def _run_backend(backend: str, opts: Options, say) -> dict:
    out: dict = {"cpu": {}}
    measured: dict[str, list] = {}
    env = None
    say(f"[{backend}] migrating an empty database (each scale is a copy of it) …")
    migrated = _migrated(backend)
    envs: dict[str, dict] = {}
    for scale in opts.scales:
        size = _sizes(opts)[scale]
        say(f"[{backend}] seeding {scale} ({size} workplaces) …")
        env, out[f"seed_{scale}"] = _seed(backend, scale, size, opts, migrated)
        envs[scale] = env
        measured[scale] = _part(env, "queries")
    if envs:
        figures = _cpu_figures(backend, envs, opts, say)
        out["cpu"], out["growth"] = figures["scales"], figures["growth"]
    if opts.profile and out["cpu"]:
        # After every measured round: the largest scale measured, the pages that miss the CPU target there.
        largest = list(out["cpu"])[-1]
        events = {row["page"]: row.get("events") for row in measured[largest]}
        out["profile"] = _profile_figures(backend, envs[largest], largest, out["cpu"][largest], events, say)
    first, last = opts.scales[0], opts.scales[-1]
    out["queries"] = [
        {
            "page": big["page"],
            "status": big["status"],
            "queries_1x": small_row["queries"] if "1x" in measured else None,
            "queries_10x": big["queries"] if "10x" in measured else None,
            "equal": small_row["queries"] == big["queries"],
            "while_rendering_10x": big["queries_while_rendering"],
            "kb_10x": round(big["bytes"] / 1024, 1),
            "events_10x": big.get("events"),
        }
        for small_row, big in zip(measured[first], measured[last], strict=True)
    ]
    if opts.seconds <= 0:
        out["pages"] = {"skipped": "no load (--seconds 0)"}
    elif not load.wrk_available():
        say("wrk is not installed (apt-get install wrk): skipping the load figures.")
        out["pages"] = {"skipped": "wrk not installed"}
    else:
        out["pages"] = _load_figures(backend, env, opts, say)
    if opts.seconds > 0:
        say(f"[{backend}] contention: {opts.politicians} politicians, {contention.SLOTS} places …")
        prepared = _part(env, "contention-prepare", str(opts.politicians))
        with load.gunicorn(env, workers=opts.workers, log_path=BENCH_DIR / f"gunicorn-{backend}.log") as base:
            storm = contention.storm(base, slots=prepared["slots"], sessions=prepared["sessions"])
        out["contention"] = {**storm, **_part(env, "contention-verify", json.dumps(prepared["slots"]))}
    if opts.notices > 0:
        say(f"[{backend}] Celery: publish {opts.meetings} meetings, send {opts.notices} notices on a real worker …")
        published = _part(env, "celery-publish", str(opts.meetings))
        queued = _part(env, "celery-queue", str(opts.notices))
        drained = celery_bench.drain(
            {**env, "EMAIL_URL": "dummymail://"},
            first_id=queued["first_id"],
            last_id=queued["last_id"],
            notices=opts.notices,
        )
        out["celery"] = {"publish": published, "queue": queued, "worker": drained}
    return out


def _load_figures(backend: str, env: dict, opts: Options, say) -> list[dict]:
    """The secondary figures: p50/p95 and throughput with ``opts.clients`` concurrent clients (queueing included)."""
    targets = _part(env, "sessions")[1:]  # the anonymous floor is measured first, below; then the signed-in floor
    if opts.load_pages is not None:
        targets = targets[: 1 + opts.load_pages]
    say(f"[{backend}] load: {opts.clients} clients, {opts.seconds} s a page, {opts.workers} gunicorn workers …")
    with load.gunicorn(env, workers=opts.workers, log_path=BENCH_DIR / f"gunicorn-{backend}.log") as base:
        load.warm(base + "/healthz", rounds=opts.workers * 2)
        floor = load.wrk(base + "/healthz", clients=opts.clients, seconds=opts.seconds)
        pages = [{"page": "floor (bare Django view)", **floor}]
        for target in targets:
            cookie = f"sessionid={target['session']}" if target["session"] else ""
            load.warm(base + target["path"], cookie=cookie, rounds=opts.workers * 2)
            figures = load.wrk(base + target["path"], cookie=cookie, clients=opts.clients, seconds=opts.seconds)
            figures["share_of_floor"] = round(figures["rps"] / floor["rps"], 3) if floor["rps"] else None
            pages.append({"page": target["page"], **figures})
            say(f"  {target['page']}: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, {figures['rps']} req/s")
    return pages


# --- Printing -----------------------------------------------------------------------------------------------------


def _s(stats: dict | None, digits: int = 1) -> str:
    """min–median–max as "p50 (min–max)"."""
    if not stats or stats.get("p50") is None:
        return "–"
    return f"{stats['p50']:.{digits}f} ({stats['min']:.{digits}f}–{stats['max']:.{digits}f})"


def growth(cpu_figures: dict, page: str) -> float | None:
    """How much more a request costs at 10× than at 1×: 1.0 is flat. The two scales are measured minutes apart, and
    a shared machine's speed moves in between (in one run the same bare view cost 0.63 ms in the 1× rounds and 0.92 ms
    in the 10× rounds), so the figure is the page's multiple of the anonymous floor measured just before it, at 10×
    over at 1×; without floors, the medians' ratio."""
    rows = {
        scale: next((p for p in figures["pages"] if p["page"] == page), None) for scale, figures in cpu_figures.items()
    }
    small, big = rows.get("1x"), rows.get("10x")
    if not small or not big:
        return None
    multiples = [(row.get("x_floor") or {}).get("anonymous", {}).get("p50") for row in (small, big)]
    if all(multiples):
        return round(multiples[1] / multiples[0], 2)
    if not small["cpu_ms"]["p50"]:
        return None
    return round(big["cpu_ms"]["p50"] / small["cpu_ms"]["p50"], 2)


def growth_cell(data: dict, page: str, kind: str = "warm") -> str:
    """The growth column of a page: the median (min–max) of its growth measured round by round, both scales side by
    side (``cpu.interleaved``); a report of before the scales were measured side by side has only ``growth``'s
    single figure."""
    paired = (data.get("growth") or {}).get(page)
    if paired:
        return _s(paired.get(kind), 2)
    if kind != "warm":
        return "–"
    return str(growth(data.get("cpu") or {}, page) or "–")


def _cpu_verdict(data: dict) -> list[str]:
    """The goals of issue 19 in two lines: how many key pages are within the CPU target at the largest scale, and
    how many grow no more than the growth target (median of the rounds, and in every round)."""
    figures = data.get("cpu") or {}
    last = figures[list(figures)[-1]]
    multiples = [p["x_floor"]["anonymous"]["p50"] for p in last["pages"] if (p.get("x_floor") or {}).get("anonymous")]
    lines = [
        f"- Within {TARGET_CPU_X_FLOOR}× the anonymous floor: {sum(m <= TARGET_CPU_X_FLOOR for m in multiples)} of "
        f"{len(multiples)} key pages (median of the rounds)."
    ]
    paired = [g["warm"] for g in (data.get("growth") or {}).values() if g["warm"]["p50"] is not None]
    if paired:
        lines.append(
            f"- Growth 1×→10× at most {TARGET_GROWTH}: {sum(g['p50'] <= TARGET_GROWTH for g in paired)} of "
            f"{len(paired)} key pages (median of the rounds); in every round: "
            f"{sum(g['max'] <= TARGET_GROWTH for g in paired)}."
        )
    for row in data.get("queries", []):
        page = next((p for p in last["pages"] if p["page"] == row["page"]), None)
        if not row.get("events_10x") or not page:
            continue
        built = (page.get("anew") or {}).get("cpu_ms") or {}
        line = f"- {row['page']}: {row['events_10x']} events at {list(figures)[-1]}; built anew {_s(built)} ms CPU"
        if built.get("p50") and row["events_10x"] >= FEED_EVENTS_FOR_A_RATE:
            line += (
                f", {built['p50'] * 1000 / row['events_10x']:.1f} ms per 1,000 events "
                f"(target {TARGET_FEED_MS_PER_1000})"
            )
        lines.append(f"{line}; kept {_s(page['cpu_ms'])} ms.")
    return [*lines, ""]


def _cpu_table(data: dict) -> list[str]:
    figures = data.get("cpu") or {}
    if not figures:
        return []
    scales = list(figures)
    last = figures[scales[-1]]
    has_db = any(p["db_ms"]["p50"] is not None for p in last["pages"])
    header = "| page | queries 1× / 10× | " + " | ".join(f"CPU ms {s}" for s in scales)
    header += f" | of which PostgreSQL ({scales[-1]})" if has_db else ""
    header += f" | × anonymous floor ({scales[-1]}) | × signed-in floor ({scales[-1]}) | growth 1×→10× |"
    anew = any(p.get("anew") for p in last["pages"])
    anew_growth = anew and any((g.get("anew") or {}).get("p50") for g in (data.get("growth") or {}).values())
    header += f" built anew: CPU ms ({scales[-1]}) | built anew: × anonymous floor ({scales[-1]}) |" if anew else ""
    header += " built anew: growth 1×→10× |" if anew_growth else ""
    columns = header.count("|") - 1
    side_by_side = bool(data.get("growth"))
    lines = [
        f"Server CPU per request (web worker{' + PostgreSQL backend' if has_db else ''}), median (min–max) of "
        f"{last['rounds']} interleaved rounds"
        + (", the scales side by side (a page's growth is taken round by round)" if side_by_side else "")
        + f"; load average during the rounds {_s(last['load_average_1min'], 2)}.",
        "",
        *_cpu_verdict(data),
        header,
        "|" + "---|" * columns,
    ]
    for name, label in (("anonymous", "floor: bare anonymous view"), ("signed_in", "floor: bare signed-in view")):
        row = f"| {label} | – | " + " | ".join(_s(figures[s]["floors"][name]["cpu_ms"], 2) for s in scales)
        row += f" | {_s(last['floors'][name]['db_ms'], 2)}" if has_db else ""
        ratio = last["floors"][name]["cpu_ms"]["p50"] / last["floors"]["anonymous"]["cpu_ms"]["p50"]
        row += f" | {ratio:.1f} | 1 | – |" if name == "signed_in" else " | 1 | – | – |"
        row += " – | – |" if anew else ""
        row += " – |" if anew_growth else ""
        lines.append(row)
    counts = {row["page"]: row for row in data.get("queries", [])}
    for page in last["pages"]:
        name = page["page"]
        q = counts.get(name, {})
        row = f"| {name} | {q.get('queries_1x', '–')} / {q.get('queries_10x', '–')} | "
        row += " | ".join(_s(next(p for p in figures[s]["pages"] if p["page"] == name)["cpu_ms"]) for s in scales)
        row += f" | {_s(page['db_ms'])}" if has_db else ""
        row += f" | {_s(page['x_floor']['anonymous'])} | {_s(page['x_floor']['signed_in'])} |"
        row += f" {growth_cell(data, name)} |"
        if anew:
            built = page.get("anew") or {}
            row += f" {_s(built.get('cpu_ms'))} | {_s(built.get('x_floor'))} |"
        if anew_growth:
            row += f" {growth_cell(data, name, 'anew')} |"
        lines.append(row)
    return [*lines, ""]


def table(report: dict) -> str:
    """The report as Markdown tables, for the terminal and docs/benchmark/README.md."""
    lines = []
    rot = report.get("rotation", {})
    if rot:
        mun, worst = rot["municipality"], rot["worst_case_every_committee_all_workplaces"]
        lines += [
            "| rotation (CPU time) | figure |",
            "|---|---|",
            f"| municipality: {mun['committees']} committees × {mun['workplaces_per_committee']} workplaces | "
            f"{mun['seconds']} s CPU ({mun.get('wall_seconds', '–')} s wall), at best spread: "
            f"{mun['at_best_spread']} |",
            f"| worst case: {worst['committees']} committees × {worst['workplaces_per_committee']} workplaces | "
            f"{worst['seconds']} s CPU ({worst.get('wall_seconds', '–')} s wall), at best spread: "
            f"{worst['at_best_spread']} |",
            f"| ten consecutive years | worst spread {rot['ten_years']['worst_spread']}, always at best: "
            f"{rot['ten_years']['always_at_best']}, slowest year "
            f"{max(y['seconds'] for y in rot['ten_years']['years'])} s CPU |",
            "",
        ]
    for backend, data in report["backends"].items():
        if "skipped" in data:
            lines += [f"**{backend}**: skipped ({data['skipped']})", ""]
            continue
        seeds = [data[k] for k in ("seed_1x", "seed_10x") if k in data]
        sizes = " and ".join(f"{seed['workplaces']} workplaces" for seed in seeds)
        lines += [f"**{backend}** ({sizes}, {seeds[-1]['years']} years)", ""]
        lines += _cpu_table(data)
        lines += page_profile.section(
            data.get("profile") or {}, report.get("targets", {}).get("cpu_x_floor", TARGET_CPU_X_FLOOR)
        )
        if isinstance(data.get("pages"), list):
            pages = data["pages"]
            lines += [
                "Secondary: latency and throughput under load (wrk, "
                f"{report['options']['clients']} clients, {report['options']['workers']} workers; "
                "this measures queueing as much as the page):",
                "",
                "| page | p50 ms | p95 ms | req/s | share of floor's req/s |",
                "|---|---|---|---|---|",
            ]
            for p in pages:
                lines.append(
                    f"| {p['page']} | {p['p50_ms']} | {p['p95_ms']} | {p['rps']} | {p.get('share_of_floor', 1)} |"
                )
        cel = data.get("celery")
        if cel:
            pub, queue, worker = cel["publish"], cel["queue"], cel["worker"]
            lines += [
                "",
                f"Celery: publishing {pub['meetings']} meetings with {pub['invitations']} invitations took "
                f"{pub['publish_seconds']} s ({pub['publish_ms_per_meeting']} ms a meeting); queueing "
                f"{queue['notices']} notices {queue['queue_ms_per_notice']} ms each; a worker (concurrency "
                f"{worker['worker_concurrency']}) sent {worker['delivered']} in {worker['seconds']} s "
                f"({worker['ms_per_notice']} ms each), peak memory {worker['worker_peak_rss_mb']} MB.",
            ]
        c = data.get("contention")
        if c:
            lines += [
                "",
                f"Contention: {c['attempts']} booking attempts by {c.get('politicians', 50)} politicians on "
                f"{c.get('places', 10)} places: "
                f"{c['bookings_in_database']} bookings in the database, {c['server_errors']} server errors, "
                f"{c['slots_over_capacity']} places over capacity, refused answers p95 {c['refused_p95_ms']} ms.",
            ]
        lines.append("")
    return "\n".join(lines)


def publish(report: dict, directory: Path = PUBLISHED_DIR) -> Path:
    """Write the run to ``docs/benchmark/``: ``results.json`` (what the smoke test compares with) and ``README.md``
    (the tables, with the date and the machine)."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "results.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    m = report["machine"]
    opts = report["options"]
    text = [
        "# Benchmark: the last published run",
        "",
        "[Benchmark](../benchmark.md) · [JSON](results.json)",
        "",
        f"- Date: {report['when']} (run {report.get('run_id', '–')})",
        f"- Machine: {m.get('cpus')} CPUs ({m.get('cpu', '?')}), {m.get('memory_gib', '?')} GiB, "
        f"{m.get('platform')}, Python {m.get('python')}",
        f"- Load average (1, 5, 15 min) at the start {m.get('load_average_at_start')}, at the end "
        f"{m.get('load_average_at_end')}: the machine was shared, so absolute figures are indicative; the ratios "
        "to the floors, measured interleaved in the same rounds, are what to compare.",
        f"- Options: {opts['workplaces']} workplaces at 10× "
        f"({max(opts['committees'], opts['workplaces'] // 10)} at 1×), "
        f"{opts['committees']} committees, {opts['years']} years; scales {', '.join(opts['scales'])}; "
        f"{opts['rounds']} rounds of {opts['batch_seconds']} s a page; backends {', '.join(opts['backends'])}.",
        "",
        table(report),
    ]
    (directory / "README.md").write_text("\n".join(text).rstrip() + "\n", encoding="utf-8")
    return directory
