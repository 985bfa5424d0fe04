"""Who hears about a claim (API.md notification kinds claim_filed, claim_decided,
appeal_decided, deadline_near)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from shop.notify import notify

from ..models import Claim


def consumer_users(claim: Claim) -> QuerySet:
    return get_user_model().objects.filter(profile__consumer_id=claim.consumer_id, is_active=True)


def streamer_users(streamer_id: int | None) -> QuerySet:
    User = get_user_model()
    if streamer_id is None:
        return User.objects.none()
    return User.objects.filter(profile__streamer_id=streamer_id, is_active=True)


def shop_users(shop_id: int) -> QuerySet:
    return get_user_model().objects.filter(shop_member__shop_id=shop_id, is_active=True)


def reviewers() -> QuerySet:
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(Q(groups__name="claim_reviewers") | Q(profile__role="reviewer") | Q(is_superuser=True))
        .distinct()
    )


def payer_users(claim: Claim) -> QuerySet:
    if claim.payer == "streamer":
        return streamer_users(claim.streamer_id)
    return shop_users(claim.shop_id)


def link(claim: Claim) -> str:
    return f"/claims/{claim.pk}/"


def tell(users: Any, *, claim: Claim, kind: str, text: str, dedupe: str | None = None) -> int:
    return notify(users=users, kind=kind, text=text, link=link(claim), dedupe_key=dedupe)
