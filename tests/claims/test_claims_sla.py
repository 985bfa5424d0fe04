"""SZB-10 SLA, BX-3 deadlines and reminders, and the merchant-first lifecycle of the generic
engine (with a stand-in policy, so the engine is proven independently of the other kinds)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from claims import engine, ledger, policies
from claims.models import Claim, Hold
from claims.policies.base import ClaimPolicy
from tests.claims.engine_helpers import World, books_balance, commit_now, upload_for
from tests.shop.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _commits(monkeypatch):
    commit_now(monkeypatch)


def file(client_for, w, **over):
    r = client_for(w.consumer_user).post("/api/v1/claims", w.body(**over), format="json")
    assert r.status_code == 201, r.content
    return Claim.objects.get(pk=r.json()["id"])


def test_szb10_escalated_after_48h_not_before(client_for, reviewer):
    w = World()
    claim = file(client_for, w)
    with time_machine.travel(claim.filed_at + timedelta(hours=48) - timedelta(seconds=1), tick=False):
        assert engine.sla_scan()["escalated"] == 0
    with time_machine.travel(claim.filed_at + timedelta(hours=48), tick=False):
        assert engine.sla_scan()["escalated"] == 1
        assert engine.sla_scan()["escalated"] == 0
    claim.refresh_from_db()
    assert claim.sla_escalated_at is not None and claim.sla_flagged_at is None
    assert reviewer.notifications.filter(kind="claim_escalated").count() == 1


def test_szb10_flagged_after_72h(client_for):
    w = World()
    claim = file(client_for, w)
    with time_machine.travel(claim.filed_at + timedelta(hours=72), tick=False):
        out = engine.sla_scan()
    assert out["flagged"] == 1
    claim.refresh_from_db()
    assert claim.sla_flagged_at is not None


def test_szb10_decided_claims_are_not_escalated(client_for, reviewer_api):
    w = World()
    claim = file(client_for, w)
    reviewer_api.post(
        f"/api/v1/review/claims/{claim.pk}/decision", {"upheld": False, "reason_code": "off_platform"}, format="json"
    )
    with time_machine.travel(claim.filed_at + timedelta(hours=80), tick=False):
        assert engine.sla_scan() == {"escalated": 0, "flagged": 0, "merchant_timeout": 0, "reminders": 0}


def test_bx3_reviewers_reminded_before_review_deadline(client_for, reviewer):
    w = World()
    claim = file(client_for, w)
    with time_machine.travel(claim.filed_at + timedelta(hours=37), tick=False):
        engine.sla_scan()
        engine.sla_scan()
    assert reviewer.notifications.filter(kind="deadline_near").count() == 1


def test_bx3_streamer_reminded_before_appeal_window_closes(client_for, reviewer_api):
    w = World()
    claim = file(client_for, w)
    reviewer_api.post(f"/api/v1/review/claims/{claim.pk}/decision", {"upheld": True}, format="json")
    claim.refresh_from_db()
    with time_machine.travel(claim.appeal_due_at - timedelta(hours=2), tick=False):
        engine.sla_scan()
    assert w.streamer_user.notifications.filter(kind="deadline_near").count() == 1


# -------------------------------------------------- merchant-first kinds (engine contract)


class MerchantFirst(ClaimPolicy):
    kind = "damage"
    first_responder = "merchant"
    payer = "shop"
    allowed_refusal_grounds = ["consumer_cause", "other"]

    def window_end(self, *, order):
        return order.shipped_at + timedelta(days=3) if order.shipped_at else None


@pytest.fixture
def merchant_first(monkeypatch):
    monkeypatch.setitem(policies.REGISTRY, "damage", MerchantFirst())


def test_merchant_accepts_claim_paid_from_shop_deposit(client_for, merchant_first, platform_api):
    w = World()
    platform_api.post(
        f"/api/v1/platform/shops/{w.shop.code}/funds", {"account": "deposit", "amount": "60", "key": "d"}, format="json"
    )
    claim = file(client_for, w, kind="damage", type="")
    assert claim.status == "submitted" and claim.payer == "shop"
    assert claim.answer_due_at is not None
    assert Hold.objects.get(claim=claim).account.kind == "shop_deposit"
    assert client_for(w.merchant_user).get("/api/v1/shop/account").json()["held"] == "100.00"
    other_merchant = make_user("merchant")
    r = client_for(other_merchant).post(f"/api/v1/claims/{claim.pk}/merchant-response", {"accept": True}, format="json")
    assert r.status_code == 404
    r = client_for(w.merchant_user).post(
        f"/api/v1/claims/{claim.pk}/merchant-response", {"accept": True}, format="json"
    )
    assert r.status_code == 200 and r.json()["status"] == "paid"
    assert [t["event"] for t in r.json()["timeline"]] == ["filed", "merchant_accepted", "paid"]
    assert ledger.balance(ledger.shop_account(w.shop, "deposit")) == Decimal("0.00")
    assert ledger.balance(ledger.shop_account(w.shop, "arrears")) == Decimal("40.00")
    r = client_for(w.merchant_user).post(
        f"/api/v1/claims/{claim.pk}/merchant-response", {"accept": True}, format="json"
    )
    assert r.status_code == 409 and r.json()["code"] == "invalid_state"
    assert books_balance()


def test_merchant_refuses_consumer_escalates_reviewer_decides(client_for, merchant_first, reviewer_api):
    w = World()
    claim = file(client_for, w, kind="damage", type="")
    consumer = client_for(w.consumer_user)
    assert consumer.post(f"/api/v1/claims/{claim.pk}/escalate", {}, format="json").status_code == 409
    r = client_for(w.merchant_user).post(
        f"/api/v1/claims/{claim.pk}/merchant-response", {"accept": False, "note": "包装完好"}, format="json"
    )
    assert r.json()["status"] == "merchant_refused"
    r = consumer.post(f"/api/v1/claims/{claim.pk}/escalate", {}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "under_review"
    r = reviewer_api.post(
        f"/api/v1/review/claims/{claim.pk}/decision", {"upheld": True, "merchant_at_fault": True}, format="json"
    )
    assert r.status_code == 400  # merchant_at_fault is 实在宝 only
    r = reviewer_api.post(
        f"/api/v1/review/claims/{claim.pk}/decision", {"upheld": False, "reason_code": "off_platform"}, format="json"
    )
    assert r.status_code == 400  # not a ground of this kind
    r = reviewer_api.post(
        f"/api/v1/review/claims/{claim.pk}/decision", {"upheld": False, "reason_code": "consumer_cause"}, format="json"
    )
    assert r.json()["status"] == "rejected"
    events = [t["event"] for t in r.json()["timeline"]]
    assert events == ["filed", "merchant_refused", "escalated", "rejected"]


def test_bx3_merchant_silence_sends_claim_to_platform_review(client_for, merchant_first):
    w = World()
    claim = file(client_for, w, kind="damage", type="")
    with time_machine.travel(claim.answer_due_at - timedelta(hours=1), tick=False):
        assert engine.sla_scan()["merchant_timeout"] == 0
    assert w.merchant_user.notifications.filter(kind="deadline_near").exists()
    with time_machine.travel(claim.answer_due_at, tick=False):
        assert engine.sla_scan()["merchant_timeout"] == 1
    claim.refresh_from_db()
    assert claim.status == "under_review" and claim.review_due_at is not None


def test_one_claim_per_order_whatever_the_kind(client_for, merchant_first):
    w = World()
    file(client_for, w)
    r = client_for(w.consumer_user).post(
        "/api/v1/claims", w.body(kind="damage", type="", evidence=upload_for(w.consumer_user)), format="json"
    )
    assert r.status_code == 409 and r.json()["code"] == "claim_exists"
