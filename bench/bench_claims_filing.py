"""Benchmark: 实在宝 claim filing under load vs the bare GET /api/v1/ping, same gunicorn server,
same run, PostgreSQL, 16 concurrent clients (issue 4).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/claims_bench python bench/bench_claims_filing.py

Creates/migrates the database, seeds N covered orders (one claim each, so every POST is a real
201 filing with row locks, a hold, events and notifications to the streamer's user and three
reviewers), starts gunicorn under the production settings (DEBUG off), then runs each phase for a fixed
duration with HTTP/1.1 clients (keep-alive where the worker class allows it; the default sync
workers close each connection, so every request reconnects, for both endpoints alike). Prints req/s and p50/p99 for both. Bounded (~60 s).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from common import ensure_database, wait_port

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/claims_bench")
# Production settings (DEBUG off: no per-query logging), served over plain HTTP on loopback.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("CONN_MAX_AGE", "60")
os.environ.setdefault("AXES_ENABLED", "false")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault("LOG_LEVEL", "WARNING")

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
ORDERS = int(os.environ.get("BENCH_ORDERS", "20000"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
# The production web command (Procfile, deploy/systemd): sync workers, 2 per core. gthread keeps
# connections alive between requests (BENCH_WORKER_CLASS=gthread BENCH_THREADS=2 to compare).
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "sync")
WARM = 2000
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(min(8, (os.cpu_count() or 2) * 2))))


def seed() -> tuple[str, list[dict]]:
    import django

    django.setup()
    from datetime import timedelta
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    call_command("migrate", verbosity=0)
    from shop.models import Category, Consumer, LiveSession, Order, Product, Shop, Streamer
    from shop.services import user_upsert
    from shop.uploads import upload_create
    from tests.claims.engine_helpers import png_bytes

    run = str(int(time.time()))
    shop, _ = Shop.objects.get_or_create(code="BENCH-SHOP", defaults={"name": "bench"})
    cat, _ = Category.objects.get_or_create(code="bench-cat", defaults={"name": "bench"})
    product, _ = Product.objects.get_or_create(code="BENCH-P", defaults={"shop": shop, "title": "p", "category": cat})
    streamer, _ = Streamer.objects.get_or_create(code="BENCH-ST", defaults={"name": "s"})
    consumer, _ = Consumer.objects.get_or_create(code="BENCH-C", defaults={"wallet_enabled": True})
    user, _ = user_upsert(username="bench-consumer", password="bench-pass-123", role="consumer", consumer="BENCH-C")
    token, _ = Token.objects.get_or_create(user=user)
    # Who hears of each filing, as in production: the streamer's own login and the reviewers.
    user_upsert(username="bench-streamer", password="bench-pass-123", role="streamer", streamer="BENCH-ST")
    for n in range(3):
        user_upsert(username=f"bench-reviewer-{n}", password="bench-pass-123", role="reviewer")
    now = timezone.now()
    session = LiveSession.objects.create(code=f"BENCH-LS-{run}", streamer=streamer, started_at=now - timedelta(hours=2))
    Order.objects.bulk_create(
        [
            Order(
                code=f"B{run}-{i}",
                consumer=consumer,
                shop=shop,
                product=product,
                live_session=session,
                streamer=streamer,
                paid_amount=Decimal("88.00"),
                placed_at=now - timedelta(hours=1),
                shipped_at=now - timedelta(minutes=30),
                shizaibao_covered=True,
            )
            for i in range(ORDERS)
        ],
        batch_size=2000,
    )
    upload = upload_create(owner=user, file=SimpleUploadedFile("e.png", png_bytes()))
    bodies = [
        {"order": f"B{run}-{i}", "kind": "shizaibao", "type": "material", "reason": "bench", "evidence": [upload.pk]}
        for i in range(ORDERS)
    ]
    return token.key, bodies


def phase(name: str, make_request) -> dict:
    latencies: list[list[float]] = [[] for _ in range(CLIENTS)]
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    errors: list[str] = []
    stop = time.perf_counter() + SECONDS

    def client(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        n = 0
        while time.perf_counter() < stop:
            method, path, body, headers = make_request(i, n)
            t0 = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            payload = resp.read()
            if resp.status >= 400 and not errors:
                errors.append(f"{resp.status} {method} {path}: {payload[:300]!r} (body {body[:200] if body else ''})")
            latencies[i].append(time.perf_counter() - t0)
            with lock:
                statuses[resp.status] = statuses.get(resp.status, 0) + 1
            n += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    t_start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t_start
    all_lat = sorted(x for lst in latencies for x in lst)
    out = {
        "name": name,
        "requests": len(all_lat),
        "rps": len(all_lat) / elapsed,
        "p50_ms": statistics.median(all_lat) * 1000,
        "p99_ms": all_lat[int(len(all_lat) * 0.99) - 1] * 1000,
        "statuses": statuses,
    }
    for line in errors:
        print("   first error:", line)
    print(
        f"{name:>14}: {out['rps']:8.1f} req/s  p50 {out['p50_ms']:6.1f} ms  p99 {out['p99_ms']:6.1f} ms  "
        f"({out['requests']} requests, statuses {statuses})"
    )
    return out


def main() -> None:
    ensure_database(os.environ["DATABASE_URL"])
    token, bodies = seed()
    env = dict(os.environ)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            str(WORKERS),
            "--worker-class",
            WORKER_CLASS,
            "--threads",
            str(THREADS),
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_port(PORT)
        headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        # The last WARM orders warm the filing path up (each worker prepares its statements);
        # the measured phase files the others, each order once.
        warm, measured = bodies[-WARM:], bodies[:-WARM]
        per_client = len(measured) // CLIENTS
        warm_per_client = len(warm) // CLIENTS

        def ping(i: int, n: int):
            return "GET", "/api/v1/ping", None, {}

        def file_from(pool: list[dict], stride: int):
            def file_claim(i: int, n: int):
                body = pool[(i * stride + n) % len(pool)]
                return "POST", "/api/v1/claims", json.dumps(body), headers

            return file_claim

        saved = globals()["SECONDS"]
        globals()["SECONDS"] = 3.0
        phase("warm-up GET", ping)
        globals()["SECONDS"] = 1.0
        phase("warm-up POST", file_from(warm, warm_per_client))
        globals()["SECONDS"] = saved
        print(
            f"{CLIENTS} clients, {SECONDS:.0f} s per phase, gunicorn {WORKERS} {WORKER_CLASS} workers x {THREADS} threads, PostgreSQL"
        )
        base = phase("GET /ping", ping)
        claims = phase("POST /claims", file_from(measured, per_client))
        ratio = claims["rps"] / base["rps"] if base["rps"] else 0
        print(f"claim filing throughput = {ratio:.1%} of the bare endpoint; p99 {claims['p99_ms']:.1f} ms")
        print("target: >= 30% and p99 < 100 ms ->", "MET" if ratio >= 0.30 and claims["p99_ms"] < 100 else "NOT MET")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
