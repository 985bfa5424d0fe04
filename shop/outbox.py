"""Transactional outbox: work queued in a transaction is sent to the broker after commit;
if the broker is down, it stays in the table and the relay (a beat job and every later
commit) delivers it when the broker returns. Nothing queued after commit is lost.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import OutboxMessage

log = logging.getLogger(__name__)


def enqueue(task: str, *, dedupe_key: str | None = None, **kwargs: Any) -> None:
    """Record ``task(**kwargs)`` in the current transaction; send it after commit.

    ``dedupe_key``: while an unsent message with this key waits, another is not added
    (e.g. one pending recompute per shop).
    """
    if dedupe_key is not None:
        if OutboxMessage.objects.filter(dedupe_key=dedupe_key, sent_at__isnull=True).exists():
            return
        # A key already sent is re-armed for new work.
        OutboxMessage.objects.filter(dedupe_key=dedupe_key, sent_at__isnull=False).update(dedupe_key=None)
    try:
        with transaction.atomic():
            msg = OutboxMessage.objects.create(task=task, kwargs=kwargs, dedupe_key=dedupe_key)
    except IntegrityError:
        return
    transaction.on_commit(lambda: relay(ids=[msg.pk]), robust=True)


def relay(*, ids: list[int] | None = None, limit: int = 500) -> int:
    """Send unsent messages (the given ones, or the oldest ``limit``). Returns how many went."""
    from config.celery import app

    sent = 0
    with transaction.atomic():
        qs = OutboxMessage.objects.select_for_update(skip_locked=True).filter(sent_at__isnull=True).order_by("id")
        if ids is not None:
            qs = qs.filter(pk__in=ids)
        for msg in list(qs[:limit]):
            if not _send(app, msg):
                break
            sent += 1
    return sent


def _send(app: Any, msg: OutboxMessage) -> bool:
    if app.conf.task_always_eager:
        # Tests and eager setups run the task inline and let its errors surface. A process that
        # has not imported every app's tasks module yet (no worker autodiscovery) does it now.
        if msg.task not in app.tasks:
            app.loader.import_default_modules()
        app.tasks[msg.task].apply(kwargs=msg.kwargs, throw=True)
    else:
        try:
            app.send_task(msg.task, kwargs=msg.kwargs)
        except Exception as exc:  # noqa: BLE001 — any broker failure leaves the row for the relay
            OutboxMessage.objects.filter(pk=msg.pk).update(attempts=msg.attempts + 1, last_error=repr(exc)[:1000])
            log.warning("outbox: broker unavailable, %s kept for relay: %r", msg.task, exc)
            return False
    OutboxMessage.objects.filter(pk=msg.pk, sent_at__isnull=True).update(sent_at=timezone.now(), dedupe_key=None)
    return True
