"""`make test` installs only the system tools that are missing (scripts/test_tools). It runs here with a PATH of
stand-ins: ``id`` says who we are, ``apt-get`` and ``sudo`` note how they were called, and the tools that exist are
empty scripts."""

import os
import shutil
import stat
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("msgfmt", "wrk", "redis-server", "node", "npm")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def run_tools(tmp_path, *, present=TOOLS, chromium=True, uid=1000, sudo=False, ci=False):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    os.symlink(shutil.which("dirname"), bin_dir / "dirname")
    calls = tmp_path / "calls.txt"
    calls.touch()
    _write(bin_dir / "id", f"#!/bin/sh\necho {uid}\n")
    _write(bin_dir / "apt-get", f'#!/bin/sh\necho "apt-get $*" >> {calls}\n')
    if sudo:
        _write(bin_dir / "sudo", f'#!/bin/sh\necho "sudo $*" >> {calls}\nexec {shutil.which("env")} "$@"\n')
    for tool in present:
        _write(bin_dir / tool, "#!/bin/sh\n")
    chromium_path = tmp_path / "chromium"
    if chromium:
        _write(chromium_path, "#!/bin/sh\n")
    _write(tmp_path / "scripts" / "test_tools", (ROOT / "scripts" / "test_tools").read_text())
    env = {"PATH": str(bin_dir), "CHROMIUM_PATH": str(chromium_path), "HOME": str(tmp_path)}
    if ci:
        env["CI"] = "true"
    result = subprocess.run(
        ["/bin/bash", str(tmp_path / "scripts" / "test_tools")], env=env, capture_output=True, text=True, timeout=60
    )
    installs = [line for line in calls.read_text().splitlines() if line.startswith("apt-get install ")]
    return result, installs


def test_nothing_is_installed_when_every_tool_is_there(tmp_path):
    result, installs = run_tools(tmp_path, uid=0)
    assert result.returncode == 0
    assert installs == []


def test_as_root_only_the_missing_tool_is_installed(tmp_path):
    result, installs = run_tools(tmp_path, uid=0, present=("msgfmt", "redis-server", "node", "npm"))
    assert result.returncode == 0
    assert installs == ["apt-get install -y -qq wrk"]


def test_each_tool_is_checked_on_its_own(tmp_path):
    result, installs = run_tools(tmp_path, uid=0, present=("wrk", "node"), chromium=False)
    assert result.returncode == 0
    assert installs == ["apt-get install -y -qq chromium gettext redis-server npm"]


def test_with_sudo_the_missing_tools_are_installed_through_sudo(tmp_path):
    result, installs = run_tools(tmp_path, sudo=True, present=("msgfmt", "wrk", "redis-server"))
    assert result.returncode == 0
    assert installs == ["apt-get install -y -qq nodejs npm"]
    assert "sudo apt-get" in (tmp_path / "calls.txt").read_text()


def test_without_root_or_sudo_it_says_exactly_what_to_install_and_goes_on(tmp_path):
    result, installs = run_tools(tmp_path, present=("wrk", "redis-server", "node", "npm"), chromium=False)
    assert result.returncode == 0
    assert installs == []
    assert "apt-get install chromium gettext" in result.stderr
    assert "Going on with what is here" in result.stderr
    assert "sudo: command not found" not in result.stderr


def test_in_ci_without_root_or_sudo_it_fails_rather_than_skips(tmp_path):
    result, installs = run_tools(tmp_path, ci=True, present=("msgfmt", "wrk", "node", "npm"))
    assert result.returncode == 1
    assert installs == []
    assert "apt-get install redis-server" in result.stderr
    assert "failing rather than skipping" in result.stderr
