"""GP-3 本地退货: routing to the region's return address, missing address, refund on arrival."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
import time_machine

from claims.abuse_returns import local_return_received
from claims.engine.decisions import claim_merchant_respond
from claims.models import Payout
from shop.errors import DomainError
from shop.models import Notification
from tests.claims.test_global_support import at, file, global_shop, order_for
from tests.shop.factories import make_user

pytestmark = pytest.mark.django_db

DELIVERED = at("2026-06-01T09:00:00+08:00")


def _order(shop, region="CN", **kw):
    return order_for(shop, region=region, shipped_at=DELIVERED - timedelta(days=1), delivered_at=DELIVERED, **kw)


@pytest.mark.parametrize("region", ["CN", "HK", "TW"])
def test_gp3_request_routes_to_the_address_of_the_orders_region(region):
    shop = global_shop()
    order = _order(shop, region)
    with time_machine.travel(DELIVERED + timedelta(days=1), tick=False):
        claim = file(order, kind="local_return")
    assert claim.return_address["region"] == region
    assert claim.return_address["address"] == f"{region} 仓库路 1 号 {shop.code}"
    assert set(claim.return_address) == {"region", "name", "phone", "address"}
    assert claim.amount == order.paid_amount


@pytest.mark.parametrize("region", ["HK", "TW"])
def test_gp3_region_without_address_blocks_the_request_and_tells_the_merchant(region):
    shop = global_shop(addresses=("CN",))
    merchant = make_user("merchant", shop=shop)
    order = _order(shop, region)
    with (
        time_machine.travel(DELIVERED + timedelta(days=1), tick=False),
        mock.patch("claims.tasks_abuse.notify_return_address_missing.apply_async") as sent,
        pytest.raises(DomainError) as e,
    ):
        file(order, kind="local_return")
    assert e.value.code == "return_address_missing"
    assert e.value.status == 409
    assert sent.call_args.kwargs["kwargs"] == {"shop_id": shop.pk, "region": region}
    # The task itself notifies the shop's users (once a day per region).
    from claims.tasks_abuse import notify_return_address_missing

    notify_return_address_missing(shop_id=shop.pk, region=region)
    notify_return_address_missing(shop_id=shop.pk, region=region)
    assert Notification.objects.filter(user=merchant, kind="return_address_missing").count() == 1


def test_gp3_window_closes_seven_days_after_delivery():
    order = _order(global_shop())
    with time_machine.travel(DELIVERED + timedelta(days=7, seconds=1), tick=False), pytest.raises(DomainError) as e:
        file(order, kind="local_return")
    assert e.value.code == "window_closed"


def test_gp3_refund_only_when_the_return_arrives(django_capture_on_commit_callbacks):
    shop = global_shop()
    merchant = make_user("merchant", shop=shop)
    order = _order(shop, paid="300.00")
    with time_machine.travel(DELIVERED + timedelta(days=1), tick=False):
        claim = file(order, kind="local_return")
    claim = claim_merchant_respond(claim_id=claim.pk, shop=shop, actor=merchant, accept=True)
    assert claim.status == "upheld"
    assert not Payout.objects.filter(claim=claim).exists()
    with django_capture_on_commit_callbacks(execute=True):
        claim = local_return_received(claim_id=claim.pk, shop=shop, actor=merchant)
    assert Payout.objects.get(claim=claim).amount == Decimal("300.00")
    assert claim.extra["return_received_at"]
    # idempotent repeat
    local_return_received(claim_id=claim.pk, shop=shop, actor=merchant)
    assert Payout.objects.filter(claim=claim).count() == 1


def test_gp3_return_cannot_be_confirmed_before_acceptance():
    shop = global_shop()
    merchant = make_user("merchant", shop=shop)
    order = _order(shop)
    with time_machine.travel(DELIVERED + timedelta(days=1), tick=False):
        claim = file(order, kind="local_return")
    with pytest.raises(DomainError) as e:
        local_return_received(claim_id=claim.pk, shop=shop, actor=merchant)
    assert e.value.code == "invalid_state"
