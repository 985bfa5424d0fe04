"""退货补运费 claims: waybill, cap, cover, platform pays, RF-1 checks at filing, RF-3 refusal."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from claims.abuse_measures import standing_transition
from claims.models import ConsumerIdentity, ReturnFreightWaybill
from shop.errors import DomainError
from tests.claims.test_global_support import at, file, global_shop, order_for

pytestmark = pytest.mark.django_db

DELIVERED = at("2026-07-01T12:00:00+08:00")


def waybill(shop=None, **over):
    wb = {
        "tracking_no": "SF100",
        "sender_name": "张三",
        "sender_phone": "13900000001",
        "receiver_address": f"CN 仓库路 1 号 {shop.code if shop else ''}",
        "fee": "18.50",
    }
    wb.update(over)
    return wb


def _order(**kw):
    shop = kw.pop("shop", None) or global_shop(kind="regular", services=["return_freight"])
    return order_for(shop, shipped_at=DELIVERED - timedelta(days=1), delivered_at=DELIVERED, **kw)


def _file(order, **wb):
    with time_machine.travel(DELIVERED + timedelta(days=1), tick=False):
        return file(order, kind="return_freight", data={"return_waybill": waybill(order.shop, **wb)})


def test_rf_amount_is_the_fee_below_the_cap_and_the_platform_pays():
    claim = _file(_order())
    assert claim.amount == Decimal("18.50")
    assert claim.payer == "platform"
    assert claim.status == "submitted"


def test_rf_amount_is_capped_at_25():
    assert _file(_order(), fee="40.00").amount == Decimal("25.00")


def test_rf_waybill_is_required():
    order = _order()
    with time_machine.travel(DELIVERED + timedelta(days=1), tick=False), pytest.raises(DomainError) as e:
        file(order, kind="return_freight")
    assert e.value.code == "invalid"
    assert "return_waybill" in e.value.extra["errors"]


def test_rf_waybill_fields_are_validated():
    order = _order()
    with time_machine.travel(DELIVERED + timedelta(days=1), tick=False), pytest.raises(DomainError) as e:
        file(order, kind="return_freight", data={"return_waybill": waybill(order.shop, fee="-1")})
    assert e.value.code == "invalid"


def test_rf_shop_without_return_freight_is_not_covered():
    order = _order(shop=global_shop(kind="regular"))
    with pytest.raises(DomainError) as e:
        _file(order)
    assert e.value.code == "not_covered"


@pytest.mark.parametrize("action", ["freeze", "revoke"])
def test_rf3_frozen_or_revoked_consumer_refused_not_eligible(action):
    order = _order()
    standing_transition(consumer_code=order.consumer.code, action=action, actor=None)
    with pytest.raises(DomainError) as e:
        _file(order)
    assert e.value.code == "not_eligible"
    assert e.value.status == 403
    assert e.value.extra["reason"] in {"return_freight_frozen", "return_freight_revoked"}


def test_rf3_frozen_consumer_may_still_file_other_kinds():
    order = _order(shop=global_shop())
    standing_transition(consumer_code=order.consumer.code, action="freeze", actor=None)
    with time_machine.travel(DELIVERED + timedelta(days=1), tick=False):
        assert file(order, kind="local_return").status == "submitted"


def test_rf3_not_eligible_answers_before_claim_exists():
    order = _order()
    _file(order)
    standing_transition(consumer_code=order.consumer.code, action="freeze", actor=None)
    with pytest.raises(DomainError) as e:
        _file(order)
    assert e.value.code == "not_eligible"


def test_rf1_waybill_kept_with_no_flags_when_sender_is_the_buyer_and_receiver_the_shop():
    order = _order()
    ConsumerIdentity.objects.create(consumer=order.consumer, kind="phone", value="13900000001")
    claim = _file(order)
    wb = ReturnFreightWaybill.objects.get(claim=claim)
    assert (wb.sender_mismatch, wb.receiver_mismatch) == (False, False)
    assert wb.fee == Decimal("18.50")


def test_rf1_sender_not_the_buyer_is_flagged():
    order = _order()
    ConsumerIdentity.objects.create(consumer=order.consumer, kind="phone", value="13900000001")
    claim = _file(order, sender_phone="+86 139-0000-0099")
    assert ReturnFreightWaybill.objects.get(claim=claim).sender_mismatch


def test_rf1_sender_name_checked_when_no_phone_is_known():
    order = _order()
    ConsumerIdentity.objects.create(consumer=order.consumer, kind="name", value="李四")
    assert ReturnFreightWaybill.objects.get(claim=_file(order)).sender_mismatch


def test_rf1_receiver_not_the_shops_return_address_is_flagged():
    order = _order()
    claim = _file(order, receiver_address="某小区 5 栋")
    assert ReturnFreightWaybill.objects.get(claim=claim).receiver_mismatch
