"""Celery tasks of 信任购 (TP-3, TP-6, GP-1): a few lines each, idempotent, explicit names."""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache
from django.db import transaction

__all__ = ["trust_full_recompute", "trust_recompute", "trust_shop_badges"]

LOCK_SECONDS = 3600


@shared_task(name="guarantees.trust_recompute", time_limit=600, soft_time_limit=540, ignore_result=True)
def trust_recompute(shop_id: int | None = None, category_id: int | None = None, sale_state: bool = False) -> int:
    """TP-3: recompute one shop's or one category's products (queued after commit)."""
    from .sale_state import refresh_sale_state
    from .services import labels_refresh
    from .trust import Scope

    if shop_id is None and category_id is None:
        return 0
    scope = Scope.of(
        shop_ids=None if shop_id is None else [shop_id], category_ids=None if category_id is None else [category_id]
    )
    with transaction.atomic():
        changed = labels_refresh(scope=scope).changed
    if sale_state and shop_id is not None:
        refresh_sale_state(shop_ids=[shop_id])
    return changed


def _locked(name: str):
    """A periodic job that must not overlap takes a cache lock (Redis in production)."""
    return cache.add(f"lock:{name}", 1, LOCK_SECONDS)


@shared_task(name="guarantees.trust_full_recompute", time_limit=3600, soft_time_limit=3300, ignore_result=True)
def trust_full_recompute() -> int:
    """TP-3 nightly: recompute everything and report rows that were wrong."""
    from .services import full_recompute_report

    if not _locked("trust_full_recompute"):
        return 0
    try:
        return full_recompute_report().changed
    finally:
        cache.delete("lock:trust_full_recompute")


@shared_task(name="guarantees.trust_shop_badges", time_limit=1800, soft_time_limit=1700, ignore_result=True)
def trust_shop_badges() -> int:
    """TP-6 hourly: shop badges from the 14-day trust-order ratio and labelled-sold ratio."""
    from .services import shop_badges_refresh

    if not _locked("trust_shop_badges"):
        return 0
    try:
        return shop_badges_refresh().changed
    finally:
        cache.delete("lock:trust_shop_badges")
