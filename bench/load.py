"""Load benchmark (issue 7): drive the merchant pages and the main API calls with many concurrent
clients for a fixed time against gunicorn on PostgreSQL; print throughput and p50/p99 latency
per endpoint, and database queries per request (X-DB-Queries, QUERY_COUNT_HEADER=true).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_load python bench/load.py --clients 16 --seconds 20

The script migrates and seeds the demo data into that database, starts gunicorn on a free
loopback port, runs the clients (threads, keep-alive connections), then stops the server.
Only loopback addresses are contacted; loops are bounded by --seconds.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

from common import ensure_database, wait_port

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable

# (label, role login, method, path)
ENDPOINTS = [
    ("api ping (bare)", None, "GET", "/api/v1/ping"),
    ("api order detail", "consumer", "GET", "/api/v1/orders/O-1001"),
    ("api notifications", "merchant", "GET", "/api/v1/notifications"),
    ("api shop services", "merchant", "GET", "/api/v1/shop/services"),
    ("api shop products", "merchant", "GET", "/api/v1/shop/products"),
    ("api qualifications", "merchant", "GET", "/api/v1/qualifications"),
    ("api claims (merchant)", "merchant", "GET", "/api/v1/claims"),
    ("api streamer account", "streamer", "GET", "/api/v1/streamer/account"),
    ("api shizaibao state", "streamer", "GET", "/api/v1/streamer/shizaibao"),
    ("page home", "merchant", "PAGE", "/"),
    ("page rights centre", "merchant", "PAGE", "/rights/"),
    ("page product list", "merchant", "PAGE", "/products/"),
    ("page qualifications", "merchant", "PAGE", "/qualifications/"),
    ("page after-sales claims", "merchant", "PAGE", "/claims/merchant/"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(conn, method, path, headers=None, body=None):
    conn.request(method, path, body=body, headers=headers or {})
    resp = conn.getresponse()
    data = resp.read()
    return resp.status, dict(resp.getheaders()), data


def token_for(port: int, username: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    _, _, data = request(
        conn,
        "POST",
        "/api/v1/auth/token",
        {"Content-Type": "application/json"},
        json.dumps({"username": username, "password": "demo-pass-123"}),
    )
    return json.loads(data)["token"]


def session_for(port: int, username: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    _, headers, data = request(conn, "GET", "/login/")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', data.decode()).group(1)
    cookie = headers.get("Set-Cookie", "").split(";")[0]
    body = f"username={username}&password=demo-pass-123&csrfmiddlewaretoken={csrf}"
    _, headers, _ = request(
        conn, "POST", "/login/", {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}, body
    )
    cookies = [c.split(";")[0] for c in re.split(r",(?=\s*\w+=)", headers.get("Set-Cookie", ""))]
    return "; ".join(c.strip() for c in cookies if c.strip().startswith("sessionid"))


def drive(port: int, path: str, headers: dict, clients: int, seconds: float) -> dict:
    """``clients`` threads GET ``path`` for ``seconds``; latency percentiles and query counts."""
    lat: list[float] = []
    statuses: dict[int, int] = defaultdict(int)
    queries: list[int] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        local, qs, sts = [], [], defaultdict(int)
        while time.monotonic() < stop_at:
            t0 = time.perf_counter()
            try:
                st, hd, _ = request(conn, "GET", path, headers)
            except (OSError, http.client.HTTPException):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                sts[0] += 1
                continue
            local.append(time.perf_counter() - t0)
            sts[st] += 1
            if "X-DB-Queries" in hd:
                qs.append(int(hd["X-DB-Queries"]))
        with lock:
            lat.extend(local)
            queries.extend(qs)
            for k, v in sts.items():
                statuses[k] += v

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t_start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t_start
    lat.sort()
    return {
        "status": max(statuses, key=statuses.get) if statuses else 0,
        "rps": len(lat) / elapsed,
        "p50": statistics.median(lat) * 1000 if lat else float("nan"),
        "p99": lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000 if lat else float("nan"),
        "queries": statistics.median(queries) if queries else float("nan"),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=15)
    ap.add_argument("--web-workers", type=int, default=2)
    opts = ap.parse_args()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DEBUG": "false",
        "QUERY_COUNT_HEADER": "true",
        "CONN_MAX_AGE": "60",
        "AXES_ENABLED": "false",
    }
    if not env.get("DATABASE_URL", "").startswith("postgres"):
        print("set DATABASE_URL=postgres://… (the benchmark runs on PostgreSQL)")
        return 2
    ensure_database(env["DATABASE_URL"])
    subprocess.run([PY, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([PY, "manage.py", "seed_demo", "--quiet"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(opts.web_workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        wait_port(port)
        auth: dict[tuple[str, str], dict[str, str]] = {}
        for _label, role, method, _path in ENDPOINTS:
            if role is None or (role, method) in auth:
                continue
            if method == "PAGE":
                auth[(role, method)] = {"Cookie": session_for(port, role)}
            else:
                auth[(role, method)] = {"Authorization": f"Token {token_for(port, role)}"}
        print(f"gunicorn workers={opts.web_workers}, clients={opts.clients}, {opts.seconds:.0f} s per endpoint\n")
        print(f"{'endpoint':<26}{'status':>7}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'queries':>9}")
        for label, role, method, path in ENDPOINTS:
            r = drive(port, path, dict(auth.get((role, method), {})), opts.clients, opts.seconds)
            print(
                f"{label:<26}{r['status']:>7}{r['rps']:>9.0f}{r['p50']:>9.1f}{r['p99']:>9.1f}{r['queries']:>9.0f}",
                flush=True,
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
