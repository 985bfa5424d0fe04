"""Beat jobs of 信任购. django-celery-beat turns each entry into a PeriodicTask that staff can
re-schedule in admin (Periodic tasks → crontab)."""

from celery.schedules import crontab

BEAT: dict = {
    # TP-6: shop badges, hourly by default.
    "guarantees.trust_shop_badges": {
        "task": "guarantees.trust_shop_badges",
        "schedule": crontab(minute=7),
        "options": {"expires": 50 * 60},
    },
    # TP-3: nightly full recompute that reports rows that were wrong.
    "guarantees.trust_full_recompute": {
        "task": "guarantees.trust_full_recompute",
        "schedule": crontab(hour=3, minute=17),
        "options": {"expires": 3 * 3600},
    },
}
