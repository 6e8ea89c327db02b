"""Production settings: fail fast without a secret, and pass Django's deployment checks."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _python(*args, env: dict, check: bool = False) -> subprocess.CompletedProcess:
    """Python in a fresh process in the project folder, with exactly ``env`` as its environment."""
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=check, timeout=120
    )


def _manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return _python("manage.py", *args, env={**clean, **env})


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_a_key_for_the_hash_chains():
    result = _manage(
        "check",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="dialog.example",
        DIALOG_MFA_KEY="cHJvZHVjdGlvbi1saWtlLW1mYS1rZXktMDEyMzQ1Njc=",
        DIALOG_CHAIN_KEY="",
    )
    assert result.returncode != 0
    assert "DIALOG_CHAIN_KEY must be set" in result.stderr


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="x" * 20 + "-production-like-secret-value-0123456789",
        DIALOG_MFA_KEY="cHJvZHVjdGlvbi1saWtlLW1mYS1rZXktMDEyMzQ1Njc=",
        DIALOG_CHAIN_KEY="y" * 20 + "-production-like-chain-key-0123456789",
        DJANGO_ALLOWED_HOSTS="dialog.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_embedded_default_uses_sqlite_and_a_serverless_broker(tmp_path):
    code = (
        "import django;django.setup();from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.TIME_ZONE, s.LANGUAGE_CODE)"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}}
    environment = {**clean, "DJANGO_SETTINGS_MODULE": "dialog_portal.settings", "DIALOG_VAR_DIR": str(tmp_path)}
    result = _python("-c", code, env=environment, check=True)
    assert result.stdout.split() == ["django.db.backends.sqlite3", "filesystem://", "Europe/Copenhagen", "da"]


def _settings_in(project: Path, env_file: str, **environment) -> dict:
    """Load a copy of the settings module as if the project lived in ``project``, with ``env_file`` as its .env,
    in a fresh interpreter (reading .env changes the process's environment); the values come back as JSON."""
    (project / "dialog_portal").mkdir(parents=True)
    shutil.copy(ROOT / "dialog_portal" / "settings.py", project / "dialog_portal" / "settings.py")
    (project / ".env").write_text(env_file)
    copy = str(project / "dialog_portal" / "settings.py")
    code = (
        "import importlib.util, json, sys; "
        f"spec = importlib.util.spec_from_file_location('copied_settings', {copy!r}); "
        "s = importlib.util.module_from_spec(spec); spec.loader.exec_module(s); "
        "print(json.dumps({'VAR_DIR': str(s.VAR_DIR), 'MEDIA_ROOT': str(s.MEDIA_ROOT), "
        "'DIALOG_ANCHOR_DIR': str(s.DIALOG_ANCHOR_DIR), 'CELERY_BROKER_URL': s.CELERY_BROKER_URL}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DIALOG_", "CELERY_"))}
    # A portal process, not a test process: without the test runner's PYTEST_XDIST_WORKER (dialog_portal/settings.py).
    clean = {k: v for k, v in clean.items() if k not in {"DATABASE_URL", "REDIS_URL", "PYTEST_XDIST_WORKER"}}
    return json.loads(_python("-c", code, env={**clean, **environment}, check=True).stdout)


def test_the_var_folder_named_in_dot_env_is_used(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    values = _settings_in(tmp_path / "project", f"DIALOG_VAR_DIR={elsewhere}\n")
    assert values["VAR_DIR"] == str(elsewhere)
    assert values["MEDIA_ROOT"] == str(elsewhere / "media")
    assert values["DIALOG_ANCHOR_DIR"] == str(elsewhere / "anchors")
    assert (elsewhere / "celery" / "broker").is_dir()  # the embedded broker's folders went there too
    assert not (tmp_path / "project" / "var").exists()


def test_a_relative_var_folder_is_taken_from_the_project_folder_and_the_environment_wins_over_dot_env(tmp_path):
    project = tmp_path / "project"
    assert _settings_in(project, "DIALOG_VAR_DIR=data/var\n")["VAR_DIR"] == str(project / "data" / "var")
    chosen = tmp_path / "from-the-environment"
    values = _settings_in(tmp_path / "second", "DIALOG_VAR_DIR=data/var\n", DIALOG_VAR_DIR=str(chosen))
    assert values["VAR_DIR"] == str(chosen)
