"""Writes on platform facts: users and roles, order events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from . import hooks
from .constants import REVIEWER_GROUPS, OrderEventType, Role, ServiceCode
from .errors import InvalidEvent, NotFound, ValidationFailed
from .models import Consumer, Order, OrderEvent, Profile, Shop, ShopMember, Streamer


def known_service_codes() -> set[str]:
    return set(ServiceCode.values)


@transaction.atomic
def user_upsert(
    *,
    username: str,
    password: str,
    role: str,
    shop: str | None = None,
    streamer: str | None = None,
    consumer: str | None = None,
) -> tuple[Any, bool]:
    """Create or update a user of any API.md role (also `manage.py create_user`)."""
    if role not in Role.values:
        raise ValidationFailed(errors={"role": [_("Unknown role.")]})
    links = {
        "shop": (shop, Shop, Role.MERCHANT),
        "streamer": (streamer, Streamer, Role.STREAMER),
        "consumer": (consumer, Consumer, Role.CONSUMER),
    }
    resolved: dict[str, Any] = {}
    for name, (code, model, needs_role) in links.items():
        if role == needs_role and not code:
            raise ValidationFailed(errors={name: [_("Required for this role.")]})
        if code and role != needs_role:
            raise ValidationFailed(errors={name: [_("Only for the %(role)s role.") % {"role": needs_role}]})
        if code:
            obj = model.objects.filter(code=code).first()
            if obj is None:
                raise ValidationFailed(errors={name: [_("Unknown code.")]})
            resolved[name] = obj
    User = get_user_model()
    user = User.objects.select_for_update().filter(username=username).first()
    changed = False
    if user is None:
        user = User(username=username)
        changed = True
    if not user.has_usable_password() or not user.check_password(password):
        user.set_password(password)
        changed = True
    staff = role == Role.REVIEWER
    if user.is_staff != staff:
        user.is_staff = staff
        changed = True
    user.save()
    profile = Profile.objects.filter(user=user).first()
    wanted = {"role": role, "streamer": resolved.get("streamer"), "consumer": resolved.get("consumer")}
    if profile is None:
        Profile.objects.create(user=user, **wanted)
        changed = True
    elif any(getattr(profile, k) != v for k, v in wanted.items()):
        for k, v in wanted.items():
            setattr(profile, k, v)
        profile.save()
        changed = True
    member = ShopMember.objects.filter(user=user).first()
    if role == Role.MERCHANT:
        if member is None:
            ShopMember.objects.create(user=user, shop=resolved["shop"])
            changed = True
        elif member.shop_id != resolved["shop"].pk:
            member.shop = resolved["shop"]
            member.save(update_fields=["shop"])
            changed = True
    elif member is not None:
        member.delete()
        changed = True
    if staff:
        groups = list(Group.objects.filter(name__in=REVIEWER_GROUPS))
        if set(user.groups.all()) != set(groups):
            user.groups.set(groups)
            changed = True
    return user, changed


EVENT_FIELD = {
    OrderEventType.SHIPPED: "shipped_at",
    OrderEventType.DELIVERED: "delivered_at",
    OrderEventType.COMPLETED: "completed_at",
    OrderEventType.REFUNDED: "refunded_at",
}
# An event needs the one before it, and may not precede it (shipped ≤ delivered ≤ completed).
EVENT_AFTER = {
    OrderEventType.DELIVERED: OrderEventType.SHIPPED,
    OrderEventType.COMPLETED: OrderEventType.DELIVERED,
}


@transaction.atomic
def order_event_record(*, code: str, type: str, at: datetime) -> Order:
    """Record an order event; repeating the same event with the same time changes nothing."""
    order = Order.objects.select_for_update().filter(code=code).first()
    if order is None:
        raise NotFound()
    if type not in EVENT_FIELD:
        raise InvalidEvent(_("Unknown event type."))
    field = EVENT_FIELD[type]
    current = getattr(order, field)
    if current is not None:
        if current == at:
            return order
        raise InvalidEvent(_("This event was already recorded at another time."))
    if at < order.placed_at:
        raise InvalidEvent(_("An event cannot happen before the order was placed."))
    before = EVENT_AFTER.get(type)
    if before is not None:
        prev = getattr(order, EVENT_FIELD[before])
        if prev is None:
            raise InvalidEvent(_("'%(event)s' needs '%(before)s' first.") % {"event": type, "before": before})
        if at < prev:
            raise InvalidEvent(_("'%(event)s' cannot come before '%(before)s'.") % {"event": type, "before": before})
    for later, needs in EVENT_AFTER.items():
        if needs == type and getattr(order, EVENT_FIELD[later]) is not None and at > getattr(order, EVENT_FIELD[later]):
            raise InvalidEvent(_("'%(event)s' cannot come after '%(later)s'.") % {"event": type, "later": later})
    setattr(order, field, at)
    order.save(update_fields=[field])
    OrderEvent.objects.create(order=order, type=type, at=at)
    hooks.run(hooks.order_event_recorded, order, type)
    return order
