from celery.schedules import crontab

BEAT = {
    # RF-2: hourly scoring of consumers and linked groups.
    "claims.rf_score": {
        "task": "claims.rf_score",
        "schedule": crontab(minute=17),
        "options": {"expires": 50 * 60},
    },
    # BX-5: fingerprint evidence of claims not indexed at filing (every kind).
    "claims.fingerprint_scan": {
        "task": "claims.fingerprint_scan",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
}
