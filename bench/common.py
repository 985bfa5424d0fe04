"""Helpers shared by the benchmark scripts (run as `python bench/<script>.py`, so this folder
is on sys.path and they import it as `common`)."""

from __future__ import annotations

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
