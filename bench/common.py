"""Helpers shared by the benchmark scripts (run as `python bench/<script>.py`, so this folder
is on sys.path and they import it as `common`)."""

from __future__ import annotations

import socket
import time
from urllib.parse import urlparse


def ensure_database(url: str) -> None:
    """CREATE DATABASE for a benchmark if it does not exist yet (PostgreSQL URLs only)."""
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        return
    import psycopg

    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def wait_port(port: int, timeout: float = 30) -> None:
    """Wait until a server listens on the loopback port; RuntimeError after ``timeout`` s."""
    end = time.time() + timeout
    while time.time() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"no server on port {port} after {timeout:.0f} s")
