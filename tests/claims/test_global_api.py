"""The 全球购 / 退货补运费 kinds through the HTTP API of the engine (API.md Claims)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from claims.abuse_measures import standing_transition
from tests.claims.test_global_support import at, consumer_user, global_shop, order_for, upload
from tests.shop.factories import make_user

pytestmark = pytest.mark.django_db

T0 = at("2026-09-01T10:00:00+08:00")


def _order(shop=None, **kw):
    return order_for(
        shop or global_shop(),
        shipped_at=T0 - timedelta(days=3),
        delivered_at=T0 - timedelta(days=2),
        completed_at=T0 - timedelta(days=1),
        **kw,
    )


def test_api_authentic_claim_lifecycle_with_merchant_refusal_and_escalation(client_for, reviewer_api):
    order = _order()
    user = consumer_user(order.consumer)
    api = client_for(user)
    proof = upload(user, 1)
    with time_machine.travel(T0, tick=False):
        r = api.post(
            "/api/v1/claims",
            {
                "order": order.code,
                "kind": "authentic",
                "type": "counterfeit",
                "reason": "假冒品牌",
                "evidence": [{"upload": proof.pk, "kind": "brand_appraisal"}],
            },
            format="json",
        )
    assert r.status_code == 201, r.content
    cid = r.json()["id"]
    detail = api.get(f"/api/v1/claims/{cid}").json()
    assert detail["amount"] == "1110.00" and detail["status"] == "submitted"
    merchant = client_for(make_user("merchant", shop=order.shop))
    r = merchant.post(f"/api/v1/claims/{cid}/merchant-response", {"accept": False, "note": "genuine"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "merchant_refused"
    r = api.post(f"/api/v1/claims/{cid}/escalate", {}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "under_review"
    r = reviewer_api.post(
        f"/api/v1/review/claims/{cid}/decision", {"upheld": False, "reason_code": "item_swapped"}, format="json"
    )
    assert r.status_code == 200 and r.json()["status"] == "rejected"


def test_api_authentic_without_proof_is_evidence_required(client_for):
    order = _order()
    user = consumer_user(order.consumer)
    with time_machine.travel(T0, tick=False):
        r = client_for(user).post(
            "/api/v1/claims",
            {"order": order.code, "kind": "authentic", "type": "counterfeit", "reason": "x", "evidence": []},
            format="json",
        )
    assert r.status_code == 400 and r.json()["code"] == "evidence_required"


def test_api_return_freight_claim_and_frozen_benefit(client_for):
    order = _order(shop=global_shop(kind="regular", services=["return_freight"]))
    api = client_for(consumer_user(order.consumer))
    body = {
        "order": order.code,
        "kind": "return_freight",
        "reason": "退货运费",
        "return_waybill": {
            "tracking_no": "SF1",
            "sender_name": "a",
            "sender_phone": "1",
            "receiver_address": "CN",
            "fee": 31.5,
        },
    }
    standing_transition(consumer_code=order.consumer.code, action="freeze", actor=None)
    with time_machine.travel(T0, tick=False):
        r = api.post("/api/v1/claims", body, format="json")
    assert r.status_code == 403 and r.json()["code"] == "not_eligible"
    standing_transition(consumer_code=order.consumer.code, action="unfreeze", actor=None)
    with time_machine.travel(T0, tick=False):
        r = api.post("/api/v1/claims", body, format="json")
    assert r.status_code == 201, r.content
    assert api.get(f"/api/v1/claims/{r.json()['id']}").json()["amount"] == "25.00"


def test_api_local_return_missing_address_is_409(client_for):
    order = _order(shop=global_shop(addresses=("CN",)), region="TW")
    with time_machine.travel(T0, tick=False):
        r = client_for(consumer_user(order.consumer)).post(
            "/api/v1/claims", {"order": order.code, "kind": "local_return", "reason": "退货"}, format="json"
        )
    assert r.status_code == 409 and r.json()["code"] == "return_address_missing"


def test_api_local_return_received_pays(client_for, django_capture_on_commit_callbacks):
    order = _order(region="HK")
    api = client_for(consumer_user(order.consumer))
    with time_machine.travel(T0, tick=False):
        cid = api.post(
            "/api/v1/claims", {"order": order.code, "kind": "local_return", "reason": "退货"}, format="json"
        ).json()["id"]
    assert api.get(f"/api/v1/claims/{cid}").json()["return_address"]["region"] == "HK"
    merchant = client_for(make_user("merchant", shop=order.shop))
    merchant.post(f"/api/v1/claims/{cid}/merchant-response", {"accept": True}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        r = merchant.post(f"/api/v1/claims/{cid}/return-received", {"note": "ok"}, format="json")
    assert r.status_code == 200
    assert r.json()["payout"]["status"] != "none"
    other = client_for(make_user("merchant"))
    assert other.post(f"/api/v1/claims/{cid}/return-received", {}, format="json").status_code == 404
