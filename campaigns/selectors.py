"""Reads of the 巨量星图 app: tenant-scoped querysets and the creator square."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet

from shop.api_common import role_of
from shop.constants import Role
from shop.selectors import shop_for, streamer_for

from .constants import OPEN_STATUSES, OrderStatus
from .models import Advertiser, CreatorOrder, CreatorProfile, CreatorSelection, Task


def advertiser_of(user: Any) -> Advertiser | None:
    """The advertiser a merchant user acts for (None for other roles or before first use)."""
    if role_of(user) != Role.MERCHANT:
        return None
    shop = shop_for(user)
    return Advertiser.objects.filter(shop=shop).select_related("shop").first() if shop else None


def orders_visible_to(user: Any) -> QuerySet[CreatorOrder]:
    """Advertisers see their shop's orders, creators their own, reviewers all; others none."""
    qs = CreatorOrder.objects.select_related("task__advertiser__shop", "streamer")
    role = role_of(user)
    if role == Role.MERCHANT:
        shop = shop_for(user)
        return qs.filter(task__advertiser__shop=shop) if shop else qs.none()
    if role == Role.STREAMER:
        streamer = streamer_for(user)
        return qs.filter(streamer=streamer) if streamer else qs.none()
    if role == Role.REVIEWER:
        return qs
    return qs.none()


def tasks_of(advertiser: Advertiser | None) -> QuerySet[Task]:
    if advertiser is None:
        return Task.objects.none()
    return (
        Task.objects.filter(advertiser=advertiser)
        .annotate(
            creators=Count("orders"),
            open_orders=Count("orders", filter=Q(orders__status__in=OPEN_STATUSES)),
            completed_orders=Count("orders", filter=Q(orders__status=OrderStatus.COMPLETED)),
        )
        .order_by("-created_at", "-id")
    )  # Meta.ordering does not apply to aggregated querysets


def selection_of(advertiser: Advertiser | None) -> QuerySet[CreatorSelection]:
    if advertiser is None:
        return CreatorSelection.objects.none()
    return CreatorSelection.objects.filter(advertiser=advertiser).select_related("streamer__xingtu_profile")


def _dec(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def creator_square(filters: dict[str, Any]) -> QuerySet[CreatorProfile]:
    """达人广场 → 内容传播达人: listed creators with filters ``q, industry, content_type,
    fans_min, fans_max, score_min, price_max, duration`` (bad values are ignored, not errors)."""
    qs = (
        CreatorProfile.objects.filter(listed=True)
        .select_related("streamer")
        .annotate(
            completed_tasks=Count(
                "streamer__xingtu_orders", filter=Q(streamer__xingtu_orders__status=OrderStatus.COMPLETED)
            ),
            avg_rating=Avg("streamer__xingtu_orders__rating"),
        )
    )
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(streamer__name__icontains=q) | Q(streamer__code__iexact=q) | Q(bio__icontains=q))
    industry = (filters.get("industry") or "").strip()
    if industry:
        qs = qs.filter(streamer__main_industry=industry)
    content_type = (filters.get("content_type") or "").strip()
    if content_type:
        # JSON list membership, portable across SQLite and PostgreSQL.
        qs = qs.filter(content_types__icontains=f'"{content_type}"')
    if (v := _int(filters.get("fans_min"))) is not None:
        qs = qs.filter(streamer__fans__gte=v)
    if (v := _int(filters.get("fans_max"))) is not None:
        qs = qs.filter(streamer__fans__lte=v)
    if (v := _dec(filters.get("score_min"))) is not None:
        qs = qs.filter(streamer__experience_score__gte=v)
    if (v := _dec(filters.get("price_max"))) is not None:
        field = "price_long" if filters.get("duration") == "long" else "price_short"
        qs = qs.filter(**{f"{field}__lte": v})
    order = filters.get("ordering") or "-fans"
    orderings = {
        "-fans": ["-streamer__fans", "streamer__code"],
        "fans": ["streamer__fans", "streamer__code"],
        "-score": ["-streamer__experience_score", "streamer__code"],
        "price": ["price_short", "streamer__code"],
    }
    return qs.order_by(*orderings.get(order, orderings["-fans"]))


def industries() -> list[str]:
    return sorted(
        {i for i in CreatorProfile.objects.filter(listed=True).values_list("streamer__main_industry", flat=True) if i}
    )


def upload_visible_to_counterpart(user: Any, upload: Any) -> bool:
    """shop.views.upload_access_checks: the client sees the covers its creators uploaded."""
    from .models import Deliverable

    shop = shop_for(user) if role_of(user) == Role.MERCHANT else None
    if shop is None:
        return False
    return Deliverable.objects.filter(cover=upload, order__task__advertiser__shop=shop).exists()
