"""XT-2: the creator square selection (已选达人) and publishing a 抖音传播任务."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.errors import ValidationFailed
from shop.models import Streamer
from shop.notify import notify
from shop.rules import setting

from ..constants import ContentType, OrderStatus, Settlement, TaskType, VideoDuration
from ..models import Advertiser, CreatorOrder, CreatorOrderEvent, CreatorProfile, CreatorSelection, Task
from ..rules import CreatorUnavailable, SelectionEmpty, deadline_hours
from .certification import require_certified


def _listed_profiles(codes: list[str]) -> dict[str, CreatorProfile]:
    """The listed creators with these codes; any other code refuses the whole request."""
    wanted = list(dict.fromkeys(str(c) for c in codes))
    found = {
        p.streamer.code: p
        for p in CreatorProfile.objects.filter(streamer__code__in=wanted, listed=True).select_related("streamer")
    }
    missing = [c for c in wanted if c not in found]
    if missing:
        raise CreatorUnavailable(
            _("These creators do not take tasks: %(codes)s.") % {"codes": ", ".join(missing)}, creators=missing
        )
    return {c: found[c] for c in wanted}


@transaction.atomic
def selection_add(*, advertiser: Advertiser, creators: list[str]) -> list[CreatorSelection]:
    """多选: add creators to 已选达人 (already selected ones stay as they are)."""
    if not creators:
        raise SelectionEmpty()
    profiles = _listed_profiles(creators)
    have = set(CreatorSelection.objects.filter(advertiser=advertiser).values_list("streamer_id", flat=True))
    CreatorSelection.objects.bulk_create(
        [
            CreatorSelection(advertiser=advertiser, streamer=p.streamer)
            for p in profiles.values()
            if p.streamer_id not in have
        ],
        ignore_conflicts=True,
    )
    return list(CreatorSelection.objects.filter(advertiser=advertiser).select_related("streamer"))


@transaction.atomic
def selection_remove(*, advertiser: Advertiser, creator: str) -> list[CreatorSelection]:
    """Remove one creator from 已选达人 (点击头像删除达人); removing an absent one is a no-op."""
    CreatorSelection.objects.filter(advertiser=advertiser, streamer__code=creator).delete()
    return list(CreatorSelection.objects.filter(advertiser=advertiser).select_related("streamer"))


@transaction.atomic
def task_publish(
    *,
    advertiser: Advertiser,
    actor: Any,
    title: str,
    product_name: str,
    publish_from: date,
    publish_until: date,
    video_duration: str,
    requirements: str,
    settlement: str,
    creators: list[str] | None = None,
    brand: str = "",
    product_link: str = "",
    service_provider: str = "",
    task_type: str = TaskType.DOUYIN_VIDEO,
    key: str = "",
) -> tuple[Task, bool]:
    """发布任务: certification gate (XT-1), then one pending order per creator at the creator's
    quoted price for the duration. Returns (task, created); the same ``key`` again returns the
    first task."""
    advertiser = Advertiser.objects.select_for_update().select_related("shop").get(pk=advertiser.pk)
    if key:
        existing = Task.objects.filter(advertiser=advertiser, key=key).first()
        if existing is not None:
            return existing, False
    require_certified(advertiser=advertiser)
    errors: dict[str, list[str]] = {}
    if task_type != TaskType.DOUYIN_VIDEO:
        errors["task_type"] = [_("Only 抖音传播任务 can be published.")]
    if video_duration not in VideoDuration.values:
        errors["video_duration"] = [_("Choose a video duration.")]
    if settlement not in Settlement.values:
        errors["settlement"] = [_("Choose a settlement method.")]
    if not title.strip():
        errors["title"] = [_("This field is required.")]
    if not product_name.strip():
        errors["product_name"] = [_("This field is required.")]
    if not requirements.strip():
        errors["requirements"] = [_("This field is required.")]
    today = timezone.localdate()
    if publish_from < today:
        errors["publish_from"] = [_("The publishing window cannot start in the past.")]
    if publish_until < publish_from:
        errors["publish_until"] = [_("The window must end on or after its start.")]
    if errors:
        raise ValidationFailed(errors=errors)
    if creators is None:
        creators = list(
            CreatorSelection.objects.filter(advertiser=advertiser)
            .order_by("added_at", "id")
            .values_list("streamer__code", flat=True)
        )
    if not creators:
        raise SelectionEmpty()
    limit = setting("xingtu.max_creators_per_task")
    if len(set(creators)) > limit:
        raise ValidationFailed(errors={"creators": [_("At most %(n)s creators per task.") % {"n": limit}]})
    profiles = _listed_profiles(creators)
    prices = {code: p.price_for(video_duration) for code, p in profiles.items()}
    task = Task.objects.create(
        advertiser=advertiser,
        key=key,
        task_type=task_type,
        title=title.strip(),
        brand=brand.strip(),
        product_name=product_name.strip(),
        product_link=product_link.strip(),
        publish_from=publish_from,
        publish_until=publish_until,
        video_duration=video_duration,
        requirements=requirements.strip(),
        service_provider=service_provider.strip(),
        settlement=settlement,
        total_amount=sum(prices.values(), Decimal("0.00")),
        created_by=actor,
    )
    now = timezone.now()
    hours = deadline_hours(OrderStatus.PENDING_ACCEPTANCE)
    orders = CreatorOrder.objects.bulk_create(
        [
            CreatorOrder(
                task=task,
                streamer=p.streamer,
                price=prices[code],
                status=OrderStatus.PENDING_ACCEPTANCE,
                due_at=now + timedelta(hours=hours),
                created_at=now,
            )
            for code, p in profiles.items()
        ]
    )
    orders = list(CreatorOrder.objects.filter(task=task).select_related("streamer"))
    CreatorOrderEvent.objects.bulk_create(
        [
            CreatorOrderEvent(order=o, actor=actor, action="published", from_status="", to_status=o.status, at=now)
            for o in orders
        ]
    )
    CreatorSelection.objects.filter(advertiser=advertiser, streamer__code__in=list(profiles)).delete()
    User = get_user_model()
    for o in orders:
        notify(
            users=User.objects.filter(profile__streamer=o.streamer, is_active=True),
            kind="xingtu_order",
            text=_("New 巨量星图 task “%(title)s” from %(shop)s: accept it before %(due)s.")
            % {
                "title": task.title,
                "shop": advertiser.shop.name,
                "due": timezone.localtime(o.due_at).strftime("%Y-%m-%d %H:%M"),
            },
            link=f"/xingtu/orders/{o.pk}/",
            dedupe_key=f"xt-order:{o.pk}:0",
        )
    return task, True


@transaction.atomic
def creator_profile_update(
    *,
    streamer: Streamer,
    listed: bool,
    content_types: list[str],
    price_short: Decimal,
    price_long: Decimal,
    bio: str = "",
) -> CreatorProfile:
    """A creator sets how they appear in the square (内容传播达人) and their quotes."""
    errors: dict[str, list[str]] = {}
    bad = [c for c in content_types if c not in ContentType.values]
    if bad:
        errors["content_types"] = [_("Unknown content types: %(c)s.") % {"c": ", ".join(bad)}]
    for name, value in (("price_short", price_short), ("price_long", price_long)):
        if value is None or value < 0:
            errors[name] = [_("Enter a price of 0 or more.")]
    if errors:
        raise ValidationFailed(errors=errors)
    profile, _created = CreatorProfile.objects.select_for_update().get_or_create(streamer=streamer)
    profile.listed = listed
    profile.content_types = list(dict.fromkeys(content_types))
    profile.price_short = price_short
    profile.price_long = price_long
    profile.bio = bio.strip()[:500]
    profile.save()
    return profile
