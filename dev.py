#!/usr/bin/env python3
"""The two commands (README):

    python3 dev.py run    # venv + install + migrate + demo data, then web + worker + beat
    python3 dev.py test   # the whole test suite

Only a Python 3.11 interpreter is needed. With nothing set, the app runs on SQLite and a
Celery broker on a SQLite file (kombu's SQLAlchemy transport); DATABASE_URL / REDIS_URL
switch to PostgreSQL / Redis.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("VENV_DIR", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"


def sh(*args: str | Path, env: dict | None = None) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True, env=env)


def ensure_venv(dev: bool) -> None:
    if not PY.exists():
        sh(sys.executable, "-m", "venv", VENV)
    req = ROOT / ("requirements-dev.txt" if dev else "requirements.txt")
    stamp = VENV / f".installed-{req.name}"
    digest = str(req.stat().st_mtime_ns) + "".join(p.read_text() for p in ROOT.glob("requirements*.txt"))
    if not stamp.exists() or stamp.read_text() != digest:
        sh(PY, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", req)
        stamp.write_text(digest)


def manage(*args: str, env: dict | None = None) -> None:
    sh(PY, ROOT / "manage.py", *args, env=env)


def cmd_run(opts: argparse.Namespace) -> int:
    ensure_venv(dev=False)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.local")}
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("collectstatic", "--noinput", "-v", "0", env=env)
    manage("seed_demo", env=env)
    url = f"http://127.0.0.1:{opts.port}/"
    print(
        f"\n  App:        {url}\n  Admin:      {url}admin/   (reviewer / demo-pass-123)\n"
        f"  API docs:   {url}api/v1/docs/\n  Stop with Ctrl-C.\n",
        flush=True,
    )
    procs = {
        "web": [
            BIN / "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{opts.port}",
            "--workers",
            str(opts.web_workers),
            "--access-logfile",
            "-",
        ],
        "worker": [BIN / "celery", "-A", "config", "worker", "--loglevel", "INFO", "--concurrency", "2"],
        "beat": [BIN / "celery", "-A", "config", "beat", "--loglevel", "INFO"],
    }
    running = {
        name: subprocess.Popen([str(a) for a in cmd], cwd=ROOT, env=env, start_new_session=True)
        for name, cmd in procs.items()
    }

    def stop(*_: object) -> None:
        for p in running.values():
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in running.values():
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)

    signal.signal(signal.SIGTERM, lambda *a: (stop(), sys.exit(0)))
    try:
        while True:
            for name, p in running.items():
                if p.poll() is not None:
                    print(f"{name} exited with {p.returncode}; stopping", flush=True)
                    stop()
                    return p.returncode or 1
            with contextlib.suppress(subprocess.TimeoutExpired):
                next(iter(running.values())).wait(timeout=1)
    except KeyboardInterrupt:
        stop()
        return 0


def cmd_test(opts: argparse.Namespace) -> int:
    ensure_venv(dev=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    if shutil.which("chromium") is None and not os.environ.get("CI"):
        print("note: Debian's chromium is not installed; browser tests will skip (apt-get install chromium)")
    args = [PY, "-m", "pytest", *opts.pytest_args]
    print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.run([str(a) for a in args], cwd=ROOT, env=env).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run", help="set up and run web + worker + beat with demo data")
    run.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    run.add_argument("--web-workers", type=int, default=2)
    test = sub.add_parser("test", help="run the whole test suite (extra args go to pytest)")
    test.add_argument("pytest_args", nargs=argparse.REMAINDER)
    opts, extra = parser.parse_known_args()
    if opts.cmd == "run":
        if extra:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        return cmd_run(opts)
    opts.pytest_args = [*extra, *opts.pytest_args]  # e.g. `dev.py test -m "not slow" tests/claims`
    return cmd_test(opts)


if __name__ == "__main__":
    sys.exit(main())
