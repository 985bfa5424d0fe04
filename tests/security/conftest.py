"""Package fixtures for the security matrix: two tenant worlds built once for the package inside
one outer transaction; each test runs in a savepoint (pytest-django's ``db``), so a write that
slips through is rolled back after the test that caught it."""

from __future__ import annotations

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from tests.security.world import Worlds, build_worlds


@pytest.fixture(scope="package")
def worlds(django_db_setup, django_db_blocker) -> Worlds:
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_worlds()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def api_as(worlds):
    """``api_as(user | None)`` → an APIClient sending that user's token (None: anonymous)."""

    def make(user):
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {worlds.tokens[user.pk]}")
        return client

    return make
