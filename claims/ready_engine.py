"""Registrations of the claim engine (called from ClaimsConfig.ready)."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def register() -> None:
    from shop import views as shop_views

    from . import policies, rules, tasks_engine  # noqa: F401  (settings, policies and tasks register on import)

    try:
        from guarantees import shizaibao
    except ImportError:  # the enrolment module is not there: nothing to feed
        shizaibao = None
    checks = getattr(shizaibao, "recent_violation_checks", None)
    if checks is not None and has_violation_since not in checks:
        checks.append(has_violation_since)  # SZB-1 / SZB-16
    if evidence_visible not in shop_views.upload_access_checks:
        shop_views.upload_access_checks.append(evidence_visible)


def has_violation_since(streamer: Any, since: datetime) -> bool:
    """SZB-16 → SZB-1: an upheld false-advertising violation, not revoked by an appeal."""
    from .models import Violation

    return Violation.objects.filter(streamer=streamer, recorded_at__gte=since, revoked_at__isnull=True).exists()


def evidence_visible(user: Any, upload: Any) -> bool:
    """The parties of a claim (its streamer, its shop's members) may see its evidence images."""
    from shop.selectors import shop_for, streamer_for

    from .models import ClaimEvidence

    qs = ClaimEvidence.objects.filter(upload=upload)
    streamer = streamer_for(user)
    if streamer is not None and qs.filter(claim__streamer=streamer).exists():
        return True
    shop = shop_for(user)
    return shop is not None and qs.filter(claim__shop=shop).exists()
