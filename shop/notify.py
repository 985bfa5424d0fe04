"""In-app notifications (BX-3)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction

from .models import Notification


def notify(*, users: Iterable[Any], kind: str, text: str, link: str = "", dedupe_key: str | None = None) -> int:
    """Create one notification per user; with ``dedupe_key`` a user gets it at most once."""
    made = 0
    for user in users:
        if user is None:
            continue
        try:
            with transaction.atomic():
                Notification.objects.create(user=user, kind=kind, text=text, link=link, dedupe_key=dedupe_key)
                made += 1
        except IntegrityError:
            continue
    return made
