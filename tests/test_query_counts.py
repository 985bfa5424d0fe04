"""No N+1 (issue 7): list endpoints and pages cost the same number of queries for 10 or 100
rows. Each case builds n rows for one tenant and counts the queries of one request."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.shop.factories import CategoryFactory, ConsumerFactory, OrderFactory, ProductFactory, ShopFactory, make_user

pytestmark = pytest.mark.django_db


def count_queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        resp = fn()
    assert resp.status_code == 200, getattr(resp, "content", b"")[:500]
    return len(ctx.captured_queries)


def products(n: int):
    shop = ShopFactory()
    category = CategoryFactory(
        industry_services=["allergy_return"],
        requires_return_freight=True,
        required_qualification_types=["food_license"],
    )
    ProductFactory.create_batch(n, shop=shop, category=category)
    return shop, make_user("merchant", shop=shop)


def claims_for(n: int):
    from claims.models import Claim

    shop = ShopFactory()
    product = ProductFactory(shop=shop)
    consumer = ConsumerFactory()
    for _ in range(n):
        order = OrderFactory(product=product, consumer=consumer)
        Claim.objects.create(
            kind="damage",
            order=order,
            consumer=consumer,
            shop=shop,
            status="submitted",
            amount=Decimal("10.00"),
            payer="shop",
            filed_at=order.placed_at,
            reason="x",
        )
    return make_user("merchant", shop=shop), make_user("consumer", consumer=consumer)


@pytest.mark.parametrize("path", ["/api/v1/shop/products?page_size=100", "/products/"])
def test_product_list_queries_do_not_grow_with_rows(client_for, client, path):
    counts = []
    for n in (10, 100):
        _shop, merchant = products(n)
        if path.startswith("/api/"):
            api = client_for(merchant)
            counts.append(count_queries(lambda api=api: api.get(path)))
        else:
            client.force_login(merchant)
            counts.append(count_queries(lambda: client.get(path + "?page_size=100")))
    assert counts[0] == counts[1], counts


def test_claim_list_queries_do_not_grow_with_rows(client_for):
    counts = []
    for n in (10, 100):
        merchant, consumer = claims_for(n)
        for user in (merchant, consumer):
            api = client_for(user)
            counts.append(count_queries(lambda api=api: api.get("/api/v1/claims?page_size=100")))
    assert counts[0] == counts[2] and counts[1] == counts[3], counts


def test_notification_list_queries_do_not_grow_with_rows(client_for):
    from shop.notify import notify

    counts = []
    for n in (10, 100):
        user = make_user("merchant")
        for i in range(n):
            notify(users=[user], kind="claim_filed", text=f"n{i}")
        api = client_for(user)
        counts.append(count_queries(lambda api=api: api.get("/api/v1/notifications?page_size=100")))
    assert counts[0] == counts[1], counts
