"""Security basics (issue 7): login throttling with the client IP read correctly behind a
proxy, CSRF on forms, admin for staff only, periodic jobs once per period."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from shop.jobs import once_per_period
from shop.models import JobRun
from tests.shop.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()
    return settings


def login(client, password, ip="10.0.0.1", xff=None):
    extra = {"REMOTE_ADDR": ip}
    if xff:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return client.post("/login/", {"username": "m", "password": password}, **extra)


def test_login_locked_after_repeated_failures(axes_on):
    make_user("merchant", username="m")
    client = Client()
    for _ in range(3):
        login(client, "wrong")
    resp = login(client, "pass-word-123")
    assert resp.status_code == 429  # locked out even with the right password
    assert "_auth_user_id" not in client.session


def test_login_lockout_is_per_client_ip_behind_proxy(axes_on):
    axes_on.TRUSTED_PROXY_COUNT = 1
    make_user("merchant", username="m")
    client = Client()
    for _ in range(3):
        login(client, "wrong", ip="192.0.2.10", xff="203.0.113.7")
    # Same proxy address, another real client: not locked.
    resp = login(Client(), "pass-word-123", ip="192.0.2.10", xff="198.51.100.9")
    assert resp.status_code == 302


def test_api_token_counts_failures_too(axes_on):
    make_user("merchant", username="m")
    from rest_framework.test import APIClient

    api = APIClient(REMOTE_ADDR="10.9.9.9")
    for _ in range(3):
        api.post("/api/v1/auth/token", {"username": "m", "password": "wrong"}, format="json")
    resp = api.post("/api/v1/auth/token", {"username": "m", "password": "pass-word-123"}, format="json")
    assert resp.status_code == 429
    assert b"token" not in resp.content


def test_client_ip_trusts_only_configured_proxy_hops(settings):
    from django.test import RequestFactory

    from shop.netutils import client_ip

    req = RequestFactory().get("/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(req) == "192.0.2.10"  # no proxy trusted: a client-sent header is ignored
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(req) == "203.0.113.7"  # the address our proxy saw; 6.6.6.6 was spoofable
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_ip(req) == "192.0.2.10"  # fewer hops than proxies: fall back


def test_forms_enforce_csrf():
    user = make_user("merchant")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post("/i18n/setlang/", {"language": "en"}).status_code == 403


def test_admin_refuses_non_staff():
    client = Client()
    client.force_login(make_user("streamer"))
    resp = client.get("/admin/shop/order/")
    assert resp.status_code == 302 and "/admin/login/" in resp["Location"]


def test_once_per_period_runs_once_per_hour():
    calls = []

    @once_per_period("test.job", 3600)
    def job():
        calls.append(1)
        return "done"

    with time_machine.travel(timezone.now().replace(minute=5), tick=False):
        assert job() == "done"
        assert job() is None  # same hour: skipped
    with time_machine.travel(timezone.now().replace(minute=5) + timedelta(hours=1), tick=False):
        assert job() == "done"
    assert len(calls) == 2
    assert JobRun.objects.filter(name="test.job").count() == 2


def test_once_per_period_failed_run_can_retry():
    state = {"fail": True}

    @once_per_period("test.flaky", 86400)
    def job():
        if state["fail"]:
            raise RuntimeError("boom")
        return "ok"

    with pytest.raises(RuntimeError):
        job()
    state["fail"] = False
    assert job() == "ok"
