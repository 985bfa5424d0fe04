"""Kick-out governance 踢出直播间 (SPEC §8, KG-1…KG-3).

- KG-1: only streamers whose main industry is in ``KG_INDUSTRIES`` (a setting) are restricted.
- KG-2: score < 4.4 → no kicking from a selling room (its cart holds ≥ 1 product).
- KG-3: score ≥ 4.4 → no kicking a consumer who placed an order in any live session of that
  streamer within the past 90 × 24 h (an order placed exactly 90 × 24 h ago still counts).

Every attempt — allowed or refused — is written to ``KickAttempt`` with the rule, the reason
and the facts it was decided on. ``kick_attempt`` never raises for a refusal (so the log row
is committed); the API turns a refused attempt into its 403 with ``kick_error``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shop.errors import DomainError, NotFound, ValidationFailed, domain_error
from shop.models import CartItem, Consumer, LiveSession, Order, Streamer
from shop.rules import register, setting

from .models import KickAttempt, KickRule

# KG-1 as SPEC §8 writes the industry names (Streamer.main_industry holds the same text).
KG_INDUSTRIES = [
    "餐饮酒旅",
    "消电二手",
    "大家电",
    "话费虚拟",
    "手机配件",
    "陶瓷",
    "肉禽",
    "文玩",
    "3C数码",
    "海产",
    "汽车",
    "男士鞋靴",
    "工业品",
    "钟表",
    "宠物",
    "家具家装",
    "玉石",
    "户外用品",
    "汽车用品",
    "茗茶",
    "日用百货",
    "酒水",
    "数码电脑",
]

register("kick.industries", KG_INDUSTRIES, rule="KG-1", description="Main industries whose streamers are restricted.")
register(
    "kick.min_score",
    Decimal("4.40"),
    rule="KG-2",
    description="Below this visible score: no kicks from a selling room.",
)
register(
    "kick.recent_buyer_hours",
    90 * 24,
    rule="KG-3",
    description="At or above the score: no kicking a user who ordered in the streamer's sessions within these hours.",
)

KickForbiddenLowScore = domain_error(
    "kick_forbidden_low_score",
    403,
    gettext_lazy("Your score is below the threshold: you may not remove anyone from a live room that sells (KG-2)."),
)
KickForbiddenRecentBuyer = domain_error(
    "kick_forbidden_recent_buyer",
    403,
    gettext_lazy("This user ordered in one of your live sessions recently and may not be removed (KG-3)."),
)


@dataclass(frozen=True)
class KickPolicy:
    """Which rule applies to a streamer right now (shown on /live/kick-rules/ before a kick)."""

    industry: str
    restricted: bool
    score: Decimal
    min_score: Decimal
    recent_hours: int
    rule: str  # KickRule value

    @property
    def recent_days(self) -> Decimal:
        return (Decimal(self.recent_hours) / 24).normalize()


def kick_policy(streamer: Streamer) -> KickPolicy:
    industries = setting("kick.industries") or []
    restricted = streamer.main_industry in industries
    score = Decimal(streamer.experience_score)
    min_score = setting("kick.min_score")
    if not restricted:
        rule = KickRule.NOT_RESTRICTED
    elif score < min_score:
        rule = KickRule.KG2
    else:
        rule = KickRule.KG3
    return KickPolicy(
        industry=streamer.main_industry,
        restricted=restricted,
        score=score,
        min_score=min_score,
        recent_hours=setting("kick.recent_buyer_hours"),
        rule=rule,
    )


def last_order_in_streamer_sessions(*, streamer: Streamer, consumer: Consumer) -> datetime | None:
    return Order.objects.filter(consumer=consumer, live_session__streamer=streamer).aggregate(m=Max("placed_at"))["m"]


def kick_attempt(*, streamer: Streamer, session_code: str, consumer_code: str, actor: Any = None) -> KickAttempt:
    """Decide and log one kick attempt. Another streamer's session → 404; unknown consumer → 400."""
    session = LiveSession.objects.filter(code=session_code, streamer=streamer).first()
    if session is None:
        raise NotFound()
    consumer = Consumer.objects.filter(code=consumer_code).first() if isinstance(consumer_code, str) else None
    if consumer is None:
        raise ValidationFailed(errors={"consumer": [_("Unknown consumer.")]})
    now = timezone.now()
    policy = kick_policy(streamer)
    cart_size = CartItem.objects.filter(session=session).count()
    last_order = last_order_in_streamer_sessions(streamer=streamer, consumer=consumer)
    allowed, code, reason = True, "", _("Your industry is not restricted (KG-1).")
    if policy.rule == KickRule.KG2:
        if cart_size > 0:
            allowed, code = False, KickForbiddenLowScore.code
            reason = _("Score %(score)s < %(min)s and the cart holds %(n)d product(s) (KG-2).") % {
                "score": policy.score,
                "min": policy.min_score,
                "n": cart_size,
            }
        else:
            reason = _("Score below %(min)s but the room sells nothing (empty cart): allowed (KG-2).") % {
                "min": policy.min_score
            }
    elif policy.rule == KickRule.KG3:
        since = now - timedelta(hours=policy.recent_hours)
        if last_order is not None and last_order >= since:
            allowed, code = False, KickForbiddenRecentBuyer.code
            reason = _("The user ordered in your live session at %(at)s, within %(h)d hours (KG-3).") % {
                "at": timezone.localtime(last_order).strftime("%Y-%m-%d %H:%M:%S"),
                "h": policy.recent_hours,
            }
        else:
            reason = _("No order from this user in your live sessions within %(h)d hours (KG-3): allowed.") % {
                "h": policy.recent_hours
            }
    with transaction.atomic():
        return KickAttempt.objects.create(
            session=session,
            streamer=streamer,
            consumer=consumer,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            at=now,
            allowed=allowed,
            rule=policy.rule,
            code=code,
            reason=reason,
            industry=policy.industry,
            restricted_industry=policy.restricted,
            score=policy.score,
            cart_size=cart_size,
            last_order_at=last_order,
        )


def kick_error(attempt: KickAttempt) -> DomainError | None:
    """The API error for a refused attempt (None when allowed)."""
    if attempt.allowed:
        return None
    cls = KickForbiddenLowScore if attempt.code == KickForbiddenLowScore.code else KickForbiddenRecentBuyer
    return cls(attempt.reason, rule=attempt.rule)
