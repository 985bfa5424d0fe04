"""Product sale state: Product.blocked_reasons / on_sale (QL-3, GP-1, API.md).

Several apps can block a product from sale (qualifications: qualification_missing /
qualification_expired; guarantees: mandatory_services_missing / return_address_missing).
Each registers a provider; ``refresh_sale_state`` merges their reasons and writes only the
rows whose state changes. on_sale is always ``blocked_reasons == []``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from shop.models import Product

# provider(products) -> {product_id: [reason codes]} for the products it blocks.
sale_block_providers: list[Callable[[QuerySet[Product]], dict[int, list[str]]]] = []
# fn(product=..., qualification_ids=[...], actor=...) — the qualifications app links products.
product_qualification_handlers: list[Callable[..., None]] = []

CHUNK = 2000


def refresh_sale_state(
    *, product_ids: Iterable[int] | None = None, shop_ids: Iterable[int] | None = None
) -> int:
    """Recompute blocked_reasons/on_sale for the given products (or shops' products, or all)."""
    qs = Product.objects.all()
    if product_ids is not None:
        qs = qs.filter(pk__in=list(product_ids))
    if shop_ids is not None:
        qs = qs.filter(shop_id__in=list(shop_ids))
    changed = 0
    last = 0
    while True:
        chunk = list(qs.filter(pk__gt=last).order_by("pk").only("pk", "blocked_reasons", "on_sale")[:CHUNK])
        if not chunk:
            break
        last = chunk[-1].pk
        chunk_qs = Product.objects.filter(pk__in=[p.pk for p in chunk])
        reasons: dict[int, set[str]] = {p.pk: set() for p in chunk}
        for provider in sale_block_providers:
            for pid, codes in provider(chunk_qs).items():
                if pid in reasons:
                    reasons[pid].update(codes)
        dirty: list[Any] = []
        for p in chunk:
            new = sorted(reasons[p.pk])
            if p.blocked_reasons != new or p.on_sale != (not new):
                p.blocked_reasons, p.on_sale = new, not new
                dirty.append(p)
        if dirty:
            with transaction.atomic():
                Product.objects.bulk_update(dirty, ["blocked_reasons", "on_sale"])
            changed += len(dirty)
    return changed
