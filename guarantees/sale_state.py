"""Product sale state: Product.blocked_reasons / on_sale (QL-3, GP-1, API.md).

Several apps can block a product from sale (qualifications: qualification_missing /
qualification_expired; guarantees: mandatory_services_missing / return_address_missing).
Each registers a provider; ``refresh_sale_state`` merges their reasons and writes only the
rows whose state changes. on_sale is always ``blocked_reasons == []``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from shop.models import Product

# provider(products) -> {product_id: [reason codes]} for the products it blocks.
sale_block_providers: list[Callable[[QuerySet[Product]], dict[int, list[str]]]] = []
# fn(product=..., qualification_ids=[...], actor=...) — the qualifications app links products.
product_qualification_handlers: list[Callable[..., None]] = []

CHUNK = 2000


def _id_chunks(product_ids: Iterable[int] | None, shop_ids: Iterable[int] | None) -> Iterator[list[int]]:
    """Product ids to refresh, CHUNK at a time; never one query with every id as a parameter."""
    shops = list(shop_ids) if shop_ids is not None else None
    if product_ids is not None:
        ids = sorted(set(product_ids))
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            if shops is not None:
                chunk = list(Product.objects.filter(pk__in=chunk, shop_id__in=shops).values_list("pk", flat=True))
            if chunk:
                yield chunk
        return
    qs = Product.objects.all() if shops is None else Product.objects.filter(shop_id__in=shops)
    last = 0
    while True:
        chunk = list(qs.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:CHUNK])
        if not chunk:
            return
        last = chunk[-1]
        yield chunk


def refresh_sale_state(*, product_ids: Iterable[int] | None = None, shop_ids: Iterable[int] | None = None) -> int:
    """Recompute blocked_reasons/on_sale for the given products (or shops' products, or all)."""
    changed = 0
    for ids in _id_chunks(product_ids, shop_ids):
        chunk_qs = Product.objects.filter(pk__in=ids)
        current = list(chunk_qs.only("pk", "blocked_reasons", "on_sale"))
        reasons: dict[int, set[str]] = {p.pk: set() for p in current}
        for provider in sale_block_providers:
            for pid, codes in provider(chunk_qs).items():
                if pid in reasons:
                    reasons[pid].update(codes)
        dirty: list[Any] = []
        for p in current:
            new = sorted(reasons[p.pk])
            if p.blocked_reasons != new or p.on_sale != (not new):
                p.blocked_reasons, p.on_sale = new, not new
                dirty.append(p)
        if dirty:
            with transaction.atomic():
                Product.objects.bulk_update(dirty, ["blocked_reasons", "on_sale"])
            changed += len(dirty)
    return changed
