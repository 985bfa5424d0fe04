"""Payouts (SZB-12/13, BX-2, BX-6): one per upheld claim, exactly once.

- ``payout_start`` (inside the decision's transaction) creates the Payout row (pending) and
  enqueues ``claims.payout_execute`` through the transactional outbox.
- ``payout_execute`` locks the payout and, if still pending, moves the money in ONE ledger
  transaction keyed ``claim:<id>:payout`` (from the business operation, never the attempt):
  payer's sources (streamer: cash → deposit → platform advance as arrears; shop: deposit →
  arrears; platform: advance) → destination (wallet, or payouts in transit for the original
  payment path). The hold is settled in the same transaction. Running it twice, or after a
  crash part-way (the transaction rolls back), moves the money once.
- Wallet payouts settle at once (claim → paid). Original-path payouts are handed to the
  payment gateway and settle after N Chinese working days, found by a beat job scanning the
  database (no long Celery countdowns). A gateway failure blocks the payout for a reviewer
  (BX-6): retry, or redirect to the wallet.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.audit import audit
from shop.outbox import enqueue
from shop.rules import setting

from .. import ledger
from ..models import (
    AccountKind,
    Claim,
    ClaimEventType,
    ClaimStatus,
    Payer,
    Payout,
    PayoutDestination,
    PayoutEvent,
    PayoutStatus,
)
from ..workdays import add_working_days
from .errors import InvalidState, ValidationFailed
from .notices import consumer_users, tell
from .transitions import claim_transition

log = logging.getLogger(__name__)
ZERO = ledger.ZERO


class PaymentPathError(Exception):
    """The original payment path refused the refund (BX-6: the payout blocks)."""


def _gateway_submit(payout: Payout) -> None:
    """Hand an original-path refund to the payment provider. The provider integration is
    upstream; here the refund is accepted (the key makes a resubmission harmless)."""


# Replaceable for the real provider (and for tests that make it fail): fn(payout) -> None,
# raising PaymentPathError when the path refuses.
gateway_submit: list[Callable[[Payout], None]] = [_gateway_submit]

TX_PAYOUT = "claim:{pk}:payout"
TX_SETTLE = "claim:{pk}:settle"
TX_REDIRECT = "claim:{pk}:to-wallet"
TX_REVERSAL = "claim:{pk}:reversal"


def _event(
    payout: Payout, step: str, *, to: str = "", before: str = "", amount: Any = None, note: str = "", actor: Any = None
) -> None:
    PayoutEvent.objects.create(
        payout=payout,
        step=step,
        from_status=before,
        to_status=to,
        amount=amount,
        note=note,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def payout_transition(*, payout: Payout, to: str, step: str, actor: Any = None, note: str = "") -> None:
    """The one function that changes a payout's status (writes a PayoutEvent row)."""
    allowed = {
        PayoutStatus.PENDING: {PayoutStatus.IN_TRANSIT, PayoutStatus.SETTLED, PayoutStatus.BLOCKED},
        PayoutStatus.IN_TRANSIT: {PayoutStatus.SETTLED, PayoutStatus.BLOCKED},
        PayoutStatus.BLOCKED: {PayoutStatus.IN_TRANSIT, PayoutStatus.SETTLED},
        PayoutStatus.SETTLED: set(),
    }
    if to not in allowed[payout.status]:
        raise InvalidState()
    before = payout.status
    payout.status = to
    fields = ["status"]
    if to == PayoutStatus.SETTLED:
        payout.settled_at = timezone.now()
        fields.append("settled_at")
    payout.save(update_fields=fields)
    _event(payout, step, before=before, to=to, amount=payout.amount, note=note, actor=actor)


def payout_start(*, claim: Claim, actor: Any = None) -> Payout:
    """Create the claim's payout (idempotent: one per claim) and enqueue its execution."""
    payout = Payout.objects.filter(claim=claim).first()
    if payout is not None:
        return payout
    destination = PayoutDestination.WALLET if claim.consumer.wallet_enabled else PayoutDestination.ORIGINAL_PATH
    payout = Payout.objects.create(claim=claim, amount=claim.amount, destination=destination)
    _event(payout, "created", to=PayoutStatus.PENDING, amount=claim.amount, actor=actor)
    enqueue("claims.payout_execute", dedupe_key=f"payout:{payout.pk}", payout_id=payout.pk)
    return payout


def payout_execute(*, payout_id: int) -> Payout | None:
    """Move the money of a pending payout, exactly once. Safe to call any number of times."""
    with transaction.atomic():
        payout = Payout.objects.select_for_update().filter(pk=payout_id).first()
        if payout is None or payout.status != PayoutStatus.PENDING:
            return payout
        execute_locked(payout=payout)
        return payout


def _sources(claim: Claim, amount: Any) -> tuple[list[tuple[Any, Any]], dict[str, Any], list[Any]]:
    """SZB-13 waterfall: the debit lines, the split and the accounts to lock."""
    if claim.payer == Payer.STREAMER and claim.streamer_id:
        cash = ledger.streamer_account(claim.streamer, "cash")
        deposit = ledger.streamer_account(claim.streamer, "deposit")
        arrears = ledger.streamer_account(claim.streamer, "arrears")
        ledger.lock([cash, deposit, arrears])
        from_cash = min(amount, max(ledger.balance(cash), ZERO))
        from_deposit = min(amount - from_cash, max(ledger.balance(deposit), ZERO))
        advance = amount - from_cash - from_deposit
        lines = [(cash, from_cash), (deposit, from_deposit), (arrears, advance)]
        return lines, {"from_cash": from_cash, "from_deposit": from_deposit, "from_advance": advance}, []
    if claim.payer == Payer.SHOP:
        deposit = ledger.shop_account(claim.shop, "deposit")
        arrears = ledger.shop_account(claim.shop, "arrears")
        ledger.lock([deposit, arrears])
        from_deposit = min(amount, max(ledger.balance(deposit), ZERO))
        advance = amount - from_deposit
        lines = [(deposit, from_deposit), (arrears, advance)]
        return lines, {"from_cash": ZERO, "from_deposit": from_deposit, "from_advance": advance}, []
    advance_acc = ledger.platform_account(AccountKind.PLATFORM_ADVANCE)
    return [(advance_acc, amount)], {"from_cash": ZERO, "from_deposit": ZERO, "from_advance": amount}, []


def execute_locked(*, payout: Payout, actor: Any = None) -> None:
    """Execute a pending payout whose row the caller has locked (same transaction)."""
    claim = (
        Claim.objects.select_for_update(of=("self",))
        .select_related("consumer", "streamer", "shop")
        .get(pk=payout.claim_id)
    )
    amount = payout.amount
    lines, split, _unused = _sources(claim, amount)
    if payout.destination == PayoutDestination.WALLET:
        dest = ledger.consumer_wallet(claim.consumer)
    else:
        dest = ledger.platform_account(AccountKind.PAYOUTS_IN_TRANSIT)
    ledger.post(
        key=TX_PAYOUT.format(pk=claim.pk),
        entries=[*lines, (dest, -amount)],
        memo=f"payout of claim #{claim.pk} ({claim.kind}) to {payout.destination}",
        claim=claim,
        actor=actor,
    )
    ledger.settle(key=f"claim:{claim.pk}:hold")
    for field, value in split.items():
        setattr(payout, field, value)
    payout.executed_at = timezone.now()
    payout.attempts += 1
    payout.save(update_fields=["from_cash", "from_deposit", "from_advance", "executed_at", "attempts"])
    if claim.payer == Payer.STREAMER:
        if split["from_cash"]:
            _event(payout, "debited_cash", amount=split["from_cash"])
        if split["from_deposit"]:
            _event(payout, "debited_deposit", amount=split["from_deposit"])
        if split["from_advance"]:
            _event(payout, "platform_advanced", amount=split["from_advance"], note="arrears")
    elif claim.payer == Payer.SHOP:
        if split["from_deposit"]:
            _event(payout, "debited_shop_deposit", amount=split["from_deposit"])
        if split["from_advance"]:
            _event(payout, "platform_advanced", amount=split["from_advance"], note="arrears")
    else:
        _event(payout, "platform_paid", amount=amount)

    if payout.destination == PayoutDestination.WALLET:
        payout_transition(payout=payout, to=PayoutStatus.SETTLED, step="credited_wallet", actor=actor)
        _mark_paid(claim, actor=actor)
        return
    _submit_original_path(payout=payout, claim=claim, actor=actor)


def _settle_after(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    day = add_working_days(local.date(), int(setting("claims.payout.settle_working_days")))
    return local.replace(year=day.year, month=day.month, day=day.day)


def _submit_original_path(*, payout: Payout, claim: Claim, actor: Any = None) -> None:
    try:
        for fn in gateway_submit:
            fn(payout)
    except PaymentPathError as exc:
        payout.last_error = str(exc)[:2000]
        payout.save(update_fields=["last_error"])
        payout_transition(payout=payout, to=PayoutStatus.BLOCKED, step="blocked", actor=actor, note=str(exc))
        audit(actor=actor, action="claims.payout_blocked", obj=payout, after={"error": str(exc)})
        return
    payout.settle_after = _settle_after(timezone.now())
    payout.save(update_fields=["settle_after"])
    payout_transition(payout=payout, to=PayoutStatus.IN_TRANSIT, step="sent_original_path", actor=actor)


def _mark_paid(claim: Claim, *, actor: Any = None) -> None:
    if claim.status in (ClaimStatus.UPHELD, ClaimStatus.REVERSED):
        claim_transition(
            claim=claim,
            to=claim.status if claim.status == ClaimStatus.REVERSED else ClaimStatus.PAID,
            actor=actor,
            event=ClaimEventType.PAID,
        )
    tell(
        consumer_users(claim),
        claim=claim,
        kind="claim_decided",
        text=_("The compensation of claim #%(id)s (%(amount)s) has arrived.")
        % {"id": claim.pk, "amount": claim.amount},
        dedupe=f"claim:{claim.pk}:paid",
    )


def payout_settle(*, payout_id: int, actor: Any = None, force: bool = False) -> Payout | None:
    """Settle one in-transit payout whose day has come (or any in-transit one with ``force``)."""
    with transaction.atomic():
        payout = Payout.objects.select_for_update().filter(pk=payout_id).first()
        if payout is None or payout.status != PayoutStatus.IN_TRANSIT:
            return payout
        if not force and (payout.settle_after is None or payout.settle_after > timezone.now()):
            return payout
        claim = Claim.objects.select_for_update(of=("self",)).select_related("consumer").get(pk=payout.claim_id)
        ledger.post(
            key=TX_SETTLE.format(pk=claim.pk),
            entries=[
                (ledger.platform_account(AccountKind.PAYOUTS_IN_TRANSIT), payout.amount),
                (ledger.platform_account(AccountKind.PLATFORM_CLEARING), -payout.amount),
            ],
            memo=f"original-path refund of claim #{claim.pk} settled",
            claim=claim,
            actor=actor,
        )
        payout_transition(payout=payout, to=PayoutStatus.SETTLED, step="settled_original_path", actor=actor)
        _mark_paid(claim, actor=actor)
        return payout


def payouts_settle_due(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Beat job: settle every in-transit payout whose working-day wait is over."""
    now = now or timezone.now()
    ids = list(
        Payout.objects.filter(status=PayoutStatus.IN_TRANSIT, settle_after__lte=now)
        .order_by("settle_after")
        .values_list("pk", flat=True)[:limit]
    )
    done = 0
    for pk in ids:
        p = payout_settle(payout_id=pk)
        done += int(bool(p and p.status == PayoutStatus.SETTLED))
    return done


def payouts_sweep_pending(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """Beat job: execute pending payouts whose message was lost (exactly once by the key)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=int(setting("claims.payout.sweep_minutes")))
    ids = list(
        Payout.objects.filter(status=PayoutStatus.PENDING, created_at__lte=cutoff).values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        payout_execute(payout_id=pk)
    return len(ids)


def payout_retry(*, payout_id: int, actor: Any) -> Payout:
    """BX-6: a reviewer resubmits a blocked payout to the original payment path."""
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout_id)
        if payout.status != PayoutStatus.BLOCKED:
            raise InvalidState(_("Only a blocked payout can be retried."))
        claim = Claim.objects.select_for_update().get(pk=payout.claim_id)
        payout.attempts += 1
        payout.save(update_fields=["attempts"])
        audit(actor=actor, action="claims.payout_retry", obj=payout, before={"status": "blocked"})
        _submit_original_path(payout=payout, claim=claim, actor=actor)
        return payout


def payout_redirect_to_wallet(*, payout_id: int, actor: Any) -> Payout:
    """BX-6: a reviewer pays a blocked original-path refund into the consumer's wallet instead."""
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout_id)
        if payout.status != PayoutStatus.BLOCKED:
            raise InvalidState(_("Only a blocked payout can be redirected."))
        claim = Claim.objects.select_for_update(of=("self",)).select_related("consumer").get(pk=payout.claim_id)
        if not claim.consumer.wallet_enabled:
            raise ValidationFailed(_("The consumer has no wallet."))
        ledger.post(
            key=TX_REDIRECT.format(pk=claim.pk),
            entries=[
                (ledger.platform_account(AccountKind.PAYOUTS_IN_TRANSIT), payout.amount),
                (ledger.consumer_wallet(claim.consumer), -payout.amount),
            ],
            memo=f"blocked refund of claim #{claim.pk} paid to wallet",
            claim=claim,
            actor=actor,
        )
        payout.destination = PayoutDestination.WALLET
        payout.save(update_fields=["destination"])
        audit(actor=actor, action="claims.payout_redirect", obj=payout, before={"status": "blocked"})
        payout_transition(payout=payout, to=PayoutStatus.SETTLED, step="credited_wallet", actor=actor)
        _mark_paid(claim, actor=actor)
        return payout
