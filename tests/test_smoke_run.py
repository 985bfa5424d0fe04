"""The README's first command brings the app up from a fresh clone (issue 2): clone, run
`python3 dev.py run` on embedded defaults (SQLite + SQLite broker), get the login page and the
API schema, check the worker and beat started, stop it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, resp.read()
    except OSError:
        return 0, b""


def test_first_command_from_fresh_clone(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "CELERY_TASK_ALWAYS_EAGER", "VAR_DIR"}
    }
    # Reuse this interpreter's venv site-packages only through pip's cache: the clone makes its own venv.
    log = (tmp_path / "run.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "dev.py", "run", "--port", str(port), "--web-workers", "1"],
        cwd=clone,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 600
        status = 0
        while time.monotonic() < deadline and proc.poll() is None:
            status, body = get(f"http://127.0.0.1:{port}/login/")
            if status == 200:
                break
            time.sleep(2)
        output = (tmp_path / "run.log").read_text(errors="replace")
        assert status == 200, output[-4000:]
        assert "csrfmiddlewaretoken" in body.decode()
        status, schema = get(f"http://127.0.0.1:{port}/api/v1/schema/")
        assert status == 200 and b"/api/v1/platform/sync" in schema
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            output = (tmp_path / "run.log").read_text(errors="replace")
            if "ready." in output and "beat: Starting" in output:
                break
            time.sleep(1)
        assert "ready." in output, output[-3000:]  # the Celery worker
        assert "beat: Starting" in output, output[-3000:]
        assert "demo-pass-123" in output  # printed logins
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
        # dev.py's children run in their own sessions; make sure none survive.
        subprocess.run(["pkill", "-f", str(clone)], check=False)
        time.sleep(3)
        subprocess.run(["pkill", "-9", "-f", str(clone)], check=False)
