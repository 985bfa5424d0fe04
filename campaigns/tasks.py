"""Celery tasks of 巨量星图 (a few lines each; the work is in services)."""

from celery import shared_task
from django.core.cache import cache

from . import services

LOCK_SECONDS = 50


@shared_task(name="campaigns.publish_due", time_limit=120, soft_time_limit=100, ignore_result=True)
def publish_due() -> int:
    """XT-3 定时发布: publish scheduled videos that are due, each exactly once."""
    if not cache.add("lock:campaigns.publish_due", 1, LOCK_SECONDS):
        return 0  # a previous run is still going; rows are locked per order anyway
    try:
        return services.publish_due_orders()
    finally:
        cache.delete("lock:campaigns.publish_due")


@shared_task(name="campaigns.deadline_reminders", time_limit=300, soft_time_limit=240, ignore_result=True)
def deadline_reminders() -> int:
    """BX-3: remind the acting party before an XT-3 step's deadline (once per step)."""
    return services.deadline_reminders()
