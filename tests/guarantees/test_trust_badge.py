"""TP-6 shop badge (14-day trust-order ratio and labelled-sold ratio, both ≥ 60 %), TP-7, TP-4."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from guarantees.services import shop_badges_refresh
from shop.models import Shop
from tests.guarantees.trust_helpers import labelled_product, merchant_of, trust_shop
from tests.shop.factories import ConsumerFactory, OrderFactory, make_user

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(timezone.datetime(2026, 3, 15, 10, 0, 0))


def orders(shop, *, trust: int, plain: int, at=None, products=None):
    """``trust`` labelled orders and ``plain`` unlabelled ones, each on its own product."""
    at = at or NOW - timedelta(days=1)
    made = []
    for i in range(trust + plain):
        product = products[i] if products else labelled_product(shop)
        made.append(OrderFactory(shop=shop, product=product, placed_at=at, trust_label=i < trust))
    return made


def badge(shop):
    with time_machine.travel(NOW, tick=False):
        shop_badges_refresh(shop_ids=[shop.pk])
    return Shop.objects.get(pk=shop.pk)


def test_tp6_exactly_60_percent_shows_badge():
    shop = trust_shop()
    orders(shop, trust=3, plain=2)
    s = badge(shop)
    assert s.trust_badge_shown is True
    assert s.trust_order_ratio_14d == Decimal("0.6000") and s.labelled_product_ratio == Decimal("0.6000")


def test_tp6_59_99_percent_hides_badge():
    shop = trust_shop()
    products = [labelled_product(shop) for _ in range(2)]
    # 5999 of 10000 orders labelled would be slow; 5999/10000 == (2 products) scaled: use counts directly
    p_on, p_off = products
    from shop.models import Order

    rows = [
        Order(
            code=f"X{i}",
            consumer=ConsumerFactory(code="CX"),
            shop=shop,
            product=p_on if i < 5999 else p_off,
            paid_amount=Decimal("1"),
            placed_at=NOW - timedelta(days=1),
            trust_label=i < 5999,
        )
        for i in range(10_000)
    ]
    Order.objects.bulk_create(rows)
    s = badge(shop)
    assert s.trust_order_ratio_14d == Decimal("0.5999")
    assert s.trust_badge_shown is False


def test_tp6_no_orders_no_badge():
    shop = trust_shop()
    s = badge(shop)
    assert s.trust_badge_shown is False and s.trust_order_ratio_14d is None and s.labelled_product_ratio is None


def test_tp6_fourteen_day_boundary_is_exactly_14x24h():
    shop = trust_shop()
    # one plain order inside, one trust order at the window's first instant: 1/2 = 50 % → hidden
    orders(shop, trust=0, plain=1, at=NOW - timedelta(days=1))
    edge = orders(shop, trust=1, plain=0, at=NOW - timedelta(days=14))
    assert badge(shop).trust_order_ratio_14d == Decimal("0.5000")
    # one second earlier it falls out of the window: 0/1
    type(edge[0]).objects.filter(pk=edge[0].pk).update(placed_at=NOW - timedelta(days=14, seconds=1))
    assert badge(shop).trust_order_ratio_14d == Decimal("0.0000")


def test_tp6_both_ratios_must_pass():
    shop = trust_shop()
    p_hist = [labelled_product(shop) for _ in range(5)]
    # history: 5 products sold without label long ago → product ratio low
    for p in p_hist:
        OrderFactory(shop=shop, product=p, placed_at=NOW - timedelta(days=60), trust_label=False)
    orders(shop, trust=2, plain=0)
    s = badge(shop)
    assert s.trust_order_ratio_14d == Decimal("1.0000")
    assert s.labelled_product_ratio == Decimal("0.2857")  # 2 of 7
    assert s.trust_badge_shown is False


def test_tp6_non_regular_shop_never_shows_badge():
    shop = trust_shop(kind="cross_border")
    orders(shop, trust=3, plain=0)
    assert badge(shop).trust_badge_shown is False


def test_tp6_trust_badge_api_with_explanation(client_for):
    shop = trust_shop()
    orders(shop, trust=1, plain=2)
    badge(shop)
    api = client_for(merchant_of(shop))
    with time_machine.travel(NOW, tick=False):
        res = api.get("/api/v1/shop/trust-badge")
    body = res.json()
    assert res.status_code == 200
    assert body["shown"] is False
    assert body["trust_order_ratio_14d"] == "0.3333" and body["labelled_product_ratio"] == "0.3333"
    assert body["orders_14d"] == 3 and body["trust_orders_14d"] == 1
    assert body["fixes"]  # BX-4: what would restore it


def test_tp6_beat_task_recomputes_all_shops():
    from guarantees.tasks_trust import trust_shop_badges

    a, b = trust_shop(), trust_shop()
    orders(a, trust=1, plain=0)
    with time_machine.travel(NOW, tick=False):
        trust_shop_badges.apply().get()
    assert Shop.objects.get(pk=a.pk).trust_badge_shown is True
    assert Shop.objects.get(pk=b.pk).trust_badge_shown is False


def test_tp7_order_keeps_label_at_placement_and_risk_consumer_sees_none(client_for, platform_api):
    shop = trust_shop()
    p = labelled_product(shop)
    risk = ConsumerFactory(risk=True)
    ok = ConsumerFactory()
    doc = {
        "orders": [
            {
                "code": "OT1",
                "consumer": ok.code,
                "shop": shop.code,
                "product": p.code,
                "paid_amount": "10.00",
                "placed_at": NOW.isoformat(),
            },
            {
                "code": "OT2",
                "consumer": risk.code,
                "shop": shop.code,
                "product": p.code,
                "paid_amount": "10.00",
                "placed_at": NOW.isoformat(),
            },
        ]
    }
    assert platform_api.post("/api/v1/platform/sync", doc, format="json").status_code == 200
    ok_api = client_for(make_user("consumer", consumer=ok))
    risk_api = client_for(make_user("consumer", consumer=risk))
    body = ok_api.get("/api/v1/orders/OT1").json()
    assert body["trust_label"] is True and "checkout" in body["marks"]["trust"]
    body = risk_api.get("/api/v1/orders/OT2").json()
    assert body["trust_label"] is False and body["marks"]["trust"] == []
    # TP-4 / TP-7 on the buyer product view
    assert ok_api.get(f"/api/v1/products/{p.code}").json()["trust_label"] is True
    risky = risk_api.get(f"/api/v1/products/{p.code}").json()
    assert risky["trust_label"] is False and risky["surfaces"] == []


def test_tp4_public_product_surfaces_depend_on_room(client_for):
    from tests.shop.factories import LiveSessionFactory

    p = labelled_product()
    api = client_for(make_user("consumer"))
    room = LiveSessionFactory(trust_only=True)
    dedicated = api.get(f"/api/v1/products/{p.code}?live_session={room.code}").json()["surfaces"]
    ordinary = api.get(f"/api/v1/products/{p.code}").json()["surfaces"]
    assert "buyer_home" in dedicated and "cart_top" in dedicated
    assert ordinary == ["cart_list", "product_detail", "checkout", "order_detail"]
