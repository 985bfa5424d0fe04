"""GP-4 破损包退: 72 h / 24 h windows from delivery, the evidence kinds, cap, escalation."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from claims.engine.decisions import claim_decide, claim_escalate, claim_merchant_respond
from shop.errors import DomainError
from tests.claims.test_global_support import at, consumer_user, file, global_shop, order_for, upload
from tests.shop.factories import make_user

pytestmark = pytest.mark.django_db

DELIVERED = at("2026-05-10T21:30:00+08:00")


def _order(hours=72, shop=None, **kw):
    return order_for(
        shop or global_shop(),
        damage_hours=hours,
        shipped_at=DELIVERED - timedelta(days=2),
        delivered_at=DELIVERED,
        **kw,
    )


def _damage(order, kinds=("waybill_photo", "damage_detail")):
    user = consumer_user(order.consumer)
    return file(order, kind="damage", evidence=[(upload(user, i + 1), k) for i, k in enumerate(kinds)], user=user)


@pytest.mark.parametrize("hours", [72, 24])
def test_gp4_claim_accepted_at_exactly_the_category_window(hours):
    order = _order(hours)
    with time_machine.travel(DELIVERED + timedelta(hours=hours), tick=False):
        assert _damage(order).status == "submitted"


@pytest.mark.parametrize("hours", [72, 24])
def test_gp4_claim_refused_one_second_after_the_category_window(hours):
    order = _order(hours)
    with (
        time_machine.travel(DELIVERED + timedelta(hours=hours, seconds=1), tick=False),
        pytest.raises(DomainError) as e,
    ):
        _damage(order)
    assert e.value.code == "window_closed"


def test_gp4_claim_refused_before_delivery():
    order = order_for(global_shop(), shipped_at=DELIVERED)
    with pytest.raises(DomainError) as e:
        _damage(order)
    assert e.value.code == "window_closed"


@pytest.mark.parametrize("kinds", [("waybill_photo",), ("damage_detail",), ("courier_proof", "other")])
def test_gp4_needs_waybill_photo_and_damage_detail(kinds):
    order = _order()
    with time_machine.travel(DELIVERED + timedelta(hours=1), tick=False), pytest.raises(DomainError) as e:
        _damage(order, kinds)
    assert e.value.code == "evidence_required"


def test_gp4_courier_proof_is_optional_extra_evidence():
    order = _order()
    with time_machine.travel(DELIVERED + timedelta(hours=1), tick=False):
        claim = _damage(order, ("waybill_photo", "damage_detail", "courier_proof"))
    assert claim.evidence.count() == 3


def test_gp4_refund_up_to_the_paid_amount():
    order = _order(paid="59.90", postage="8.00")
    with time_machine.travel(DELIVERED + timedelta(hours=1), tick=False):
        claim = _damage(order)
    assert claim.amount == Decimal("59.90")
    assert claim.payer == "shop"


def test_gp4_product_opted_out_is_not_covered():
    from guarantees.models import ProductOptOut

    order = _order(shop=global_shop(kind="regular", services=["damage_return"]))
    ProductOptOut.objects.create(product=order.product, code="damage_return")
    with time_machine.travel(DELIVERED + timedelta(hours=1), tick=False), pytest.raises(DomainError) as e:
        _damage(order)
    assert e.value.code == "not_covered"


def test_gp4_merchant_refusal_escalates_to_platform_which_upholds(reviewer):
    order = _order()
    merchant = make_user("merchant", shop=order.shop)
    with time_machine.travel(DELIVERED + timedelta(hours=1), tick=False):
        claim = _damage(order)
    claim = claim_merchant_respond(claim_id=claim.pk, shop=order.shop, actor=merchant, accept=False, note="packed ok")
    assert claim.status == "merchant_refused"
    claim = claim_escalate(claim_id=claim.pk, consumer=order.consumer, actor=None)
    assert claim.status == "under_review"
    claim = claim_decide(claim_id=claim.pk, reviewer=reviewer, upheld=True)
    assert claim.status in {"upheld", "paid"}
