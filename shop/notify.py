"""In-app notifications (BX-3)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .models import Notification


def notify(*, users: Iterable[Any], kind: str, text: str, link: str = "", dedupe_key: str | None = None) -> int:
    """Create one notification per user in one INSERT; with ``dedupe_key`` a user gets it at most
    once (the unique constraint on user + dedupe_key drops repeats)."""
    targets = {u.pk: u for u in users if u is not None}
    if dedupe_key is not None and targets:
        already = Notification.objects.filter(dedupe_key=dedupe_key, user_id__in=list(targets))
        for user_id in already.values_list("user_id", flat=True):
            targets.pop(user_id, None)
    rows = [
        Notification(user=user, kind=kind, text=str(text), link=link, dedupe_key=dedupe_key)
        for user in targets.values()
    ]
    if not rows:
        return 0
    return len(Notification.objects.bulk_create(rows, ignore_conflicts=dedupe_key is not None))
