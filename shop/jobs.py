"""Periodic jobs that must run once per period, however many beat or worker processes exist.

``@once_per_period(name, seconds)`` wraps a beat task body: the first call in a period inserts
a JobRun row (unique on name + period start) and runs; any other call for the same period —
a duplicate beat, a redelivered message, a second worker — finds the row and returns quietly.
A run that fails deletes its row so the next call may retry the period.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import JobRun

log = logging.getLogger(__name__)


def period_start(now: datetime, seconds: int) -> datetime:
    """Start of the period containing ``now``: multiples of ``seconds`` since the epoch, or, for
    daily jobs (``seconds >= 86400``), local midnight in Asia/Shanghai."""
    if seconds >= 86400:
        return timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=UTC)


def once_per_period(name: str, seconds: int) -> Callable:
    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            start = period_start(timezone.now(), seconds)
            try:
                with transaction.atomic():
                    run = JobRun.objects.create(name=name, period_start=start)
            except IntegrityError:
                log.info("job %s already ran for period %s; skipping", name, start)
                return None
            try:
                result = fn(*args, **kwargs)
            except Exception:
                JobRun.objects.filter(pk=run.pk).delete()
                raise
            JobRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), result=str(result)[:500])
            return result

        return wrapped

    return deco
