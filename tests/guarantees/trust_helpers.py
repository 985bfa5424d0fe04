"""Helpers for 信任购 tests: shops with services on, merchants, streamers."""

from __future__ import annotations

from guarantees.models import ShopService
from guarantees.rules import TRUST_BASE_SERVICES
from guarantees.trust import Scope, recompute_labels
from shop.models import Product
from tests.shop.factories import CategoryFactory, ProductFactory, ShopFactory, make_user


def enable(shop, *codes, on: bool = True) -> None:
    for code in codes:
        ShopService.objects.update_or_create(shop=shop, code=code, defaults={"enabled": on})


def trust_shop(**kwargs):
    """A regular shop with the three TP base services on."""
    shop = ShopFactory(**kwargs)
    enable(shop, *TRUST_BASE_SERVICES)
    return shop


def labelled_product(shop=None, **kwargs) -> Product:
    shop = shop or trust_shop()
    kwargs.setdefault("category", CategoryFactory())
    p = ProductFactory(shop=shop, **kwargs)
    recompute_labels(scope=Scope.of(product_ids=[p.pk]))
    p.refresh_from_db()
    return p


def recompute_all() -> None:
    recompute_labels(scope=Scope.of())


def merchant_of(shop):
    return make_user("merchant", shop=shop)
