"""Production settings: fail fast without a secret, and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


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
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={**clean, "DJANGO_SETTINGS_MODULE": "dialog_portal.settings", "DIALOG_VAR_DIR": str(tmp_path)},
    )
    assert result.stdout.split() == ["django.db.backends.sqlite3", "filesystem://", "Europe/Copenhagen", "da"]
