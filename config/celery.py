"""The Celery app `config` (API.md: `celery -A config worker|beat`).

Beat entries come from each app's ``schedule.py`` (a ``BEAT`` dict), so an app owns its jobs;
django-celery-beat stores them in the database where staff can edit the crontab in admin.
"""

import importlib
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

SCHEDULE_APPS = ("shop", "guarantees", "qualifications", "claims", "campaigns")


def collect_beat_schedule() -> dict:
    schedule: dict = {}
    for name in SCHEDULE_APPS:
        try:
            module = importlib.import_module(f"{name}.schedule")
        except ModuleNotFoundError:
            continue
        schedule.update(getattr(module, "BEAT", {}))
    return schedule


@app.on_after_finalize.connect
def _install_schedule(sender: Celery, **_: object) -> None:
    sender.conf.beat_schedule = collect_beat_schedule()
