"""Celery tasks of the qualifications app: a few lines each, idempotent, explicit names."""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from . import services

DAILY_LOCK = "lock:qualifications.daily"


@shared_task(
    name="qualifications.run_checks",
    time_limit=120,
    soft_time_limit=100,
    autoretry_for=(OSError,),
    max_retries=3,
    retry_backoff=True,
    ignore_result=True,
)
def run_checks(revision_id: int) -> str | None:
    """QL-2 automatic checks of one revision; does nothing once it left 'checking'."""
    return services.revision_run_checks(revision_id=revision_id)


@shared_task(name="qualifications.daily_expiry", time_limit=1800, soft_time_limit=1700, ignore_result=True)
def daily_expiry() -> dict[str, int]:
    """QL-5: mark expired qualifications (products off sale) and send 30/7/1-day reminders.
    Takes a lock so two beats never overlap; both steps are idempotent anyway."""
    if not cache.add(DAILY_LOCK, "1", timeout=1800):
        return {"expired": 0, "reminded": 0, "skipped": 1}
    try:
        today = timezone.localdate()
        return {
            "expired": services.qualifications_expire(today=today),
            "reminded": services.qualifications_remind(today=today),
        }
    finally:
        cache.delete(DAILY_LOCK)
