"""In-app notifications (BX-3)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from . import fastdb
from .models import Notification


def notify(*, users: Iterable[Any], kind: str, text: str, link: str = "", dedupe_key: str | None = None) -> int:
    """Create one notification per user in one INSERT; with ``dedupe_key`` a user gets it at most
    once (the unique constraint on user + dedupe_key drops repeats). ``users``: user objects, or
    a queryset of users (only their ids are read)."""
    if isinstance(users, QuerySet):
        ids = set(users.values_list("pk", flat=True))
    else:
        ids = {u.pk for u in users if u is not None}
    if dedupe_key is not None and ids:
        ids -= set(
            Notification.objects.filter(dedupe_key=dedupe_key, user_id__in=list(ids)).values_list("user_id", flat=True)
        )
    rows = [
        Notification(user_id=user_id, kind=kind, text=str(text), link=link, dedupe_key=dedupe_key)
        for user_id in sorted(ids)
    ]
    return fastdb.insert_rows(rows, ignore_conflicts=dedupe_key is not None)


def notification(*, kind: str, text: str, link: str = "", dedupe_key: str | None = None) -> Notification:
    """An unsaved notification without its user: the template of an INSERT … SELECT over an
    audience (``shop.fastdb.Batch.select(template, column="user", …)``)."""
    return Notification(kind=kind, text=str(text), link=link, dedupe_key=dedupe_key)
