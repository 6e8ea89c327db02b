"""``manage.py benchmark``: seed, measure and report, on the embedded default and on PostgreSQL + Redis.

The run is orchestrated from this process; everything that needs Django on a benchmark database runs in a
subprocess (``manage.py benchmark --part …``) with that database's environment, because a Django process is bound
to one database. Production settings (``DJANGO_DEBUG=false``) are used throughout; two-factor is switched off so
the load clients need no TOTP, and the HTTPS redirect is off because the server is reached on loopback.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
import redis

from . import celery_bench, contention, load
from . import rotation as rotation_bench

ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = ROOT / "var" / "bench"
PG_BASE = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")

# Targets from issue #7; reported beside the figures, never asserted in the unit tests.
TARGET_QUERIES = 12
TARGET_P95_MS = 150
TARGET_FLOOR_SHARE = 0.1
TARGET_FEED_MS = 150
TARGET_ROTATION_S = 1.0


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
    }
    if backend == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{BENCH_DIR / f'{name}.sqlite3'}"
        env.pop("REDIS_URL", None)
    else:
        env["DATABASE_URL"] = f"{PG_BASE}/dialogportal_bench_{name}"
        env["REDIS_URL"] = REDIS
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


def _fresh_database(backend: str, env: dict) -> None:
    if backend == "sqlite":
        path = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
    else:
        name = env["DATABASE_URL"].rsplit("/", 1)[1]
        connection = psycopg2.connect(f"{PG_BASE}/postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
        connection.close()


def _seed(backend: str, name: str, workplaces: int, opts: Options) -> tuple[dict, dict]:
    env = _env(backend, name)
    _fresh_database(backend, env)
    _manage(env, "migrate", "--noinput", "-v0")
    seed_json = BENCH_DIR / f"seed-{backend}-{name}.json"
    _manage(
        env,
        "seed_scale",
        f"--workplaces={workplaces}",
        f"--committees={opts.committees}",
        f"--years={opts.years}",
        f"--json={seed_json}",
    )
    return env, json.loads(seed_json.read_text())


def _postgres_available() -> bool:
    try:
        psycopg2.connect(f"{PG_BASE}/postgres", connect_timeout=3).close()

        redis.Redis.from_url(REDIS, socket_connect_timeout=3).ping()
    except Exception:
        return False
    return True


def run(opts: Options, say=print) -> dict:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    report: dict = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "options": {k: v for k, v in vars(opts).items() if k != "log"},
        "targets": {
            "queries": TARGET_QUERIES,
            "p95_ms": TARGET_P95_MS,
            "share_of_floor": TARGET_FLOOR_SHARE,
            "feed_ms": TARGET_FEED_MS,
            "rotation_s": TARGET_ROTATION_S,
        },
        "backends": {},
    }
    static_env = _env("sqlite", "static")
    _manage(static_env, "collectstatic", "--noinput", "-v0")
    say("Rotation planner (pure) …")
    report["rotation"] = rotation_bench.run(
        workplaces=opts.workplaces, committees=opts.committees, year=dt.date.today().year + 1
    )
    for backend in opts.backends:
        if backend == "postgresql" and not _postgres_available():
            say("PostgreSQL or Redis is not reachable: skipping that backend.")
            report["backends"][backend] = {"skipped": "PostgreSQL or Redis not reachable"}
            continue
        report["backends"][backend] = _run_backend(backend, opts, say)
    return report


def _run_backend(backend: str, opts: Options, say) -> dict:
    small = max(opts.committees, opts.workplaces // 10)
    out: dict = {}
    say(f"[{backend}] seeding 1× ({small} workplaces) …")
    env_small, out["seed_1x"] = _seed(backend, "1x", small, opts)
    queries_small = _part(env_small, "queries")
    say(f"[{backend}] seeding 10× ({opts.workplaces} workplaces) …")
    env, out["seed_10x"] = _seed(backend, "10x", opts.workplaces, opts)
    queries_big = _part(env, "queries")
    out["queries"] = [
        {
            "page": big["page"],
            "status": big["status"],
            "queries_1x": small_row["queries"],
            "queries_10x": big["queries"],
            "equal": small_row["queries"] == big["queries"],
            "while_rendering_10x": big["queries_while_rendering"],
            "kb_10x": round(big["bytes"] / 1024, 1),
        }
        for small_row, big in zip(queries_small, queries_big, strict=True)
    ]
    targets = _part(env, "sessions")
    if not load.wrk_available():
        say("wrk is not installed (apt-get install wrk): skipping the load figures.")
        out["pages"] = {"skipped": "wrk not installed"}
        return out
    say(f"[{backend}] load: {opts.clients} clients, {opts.seconds} s a page, {opts.workers} gunicorn workers …")
    with load.gunicorn(env, workers=opts.workers, log_path=BENCH_DIR / f"gunicorn-{backend}.log") as base:
        floor = load.wrk(base + "/healthz", clients=opts.clients, seconds=opts.seconds)
        pages = [{"page": "floor (bare Django view)", **floor}]
        for target in targets:
            cookie = f"sessionid={target['session']}" if target["session"] else ""
            load.warm(base + target["path"], cookie=cookie, rounds=opts.workers)
            figures = load.wrk(base + target["path"], cookie=cookie, clients=opts.clients, seconds=opts.seconds)
            figures["share_of_floor"] = round(figures["rps"] / floor["rps"], 3) if floor["rps"] else None
            pages.append({"page": target["page"], **figures})
            say(f"  {target['page']}: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, {figures['rps']} req/s")
        out["pages"] = pages
        say(f"[{backend}] contention: 50 politicians, 10 places …")
        prepared = _part(env, "contention-prepare")

        storm = contention.storm(base, slots=prepared["slots"], sessions=prepared["sessions"])
        out["contention"] = {**storm, **_part(env, "contention-verify", json.dumps(prepared["slots"]))}
    say(f"[{backend}] Celery: publish 1,000 meetings, queue and send {opts.notices} notices on a real worker …")

    published = _part(env, "celery-publish")
    queued = _part(env, "celery-queue", str(opts.notices))
    drained = celery_bench.drain(
        {**env, "EMAIL_URL": "dummymail://"},
        first_id=queued["first_id"],
        last_id=queued["last_id"],
        notices=opts.notices,
    )
    out["celery"] = {"publish": published, "queue": queued, "worker": drained}
    return out


# --- Printing -----------------------------------------------------------------------------------------------------


def table(report: dict) -> str:
    """The report as Markdown tables, for the terminal and the README."""
    lines = []
    rot = report.get("rotation", {})
    if rot:
        lines += [
            "| rotation | figure |",
            "|---|---|",
            f"| municipality: {rot['municipality']['committees']} committees × "
            f"{rot['municipality']['workplaces_per_committee']} workplaces | {rot['municipality']['seconds']} s, "
            f"at best spread: {rot['municipality']['at_best_spread']} |",
            f"| worst case: {rot['worst_case_every_committee_all_workplaces']['committees']} committees × "
            f"{rot['worst_case_every_committee_all_workplaces']['workplaces_per_committee']} workplaces | "
            f"{rot['worst_case_every_committee_all_workplaces']['seconds']} s, at best spread: "
            f"{rot['worst_case_every_committee_all_workplaces']['at_best_spread']} |",
            f"| ten consecutive years | worst spread {rot['ten_years']['worst_spread']}, always at best: "
            f"{rot['ten_years']['always_at_best']}, slowest year "
            f"{max(y['seconds'] for y in rot['ten_years']['years'])} s |",
            "",
        ]
    for backend, data in report["backends"].items():
        if "skipped" in data:
            lines += [f"**{backend}**: skipped ({data['skipped']})", ""]
            continue
        pages = {p["page"]: p for p in data.get("pages", []) if isinstance(data.get("pages"), list)}
        lines += [
            f"**{backend}** ({data['seed_10x']['workplaces']} workplaces, {data['seed_10x']['years']} years)",
            "",
            "| page | queries 1× / 10× | while rendering | p50 ms | p95 ms | req/s | × floor |",
            "|---|---|---|---|---|---|---|",
        ]
        floor = pages.get("floor (bare Django view)")
        if floor:
            lines.append(
                f"| floor (bare Django view) | – | – | {floor['p50_ms']} | {floor['p95_ms']} | {floor['rps']} | 1 |"
            )
        for row in data["queries"]:
            p = pages.get(row["page"], {})
            lines.append(
                f"| {row['page']} | {row['queries_1x']} / {row['queries_10x']} | {row['while_rendering_10x']} | "
                f"{p.get('p50_ms', '–')} | {p.get('p95_ms', '–')} | {p.get('rps', '–')} | "
                f"{p.get('share_of_floor', '–')} |"
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
                f"Contention: {c['attempts']} booking attempts by 50 politicians on 10 places: "
                f"{c['bookings_in_database']} bookings in the database, {c['server_errors']} server errors, "
                f"{c['slots_over_capacity']} places over capacity, refused answers p95 {c['refused_p95_ms']} ms.",
            ]
        lines.append("")
    return "\n".join(lines)
