"""GP-2 正品保障 假一赔十: window, cap, proof, refusal grounds, merchant first, escalation."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from claims.engine.decisions import claim_decide, claim_escalate, claim_merchant_respond
from claims.models import Payout
from shop.errors import DomainError
from tests.claims.test_global_support import at, file, global_shop, order_for, upload
from tests.shop.factories import make_user

pytestmark = pytest.mark.django_db

COMPLETED = at("2026-03-01T10:00:00+08:00")


def _authentic(order, *, proof="brand_appraisal", type="counterfeit"):
    from tests.claims.test_global_support import consumer_user

    user = consumer_user(order.consumer)
    return file(order, kind="authentic", type=type, evidence=[(upload(user, 1), proof)], user=user)


def _order(shop=None, **kw):
    shop = shop or global_shop()
    return order_for(shop, completed_at=COMPLETED, shipped_at=COMPLETED - timedelta(days=3), **kw)


def test_gp2_claim_accepted_at_exactly_90_days_after_completion():
    order = _order()
    with time_machine.travel(COMPLETED + timedelta(days=90), tick=False):
        claim = _authentic(order)
    assert claim.status == "submitted"
    assert claim.payer == "shop"


def test_gp2_claim_refused_one_second_after_90_days():
    order = _order()
    with time_machine.travel(COMPLETED + timedelta(days=90, seconds=1), tick=False), pytest.raises(DomainError) as e:
        _authentic(order)
    assert e.value.code == "window_closed"


def test_gp2_claim_refused_before_the_transaction_completed():
    order = order_for(global_shop(), shipped_at=COMPLETED)
    with pytest.raises(DomainError) as e:
        _authentic(order)
    assert e.value.code == "window_closed"


def test_gp2_cap_is_paid_plus_ten_times_paid_plus_postage():
    order = _order(paid="88.80", postage="12.00")
    with time_machine.travel(COMPLETED + timedelta(days=1), tick=False):
        claim = _authentic(order)
    assert claim.amount == Decimal("88.80") + Decimal("888.00") + Decimal("12.00")
    assert claim.extra == {"refund_reason": "假冒品牌", "request": "退一赔十"}


def test_gp2_enforcement_finding_is_valid_proof():
    order = _order()
    with time_machine.travel(COMPLETED + timedelta(days=1), tick=False):
        claim = _authentic(order, proof="enforcement_finding")
    assert claim.status == "submitted"


def test_gp2_other_evidence_is_not_proof():
    order = _order()
    with time_machine.travel(COMPLETED + timedelta(days=1), tick=False), pytest.raises(DomainError) as e:
        _authentic(order, proof="other")
    assert e.value.code == "evidence_required"


def test_gp2_only_type_counterfeit():
    order = _order()
    with time_machine.travel(COMPLETED + timedelta(days=1), tick=False), pytest.raises(DomainError) as e:
        _authentic(order, type="material")
    assert e.value.code == "type_not_covered"
    assert e.value.extra["allowed_types"] == ["counterfeit"]


def test_gp2_regular_shop_without_the_service_is_not_covered():
    order = _order(global_shop(kind="regular"))
    with time_machine.travel(COMPLETED + timedelta(days=1), tick=False), pytest.raises(DomainError) as e:
        _authentic(order)
    assert e.value.code == "not_covered"


def test_gp2_regular_shop_with_the_service_enabled_is_covered():
    order = _order(global_shop(kind="regular", services=["authentic_guarantee"]))
    with time_machine.travel(COMPLETED + timedelta(days=1), tick=False):
        assert _authentic(order).status == "submitted"


def test_gp2_merchant_accepts_then_shop_pays_the_cap(django_capture_on_commit_callbacks):
    order = _order()
    merchant = make_user("merchant", shop=order.shop)
    with time_machine.travel(COMPLETED + timedelta(days=1), tick=False):
        claim = _authentic(order)
    with django_capture_on_commit_callbacks(execute=True):
        claim = claim_merchant_respond(claim_id=claim.pk, shop=order.shop, actor=merchant, accept=True, note="ok")
    claim.refresh_from_db()
    assert claim.status in {"upheld", "paid"}
    assert Payout.objects.get(claim=claim).amount == Decimal("1110.00")


@pytest.mark.parametrize(
    "ground",
    [
        "consumer_is_brand_owner",
        "consumer_induced",
        "not_personal_consumption",
        "item_swapped",
        "insufficient_evidence",
    ],
)
def test_gp2_merchant_refuses_consumer_escalates_reviewer_rejects_on_each_ground(ground, reviewer):
    order = _order()
    merchant = make_user("merchant", shop=order.shop)
    with time_machine.travel(COMPLETED + timedelta(days=1), tick=False):
        claim = _authentic(order)
    claim = claim_merchant_respond(claim_id=claim.pk, shop=order.shop, actor=merchant, accept=False, note="real")
    assert claim.status == "merchant_refused"
    claim = claim_escalate(claim_id=claim.pk, consumer=order.consumer, actor=None)
    assert claim.status == "under_review"
    claim = claim_decide(claim_id=claim.pk, reviewer=reviewer, upheld=False, reason_code=ground)
    assert claim.status == "rejected"
    assert claim.reason_code == ground


def _escalated_authentic():
    """A 假一赔十 claim the merchant refused and the consumer escalated to platform review."""
    order = _order()
    merchant = make_user("merchant", shop=order.shop)
    with time_machine.travel(COMPLETED + timedelta(days=1), tick=False):
        claim = _authentic(order)
    claim_merchant_respond(claim_id=claim.pk, shop=order.shop, actor=merchant, accept=False)
    return claim_escalate(claim_id=claim.pk, consumer=order.consumer, actor=None)


def test_gp2_szb_grounds_are_not_gp2_grounds(reviewer):
    claim = _escalated_authentic()
    with pytest.raises(DomainError) as e:
        claim_decide(claim_id=claim.pk, reviewer=reviewer, upheld=False, reason_code="off_platform")
    assert e.value.code == "invalid"


def test_gp2_escalated_claim_upheld_by_reviewer(reviewer):
    claim = _escalated_authentic()
    claim = claim_decide(claim_id=claim.pk, reviewer=reviewer, upheld=True)
    assert claim.status in {"upheld", "paid"}
    assert Payout.objects.filter(claim=claim).exists()


def test_gp2_another_shops_merchant_cannot_answer():
    order = _order()
    stranger = make_user("merchant")
    with time_machine.travel(COMPLETED + timedelta(days=1), tick=False):
        claim = _authentic(order)
    with pytest.raises(DomainError) as e:
        claim_merchant_respond(claim_id=claim.pk, shop=stranger.shop_member.shop, actor=stranger, accept=True)
    assert e.value.code == "not_found"
