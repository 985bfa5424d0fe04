"""Scale-out (issue 7): 2 web processes, 2 Celery workers and exactly one beat on PostgreSQL +
Redis. The main flows are driven through both web processes at once; afterwards no scheduled
job ran twice for one period and no task's effect happened twice (one fund movement per key,
one claim per order, one payout per claim, every outbox message sent once, books balanced)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from tests.claims.engine_helpers import png_bytes
from tests.conftest import free_port, require_postgres
from tests.shop.test_broker_faults import PrivateRedis
from tests.shop.test_worker import wait_for

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


class Http:
    def __init__(self, base: str, token: str | None = None) -> None:
        self.base, self.token = base, token

    def call(self, method: str, path: str, body=None, *, files: bytes | None = None):
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        data = None
        if files is not None:
            boundary = uuid.uuid4().hex
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
            data = (
                (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="e.png"\r\n'
                    f"Content-Type: image/png\r\n\r\n"
                ).encode()
                + files
                + f"\r\n--{boundary}--\r\n".encode()
            )
        elif body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:  # loopback only
                raw = resp.read()
                try:
                    return resp.status, json.loads(raw or b"null")
                except ValueError:
                    return resp.status, {"raw": raw[:500].decode(errors="replace")}
        except urllib.error.HTTPError as err:
            raw = err.read()
            try:
                return err.code, json.loads(raw)
            except ValueError:
                return err.code, {"raw": raw[:500].decode(errors="replace")}
        except (urllib.error.URLError, OSError) as err:
            return 0, {"error": repr(err)}


@pytest.fixture
def cluster(tmp_path):
    require_postgres()
    from django.db import connection

    redis = PrivateRedis(tmp_path)
    redis.start()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DEBUG": "false",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": redis.url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "AXES_ENABLED": "false",
        "CONN_MAX_AGE": "0",
    }
    subprocess.run(
        [sys.executable, "manage.py", "seed_demo", "--quiet"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    ports = [free_port(), free_port()]
    logs = tmp_path / "logs"
    logs.mkdir()
    cmds = {
        **{
            f"web{i}": [
                str(BIN / "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{p}",
                "--workers",
                "2",
                "--timeout",
                "120",
            ]
            for i, p in enumerate(ports)
        },
        **{
            f"worker{n}": [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-n",
                f"w{n}@%h",
                "-c",
                "2",
                "--loglevel",
                "INFO",
            ]
            for n in (1, 2)
        },
        "beat": [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(tmp_path / "beat-schedule"),
        ],
    }
    procs = {
        name: subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            stdout=(logs / f"{name}.log").open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for name, cmd in cmds.items()
    }
    try:
        for p in ports:
            assert wait_for(lambda p=p: Http(f"http://127.0.0.1:{p}").call("GET", "/healthz")[0] == 200, 90), (
                logs / "web0.log"
            ).read_text(errors="replace")[-3000:]
        yield {"urls": [f"http://127.0.0.1:{p}" for p in ports], "redis": redis, "logs": logs, "procs": procs}
    finally:
        for p in procs.values():
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs.values():
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        redis.stop()


def tokens(urls):
    out = {}
    for i, user in enumerate(["platform", "merchant", "streamer", "consumer", "reviewer"]):
        status, body = Http(urls[i % 2]).call(
            "POST", "/api/v1/auth/token", {"username": user, "password": "demo-pass-123"}
        )
        assert status == 200, body
        out[user] = body["token"]
    return out


def both(urls, token, method, path, body=None, n=10):
    """Send the same request n times, alternating web processes, all at once."""
    results, lock = [], threading.Lock()

    def one(i):
        r = Http(urls[i % 2], token).call(method, path, body)
        with lock:
            results.append(r)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_webs_two_workers_one_beat(cluster):
    from claims.models import Claim
    from shop.models import AuditLog, JobRun, OutboxMessage

    urls = cluster["urls"]
    tok = tokens(urls)
    platform = tok["platform"]

    # Funding with one idempotency key through both web processes at once → one movement.
    key = f"fund-{uuid.uuid4().hex}"
    results = both(
        urls,
        platform,
        "POST",
        "/api/v1/platform/streamers/ST-STAR/funds",
        {"account": "cash", "amount": "300.00", "key": key},
    )
    statuses = sorted(s for s, _ in results)
    assert statuses.count(201) == 1 and statuses.count(200) == len(results) - 1, results
    assert len({b["balance"] for _, b in results}) == 1

    # A service toggle on one web process is seen on the other (label recomputed after commit).
    merchant = tok["merchant"]
    s, _ = Http(urls[0], merchant).call("PUT", "/api/v1/shop/services/fast_refund", {"enabled": False})
    assert s == 200
    assert wait_for(
        lambda: (
            not any(
                p["trust_label"] for p in Http(urls[1], merchant).call("GET", "/api/v1/shop/products")[1]["results"]
            )
        ),
        20,
    )
    s, _ = Http(urls[1], merchant).call("PUT", "/api/v1/shop/services/fast_refund", {"enabled": True})
    assert s == 200

    # 实在宝: open, go live after opening, sell, ship; then the consumer files the same claim on both
    # web processes at once → one 201; a reviewer upholds it → one payout.
    streamer = tok["streamer"]
    s, state = Http(urls[0], streamer).call("GET", "/api/v1/streamer/shizaibao")
    s, body = Http(urls[1], streamer).call(
        "POST", "/api/v1/streamer/shizaibao/open", {"agree": True, "agreement_version": state["agreement"]["version"]}
    )
    assert s in (200, 201), body
    time.sleep(1.1)
    now = timezone.now()
    doc = {
        "live_sessions": [{"code": "LS-SCALE", "streamer": "ST-STAR", "started_at": now.isoformat(), "ended_at": None}],
        "orders": [
            {
                "code": "O-SCALE",
                "consumer": "C-AMY",
                "shop": "S-SNACK",
                "product": "P-NUTS",
                "live_session": "LS-SCALE",
                "streamer": "ST-STAR",
                "paid_amount": "120.00",
                "placed_at": (now + timedelta(seconds=1)).isoformat(),
            }
        ],
    }
    s, body = Http(urls[0], platform).call("POST", "/api/v1/platform/sync", doc)
    assert s == 200, body
    s, body = Http(urls[1], platform).call(
        "POST",
        "/api/v1/platform/orders/O-SCALE/events",
        {"type": "shipped", "at": (now + timedelta(seconds=2)).isoformat()},
    )
    assert s == 200, body
    consumer = tok["consumer"]
    s, order = Http(urls[0], consumer).call("GET", "/api/v1/orders/O-SCALE")
    assert order["shizaibao_covered"] is True, order
    s, up = Http(urls[1], consumer).call("POST", "/api/v1/uploads", files=png_bytes((10, 120, 200), (32, 32)))
    assert s == 201, up
    claim_body = {
        "order": "O-SCALE",
        "kind": "shizaibao",
        "type": "material",
        "reason": "材质与描述不符",
        "evidence": [up["id"]],
    }
    results = both(urls, consumer, "POST", "/api/v1/claims", claim_body, n=12)
    statuses = sorted(s for s, _ in results)
    assert statuses.count(201) == 1, results
    assert set(statuses) <= {201, 409} and all(b.get("code") == "claim_exists" for s, b in results if s == 409)
    claim_id = next(b["id"] for s, b in results if s == 201)

    decisions = both(
        urls,
        tok["reviewer"],
        "POST",
        f"/api/v1/review/claims/{claim_id}/decision",
        {"upheld": True, "merchant_at_fault": False, "note": "scale-out"},
        n=6,
    )
    dstat = sorted(s for s, _ in decisions)
    assert dstat.count(200) == 1 and dstat.count(409) == len(dstat) - 1, decisions
    assert wait_for(
        lambda: Http(urls[0], consumer).call("GET", f"/api/v1/claims/{claim_id}")[1]["status"] == "paid", 60
    )
    s, claim = Http(urls[1], consumer).call("GET", f"/api/v1/claims/{claim_id}")
    events = [e["event"] for e in claim["timeline"]]
    assert events.count("paid") == 1 and events.count("upheld") == 1, events
    s, account = Http(urls[0], streamer).call("GET", "/api/v1/streamer/account")
    assert Decimal(account["held"]) == 0
    assert Claim.objects.filter(order__code="O-SCALE").count() == 1

    # Duplicate deliveries of a periodic job to both workers do not double its period.
    from config.celery import app

    app.conf.broker_url = cluster["redis"].url
    app.conf.task_always_eager = False
    try:
        for _ in range(6):
            app.send_task("shop.heartbeat")
    finally:
        app.conf.task_always_eager = True
    assert wait_for(lambda: JobRun.objects.filter(name="shop.heartbeat").exists(), 90)
    time.sleep(3)

    # Every outbox message went out exactly once.
    assert wait_for(lambda: not OutboxMessage.objects.filter(sent_at__isnull=True).exists(), 90)
    runs = list(JobRun.objects.values_list("name", "period_start"))
    assert len(runs) == len(set(runs))
    beats = AuditLog.objects.filter(action="beat.heartbeat").count()
    assert beats == JobRun.objects.filter(name="shop.heartbeat").count()
    from claims import ledger

    assert ledger.trial_balance() == 0  # the books balance
    logs = "".join((cluster["logs"] / f"{n}.log").read_text(errors="replace") for n in ("worker1", "worker2"))
    assert "Traceback" not in logs, logs[-5000:]
