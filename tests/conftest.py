"""Shared fixtures: API clients authenticated as each role, server reachability."""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.shop.factories import make_user

IN_CI = os.environ.get("CI") == "true"


def free_port() -> int:
    """A free TCP port on the loopback interface for a server a test starts."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1):
            return True
    except OSError:
        return False


def require_server(url: str | None, default_port: int, what: str) -> None:
    """Skip (outside CI only) when the server a test needs is not reachable; in CI, fail."""
    if not url or not server_reachable(url, default_port):
        msg = f"{what} not reachable (set {'REDIS_URL' if default_port == 6379 else 'DATABASE_URL'})"
        if IN_CI:
            pytest.fail(msg + " — CI must run this test")
        pytest.skip(msg)


def require_postgres() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        if IN_CI:
            pytest.fail("CI runs on PostgreSQL: DATABASE_URL must point at it")
        pytest.skip("needs PostgreSQL (set DATABASE_URL=postgres://…)")


@pytest.fixture
def fresh_cache():
    """An empty cache before and after the test (rule settings, throttles, locks live there)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def client_for(db):
    """``client_for(user)`` → an APIClient sending that user's token."""

    def make(user):
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def platform_user(db):
    return make_user("platform", username="platform-bot")


@pytest.fixture
def platform_api(client_for, platform_user):
    return client_for(platform_user)


@pytest.fixture
def reviewer(db):
    return make_user("reviewer", username="rev")


@pytest.fixture
def reviewer_api(client_for, reviewer):
    return client_for(reviewer)
