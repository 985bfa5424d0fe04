"""Broker faults (issue 7): with Redis stopped, pages and the API keep working and work queued
after commit waits in the outbox; when Redis returns, the relay delivers it to a real worker and
nothing is lost or done twice. Uses a private redis-server on a free port, stopped and restarted
by the test, so the machine's shared Redis is untouched."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from django.db import transaction

from tests.conftest import IN_CI, free_port, require_postgres
from tests.shop.test_worker import start_worker, wait_for, worker_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


class PrivateRedis:
    def __init__(self, tmp: Path) -> None:
        self.port, self.dir, self.proc = free_port(), tmp, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_for(self.up, 10), "redis-server did not start"

    def up(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None


@pytest.fixture
def private_redis(tmp_path):
    if shutil.which("redis-server") is None:
        if IN_CI:
            pytest.fail("redis-server must be installed in CI")
        pytest.skip("redis-server not installed")
    redis = PrivateRedis(tmp_path)
    redis.start()
    yield redis
    redis.stop()


def reset_pools(app) -> None:
    """Forget broker connections so the next publish connects to the current broker URL."""
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker(private_redis):
    from config.celery import app

    old = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.task_always_eager = False
    app.conf.broker_url = private_redis.url
    reset_pools(app)
    yield app
    app.conf.broker_url, app.conf.task_always_eager = old
    reset_pools(app)


def test_outbox_keeps_work_while_redis_is_down_and_delivers_once_back(broker, private_redis, settings, client):
    require_postgres()
    from shop import outbox
    from shop.models import AuditLog, OutboxMessage
    from tests.shop.factories import OrderFactory, make_user

    order = OrderFactory()
    merchant = make_user("merchant", shop=order.shop)
    private_redis.stop()

    marker = uuid.uuid4().hex
    with transaction.atomic():
        outbox.enqueue("shop.ping", marker=marker)
    msg = OutboxMessage.objects.get(kwargs__marker=marker)
    assert msg.sent_at is None and msg.attempts >= 1 and msg.last_error  # kept for the relay

    # Pages and the API keep working while the broker is down.
    assert client.get("/healthz").status_code == 200
    client.force_login(merchant)
    assert client.get("/").status_code == 200
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(merchant)
    assert api.get(f"/api/v1/orders/{order.code}").status_code == 200
    assert outbox.relay() == 0  # still down: nothing sent, nothing lost
    assert OutboxMessage.objects.filter(pk=msg.pk, sent_at__isnull=True).exists()

    private_redis.start()
    env = {**worker_env(settings), "REDIS_URL": private_redis.url}
    worker = start_worker(env)
    try:
        assert outbox.relay() >= 1
        assert wait_for(lambda: AuditLog.objects.filter(action="celery.ping", object_id=marker).exists())
        assert outbox.relay() == 0  # already sent: a second relay sends nothing again
        time.sleep(1)
        assert AuditLog.objects.filter(action="celery.ping", object_id=marker).count() == 1
    finally:
        os.killpg(worker.pid, 15)
        worker.wait(timeout=20)
