"""Pages under load: gunicorn with several workers, wrk as concurrent clients, the bare view as the floor.

wrk (Debian package ``wrk``) is a small C load generator; it sends the session cookie of the person a page is
for and reports latency percentiles through ``wrk_report.lua``. Everything runs on this machine, so the figures
include the client's share of the CPU; the bare Django view, measured in the same run on the same server, is the
yardstick each page is compared with.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

LUA = Path(__file__).with_name("wrk_report.lua")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(env: dict, *, workers: int = 4, port: int | None = None, log_path: Path | None = None):
    """Start ``gunicorn dialog_portal.wsgi`` on 127.0.0.1 and yield its base URL; stop it afterwards."""
    with gunicorn_process(env, workers=workers, port=port, log_path=log_path) as (base, _pid):
        yield base


@contextmanager
def gunicorn_process(env: dict, *, workers: int = 4, port: int | None = None, log_path: Path | None = None):
    """Start ``gunicorn dialog_portal.wsgi`` and yield its base URL and the master's pid (its workers are its
    children, whose CPU the benchmark reads); stop it afterwards."""
    port = port or free_port()
    root = Path(__file__).resolve().parents[2]
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "dialog_portal.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    log = open(log_path or os.devnull, "ab")  # noqa: SIM115 - closed below
    process = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=log)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base + "/healthz", process)
        yield base, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own local server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer in time")


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def warm(url: str, *, cookie: str = "", rounds: int = 2) -> None:
    """Ask for a page before it is measured, once per worker or so: the first answer of each gunicorn worker loads
    templates and warms caches, and on a busy machine it alone can outlast a short run, leaving it with no answers."""
    request = urllib.request.Request(  # noqa: S310 - our own local server
        url, headers={"X-Forwarded-Proto": "https", **({"Cookie": cookie} if cookie else {})}
    )
    for _ in range(rounds):
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - our own local server
            response.read()


def wrk(url: str, *, cookie: str = "", clients: int = 16, seconds: int = 10, threads: int = 2) -> dict:
    """Load one URL: median and p95 latency (ms), requests per second, non-2xx answers and socket errors."""
    command = ["wrk", f"-t{threads}", f"-c{clients}", f"-d{seconds}s", "--timeout", "10s", "-s", str(LUA)]
    command += ["-H", "X-Forwarded-Proto: https"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(url)
    result = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 60)  # noqa: S603
    line = next(line for line in result.stdout.splitlines() if line.startswith("{"))
    return json.loads(line)
