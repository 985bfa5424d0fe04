from celery.schedules import crontab

BEAT = {
    # XT-3: scheduled publishing, checked every minute (a due video goes out within a minute).
    "campaigns.publish_due": {
        "task": "campaigns.publish_due",
        "schedule": crontab(minute="*"),
        "options": {"expires": 50},
    },
    # BX-3: deadline reminders.
    "campaigns.deadline_reminders": {
        "task": "campaigns.deadline_reminders",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 600},
    },
}
