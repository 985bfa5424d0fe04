"""BX-1 audit trail for writes that have no event table of their own."""

from __future__ import annotations

from typing import Any

from .models import AuditLog


def audit(*, actor: Any, action: str, obj: Any, before: Any = None, after: Any = None, note: str = "") -> AuditLog:
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        before=before,
        after=after,
        note=note,
    )
