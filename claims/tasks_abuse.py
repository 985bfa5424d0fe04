"""Celery tasks of RF-1…RF-4 and BX-5: a few lines each, idempotent, with explicit names."""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache

__all__ = ["fingerprint_claim", "fingerprint_scan", "notify_return_address_missing", "rf_score"]

SCORE_LOCK = "lock:claims.rf_score"


@shared_task(name="claims.fingerprint_claim", time_limit=120, soft_time_limit=100, ignore_result=True)
def fingerprint_claim(claim_id: int) -> int:
    """BX-5: index one claim's evidence hashes and record reuse."""
    from .fingerprints import fingerprint_claim as run

    return run(claim_id=claim_id)


@shared_task(name="claims.fingerprint_scan", time_limit=600, soft_time_limit=540, ignore_result=True)
def fingerprint_scan(limit: int = 500) -> int:
    """BX-5: index evidence of claims not fingerprinted yet (every kind, e.g. 实在宝)."""
    from .fingerprints import claims_needing_fingerprints
    from .fingerprints import fingerprint_claim as run

    return sum(run(claim_id=pk) for pk in claims_needing_fingerprints(limit))


@shared_task(name="claims.rf_score", time_limit=3600, soft_time_limit=3500, ignore_result=True)
def rf_score() -> dict | None:
    """RF-2: score consumers and linked groups (set-based). Never two runs at once."""
    from .abuse_scoring import score_all

    if not cache.add(SCORE_LOCK, "1", timeout=3600):
        return None
    try:
        return score_all()
    finally:
        cache.delete(SCORE_LOCK)


@shared_task(name="claims.notify_return_address_missing", time_limit=60, ignore_result=True, max_retries=3)
def notify_return_address_missing(shop_id: int, region: str) -> int:
    """GP-3: tell the merchant a return request could not be routed (once a day per region)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from shop.notify import notify

    users = get_user_model().objects.filter(shop_member__shop_id=shop_id, is_active=True)
    return notify(
        users=users,
        kind="return_address_missing",
        text=_("A buyer could not request a 本地退货 return: your shop has no return address for %(region)s.")
        % {"region": region},
        link="/rights/return-addresses/",
        dedupe_key=f"return-address-missing:{shop_id}:{region}:{timezone.localdate():%Y%m%d}",
    )
