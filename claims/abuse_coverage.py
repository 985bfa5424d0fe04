"""Which 权益中心 services cover an order's product (SPEC §3), read through guarantees.

A shop enables a service for all its products; a product may opt out individually (§3). A
global shop's mandatory services (GP-1: authentic_guarantee, local_return, damage_return) cannot
be turned off, so they always cover its products. Coverage is read when the claim is filed
(the spec keeps no per-order snapshot of services).
"""

from __future__ import annotations

from typing import Any

from shop.constants import ShopKind

GLOBAL_MANDATORY = {"authentic_guarantee", "local_return", "damage_return"}


def product_provides(product: Any, code: str) -> bool:
    from guarantees.models import ProductOptOut, ShopService

    if product.shop.kind == ShopKind.GLOBAL and code in GLOBAL_MANDATORY:
        return True
    if ProductOptOut.objects.filter(product=product, code=code).exists():
        return False
    return ShopService.objects.filter(shop_id=product.shop_id, code=code, enabled=True).exists()


def return_address_for(shop: Any, region: str) -> dict[str, str] | None:
    from guarantees.selectors import return_address_for as lookup

    return lookup(shop, region)
