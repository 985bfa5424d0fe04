"""Concurrent opening and invitation on PostgreSQL (real threads; select_for_update is a no-op
on SQLite): each enrolment changes exactly once."""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from guarantees import shizaibao
from guarantees.models import ShizaibaoAgreement, ShizaibaoEnrolment, ShizaibaoEvent
from tests.conftest import require_postgres
from tests.shop.factories import StreamerFactory, make_user

pytestmark = pytest.mark.django_db(transaction=True)
SH = ZoneInfo("Asia/Shanghai")


def run_threads(n, fn):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(fn())
        except Exception as exc:  # noqa: BLE001 — collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results, errors


def test_szb3_concurrent_opens_make_one_opening():
    require_postgres()
    ShizaibaoAgreement.objects.create(version="v1", text="t", published_at=datetime(2020, 1, 1, tzinfo=SH))
    streamer = StreamerFactory()
    user = make_user("streamer", streamer=streamer)
    shizaibao.szb_invite(streamer=streamer)
    token = Token.objects.create(user=user).key

    def open_once():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client.post(
            "/api/v1/streamer/shizaibao/open", {"agree": True, "agreement_version": "v1"}, format="json"
        ).status_code

    codes, errors = run_threads(12, open_once)
    assert not errors
    assert sorted(codes) == [200] * 11 + [201]
    assert ShizaibaoEvent.objects.filter(kind="opened").count() == 1


def test_szb2_concurrent_invites_make_one_enrolment():
    require_postgres()
    streamer = StreamerFactory()

    _results, errors = run_threads(12, lambda: shizaibao.szb_invite(streamer=streamer).pk)
    assert not errors
    assert ShizaibaoEnrolment.objects.filter(streamer=streamer).count() == 1
    assert ShizaibaoEvent.objects.filter(kind="invited").count() == 1
