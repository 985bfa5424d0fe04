"""Endpoints that answer with "the caller's own" data and no object in the URL (/shop/services,
/shop/account, /streamer/account, /consumer/wallet, /shop/trust-badge, /streamer/shizaibao):
changing tenant A's side must not move what tenant B reads (issue 7)."""

from __future__ import annotations

import pytest

from claims import engine
from guarantees.models import ShopService

pytestmark = pytest.mark.django_db

READS = [
    ("merchant", "/api/v1/shop/services"),
    ("merchant", "/api/v1/shop/account"),
    ("merchant", "/api/v1/shop/trust-badge"),
    ("merchant", "/api/v1/shop/return-addresses"),
    ("merchant", "/api/v1/qualification-types"),
    ("merchant", "/api/v1/xingtu/certification"),
    ("streamer", "/api/v1/streamer/account"),
    ("streamer", "/api/v1/streamer/shizaibao"),
    ("streamer", "/api/v1/xingtu/creator/profile"),
    ("consumer", "/api/v1/consumer/wallet"),
]


def _read(api_as, tenant):
    return {path: api_as(tenant.user(role)).get(path).json() for role, path in READS}


def test_tenant_b_reads_do_not_follow_changes_to_tenant_a(worlds, api_as):
    a, b = worlds.a, worlds.b
    before = _read(api_as, b)
    a_before = _read(api_as, a)
    # Tenant A's side moves: a service turned on, money in, a return address edited.
    ShopService.objects.update_or_create(shop=a.shop, code="broken_return", defaults={"enabled": True})
    engine.account_fund(party=a.shop, account="deposit", amount="77.00", key="sec-a-extra", actor=None)
    engine.account_fund(party=a.streamer, account="cash", amount="66.00", key="sec-a-extra2", actor=None)
    resp = api_as(a.merchant_user).put(
        "/api/v1/shop/return-addresses/HK", {"name": "x", "phone": "13800000002", "address": "moved"}, format="json"
    )
    assert resp.status_code == 200
    assert _read(api_as, b) == before
    assert _read(api_as, a) != a_before  # the change was real and visible to A


def test_catalogue_is_global_and_identical_for_both_tenants(worlds, api_as):
    qa = api_as(worlds.a.merchant_user).get("/api/v1/qualification-types").json()
    qb = api_as(worlds.b.merchant_user).get("/api/v1/qualification-types").json()
    assert qa == qb and any(t["code"] == worlds.qtype.code for t in qa)
