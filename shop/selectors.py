"""Reads shared by every app: the party a user acts for (tenant scoping)."""

from __future__ import annotations

from typing import Any

from .models import Consumer, Shop, Streamer


def shop_for(user: Any) -> Shop | None:
    member = getattr(user, "shop_member", None)
    return member.shop if member is not None else None


def streamer_for(user: Any) -> Streamer | None:
    profile = getattr(user, "profile", None)
    return profile.streamer if profile is not None else None


def consumer_for(user: Any) -> Consumer | None:
    profile = getattr(user, "profile", None)
    return profile.consumer if profile is not None else None
