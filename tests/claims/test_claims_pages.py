"""Claim pages (streamer list/detail/appeal, consumer read-only), real rendering."""

from __future__ import annotations

import pytest
from django.test import Client

from claims import engine
from claims.models import Appeal
from tests.claims.engine_helpers import World, commit_now, fund_streamer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _commits(monkeypatch):
    commit_now(monkeypatch)


def browser(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def upheld_claim(w, reviewer):
    c = w.file(reason="品牌不符")
    engine.claim_decide(claim_id=c.pk, reviewer=reviewer, upheld=True)
    return c


def test_streamer_sees_claims_balances_and_szb19_notice(reviewer):
    w = World()
    fund_streamer(w.streamer, cash="500.00")
    c = upheld_claim(w, reviewer)
    r = browser(w.streamer_user).get("/claims/")
    assert r.status_code == 200
    html = r.content.decode()
    assert f"#{c.pk}" in html and "SZB-19" in html and "400.00" in html
    r = browser(w.streamer_user).get(f"/claims/{c.pk}/")
    assert r.status_code == 200
    assert 'name="reason"' in r.content.decode()


def test_szb17_streamer_appeals_from_the_page(reviewer):
    w = World()
    c = upheld_claim(w, reviewer)
    b = browser(w.streamer_user)
    r = b.post(f"/claims/{c.pk}/appeal/", {"reason": "宣传有依据"})
    assert r.status_code == 302
    assert Appeal.objects.filter(claim=c, status="pending").exists()
    r = b.post(f"/claims/{c.pk}/appeal/", {"reason": "again"}, follow=True)
    assert Appeal.objects.filter(claim=c).count() == 1
    assert "messages" in r.content.decode() or r.status_code == 200


def test_other_tenant_claim_page_is_404(reviewer):
    w, other = World(), World()
    c = upheld_claim(w, reviewer)
    assert browser(other.streamer_user).get(f"/claims/{c.pk}/").status_code == 404
    assert browser(other.consumer_user).get(f"/claims/{c.pk}/").status_code == 404


def test_consumer_read_only_claim_page(reviewer):
    w = World()
    c = upheld_claim(w, reviewer)
    r = browser(w.consumer_user).get(f"/claims/{c.pk}/")
    assert r.status_code == 200
    assert 'name="reason"' not in r.content.decode()


def test_reviewer_admin_queue_renders(reviewer):
    w = World()
    upheld_claim(w, reviewer)
    reviewer.is_superuser = True
    reviewer.save()
    b = browser(reviewer)
    for url in (
        "/admin/claims/claim/",
        "/admin/claims/claim/?sla=past48",
        "/admin/claims/payout/",
        "/admin/claims/appeal/",
        "/admin/claims/account/",
        "/admin/claims/ledgertransaction/",
        "/admin/claims/violation/",
    ):
        assert b.get(url).status_code == 200, url
    from claims.models import Claim

    assert b.get(f"/admin/claims/claim/{Claim.objects.first().pk}/change/").status_code == 200


def test_schema_describes_claim_endpoints(api_client):
    r = api_client.get("/api/v1/schema/")
    assert r.status_code == 200
    text = r.content.decode()
    for path in ("/api/v1/claims", "/api/v1/review/claims/{id}/decision", "/api/v1/streamer/account"):
        assert path in text
