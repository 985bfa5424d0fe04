from celery.schedules import crontab

# Asia/Shanghai (CELERY_TIMEZONE). `expires` drops a run the workers could not start in time.
BEAT = {
    "guarantees.szb_recheck_eligibility": {
        "task": "guarantees.szb_recheck_eligibility",
        "schedule": crontab(hour=2, minute=30),
        "options": {"expires": 3 * 3600},
    },
    "guarantees.szb_auto_invite": {
        "task": "guarantees.szb_auto_invite",
        "schedule": crontab(hour=3, minute=30),
        "options": {"expires": 3 * 3600},
    },
}
