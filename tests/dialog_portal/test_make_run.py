"""`make run` (scripts/run): the base URL follows the port, every signal stops the Celery worker and beat it started,
and Django's log lines are printed once. The script runs in a copy of the project whose python, celery and bootstrap
are small stand-ins, so no server is started."""

import os
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def _settings_value(name: str, **env) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"PORT", "PORTAL_BASE_URL"}}
    code = f"from django.conf import settings; print(settings.{name})"
    result = subprocess.run(
        [PYTHON, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "dialog_portal.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.strip()


def test_the_base_url_follows_the_port_when_it_is_not_set():
    assert _settings_value("PORTAL_BASE_URL") == "http://localhost:8000"
    assert _settings_value("PORTAL_BASE_URL", PORT="8080") == "http://localhost:8080"


def test_a_base_url_set_explicitly_wins_over_the_port():
    assert _settings_value("PORTAL_BASE_URL", PORT="8080", PORTAL_BASE_URL="https://dialog.example/") == (
        "https://dialog.example"
    )


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def _project(tmp_path: Path, *, serve: bool) -> Path:
    """A copy of scripts/run with stand-ins. The python stand-in notes its arguments and PORT; runserver sleeps when
    ``serve`` is true. The celery stand-in starts a 'beat' child, writes both process ids and, like Celery, does not
    stop on SIGHUP."""
    _write(tmp_path / "scripts" / "run", (ROOT / "scripts" / "run").read_text())
    _write(tmp_path / "scripts" / "bootstrap", "#!/bin/sh\n")
    runserver = "exec sleep 300" if serve else "exit 0"
    _write(
        tmp_path / ".venv" / "bin" / "python",
        f'#!/bin/sh\necho "PORT=$PORT $*" >> {tmp_path}/calls.txt\n'
        f'if [ "$2" = "runserver" ]; then echo $$ > {tmp_path}/server.pid; {runserver}; fi\n',
    )
    _write(
        tmp_path / ".venv" / "bin" / "celery",
        f"#!/bin/sh\ntrap '' HUP\nsleep 300 &\necho $! > {tmp_path}/beat.pid\necho $$ > {tmp_path}/worker.pid\nwait\n",
    )
    return tmp_path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A process that has died but was not reaped yet counts as gone.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[-1][0] != "Z"
    except FileNotFoundError:
        return False


def _wait_for(path: Path, seconds: float = 20) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return int(path.read_text())
        time.sleep(0.05)
    raise AssertionError(f"{path.name} never appeared")


def test_make_run_gives_the_port_to_every_command(tmp_path):
    project = _project(tmp_path, serve=False)
    env = {k: v for k, v in os.environ.items() if k not in {"HOST", "PORT"}}
    subprocess.run(["bash", str(project / "scripts" / "run")], env={**env, "PORT": "8080"}, check=True, timeout=60)
    calls = (project / "calls.txt").read_text().splitlines()
    assert calls == [
        "PORT=8080 manage.py migrate --noinput",
        "PORT=8080 manage.py seed_demo",
        "PORT=8080 manage.py runserver 127.0.0.1:8080",
    ]


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGINT, signal.SIGTERM], ids=["hup", "int", "term"])
def test_every_signal_stops_the_celery_worker_and_beat_that_make_run_started(tmp_path, sig):
    project = _project(tmp_path, serve=True)
    env = {k: v for k, v in os.environ.items() if k not in {"HOST", "PORT"}}
    # A session of its own, as a terminal gives: the signal goes to the whole foreground process group.
    script = subprocess.Popen(["bash", str(project / "scripts" / "run")], env=env, start_new_session=True)
    try:
        worker, beat = _wait_for(project / "worker.pid"), _wait_for(project / "beat.pid")
        _wait_for(project / "server.pid")
        assert _alive(worker) and _alive(beat)

        os.killpg(script.pid, sig)
        script.wait(timeout=30)

        deadline = time.monotonic() + 15
        while (_alive(worker) or _alive(beat)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(worker)
        assert not _alive(beat)
    finally:
        for name in ("worker.pid", "beat.pid", "server.pid"):
            path = project / name
            if path.exists() and path.read_text().strip() and _alive(int(path.read_text())):
                os.kill(int(path.read_text()), signal.SIGKILL)
        if script.poll() is None:
            script.kill()


def test_a_django_log_line_is_printed_once(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k != "LOG_LEVEL"}
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('django.request').warning('Not Found: /findes-ikke/'); "
        "logging.getLogger('django.server').info('\"GET / HTTP/1.1\" 200 1'); "
        "logging.getLogger('meetings').warning('En linje fra portalen')"
    )
    result = subprocess.run(
        [PYTHON, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "dialog_portal.settings", "DJANGO_DEBUG": "true"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    lines = result.stderr.splitlines()
    assert lines.count("Not Found: /findes-ikke/") == 1
    assert sum('"GET / HTTP/1.1" 200 1' in line for line in lines) == 1
    assert lines.count("En linje fra portalen") == 1
