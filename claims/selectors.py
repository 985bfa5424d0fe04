"""Reads of the claim engine: what each role may see, balances, the claim's timeline."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from shop.api_common import role_of
from shop.constants import Role
from shop.models import Consumer, Shop, Streamer
from shop.selectors import consumer_for, shop_for, streamer_for

from . import ledger
from .models import Claim, Payout, PayoutStatus


def claims_visible_to(user: Any) -> QuerySet[Claim]:
    """Consumer: own; streamer: against them; merchant: their shop's; reviewer: all."""
    role = role_of(user)
    qs = Claim.objects.select_related("order", "consumer", "shop", "streamer")
    if role == Role.REVIEWER:
        return qs
    if role == Role.CONSUMER:
        consumer = consumer_for(user)
        return qs.filter(consumer=consumer) if consumer else qs.none()
    if role == Role.STREAMER:
        streamer = streamer_for(user)
        return qs.filter(streamer=streamer) if streamer else qs.none()
    if role == Role.MERCHANT:
        shop = shop_for(user)
        return qs.filter(shop=shop) if shop else qs.none()
    return qs.none()


def claim_filter(qs: QuerySet[Claim], params: Any) -> QuerySet[Claim]:
    for field in ("status", "kind", "type"):
        if params.get(field):
            qs = qs.filter(**{field: params[field]})
    if params.get("order"):
        qs = qs.filter(order__code=params["order"])
    if params.get("q"):
        q = params["q"]
        qs = qs.filter(Q(order__code__icontains=q) | Q(reason__icontains=q))
    return qs


def streamer_balances(streamer: Streamer) -> dict[str, Decimal]:
    """API.md /streamer/account: cash, deposit, held (BX-2), arrears; plus available."""
    cash = ledger.streamer_account(streamer, "cash")
    deposit = ledger.streamer_account(streamer, "deposit")
    arrears = ledger.streamer_account(streamer, "arrears")
    out = {
        "cash": ledger.balance(cash),
        "deposit": ledger.balance(deposit),
        "held": ledger.held_total([cash, deposit]),
        "arrears": ledger.balance(arrears),
    }
    out["available"] = ledger.money(out["cash"] + out["deposit"] - out["held"])
    return out


def shop_balances(shop: Shop) -> dict[str, Decimal]:
    deposit = ledger.shop_account(shop, "deposit")
    arrears = ledger.shop_account(shop, "arrears")
    out = {"deposit": ledger.balance(deposit), "held": ledger.held_total([deposit]), "arrears": ledger.balance(arrears)}
    out["available"] = ledger.money(out["deposit"] - out["held"])
    return out


def wallet(consumer: Consumer) -> dict[str, Any]:
    return {"enabled": consumer.wallet_enabled, "balance": ledger.balance(ledger.consumer_wallet(consumer))}


def payout_state(claim: Claim) -> dict[str, Any]:
    payout: Payout | None = getattr(claim, "payout", None) if _has_payout(claim) else None
    if payout is None:
        return {"status": "none", "destination": None, "settled_at": None, "steps": []}
    return {
        "status": payout.status,
        "destination": payout.destination,
        "settled_at": payout.settled_at,
        "amount": payout.amount,
        "settle_after": payout.settle_after if payout.status == PayoutStatus.IN_TRANSIT else None,
        "steps": [{"at": e.at, "step": e.step, "amount": e.amount} for e in payout.events.all()],
    }


def _has_payout(claim: Claim) -> bool:
    try:
        return claim.payout is not None
    except Payout.DoesNotExist:
        return False


def claim_detail_qs() -> QuerySet[Claim]:
    return Claim.objects.select_related(
        "order", "consumer", "shop", "streamer", "appeal", "payout", "violation"
    ).prefetch_related("events", "evidence__upload", "payout__events")


def claim_details_visible_to(user: Any) -> QuerySet[Claim]:
    """``claim_detail_qs`` limited to the claims ``user`` may see (``claims_visible_to``)."""
    return claim_detail_qs().filter(pk__in=claims_visible_to(user).values("pk"))
