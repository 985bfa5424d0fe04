"""Beat jobs of the claim engine (long waits are database scans, never Celery countdowns)."""

from celery.schedules import crontab

BEAT = {
    "claims.sla_scan": {
        "task": "claims.sla_scan",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 240},
    },
    "claims.payouts_settle_due": {
        "task": "claims.payouts_settle_due",
        "schedule": crontab(minute="7,37"),
        "options": {"expires": 1500},
    },
    "claims.payouts_sweep_pending": {
        "task": "claims.payouts_sweep_pending",
        "schedule": crontab(minute="*/10"),
        "options": {"expires": 500},
    },
}
