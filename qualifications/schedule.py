"""Beat entries of the qualifications app (collected by config.celery)."""

from celery.schedules import crontab

BEAT = {
    # QL-5: after midnight Asia/Shanghai (CELERY_TIMEZONE), expire and remind.
    "qualifications.daily_expiry": {
        "task": "qualifications.daily_expiry",
        "schedule": crontab(hour=0, minute=5),
        "options": {"expires": 6 * 3600},
    },
}
