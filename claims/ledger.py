"""The ledger's tiny API (CONVENTIONS: Money; BX-1, BX-2, SZB-13).

- ``post(key=, entries=, memo=)``: one balanced transaction, idempotent on ``key`` (same key
  and same entries → the existing transaction; other entries → ``IdempotencyConflict``).
- ``hold`` / ``release`` / ``settle`` / ``reverse_hold``: reservations on an account (BX-2).
- ``balance(account)``, ``held(account)``, ``available(account)``: derived from entries/holds.
- accounts: ``streamer_account``, ``shop_account``, ``consumer_wallet``, ``platform_account``.

Entries are never updated or deleted (a PostgreSQL trigger refuses it); a correction is a new
transaction (``reverse``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from shop.errors import IdempotencyConflict, ValidationFailed
from shop.models import Consumer, Shop, Streamer

from .models import (
    Account,
    AccountKind,
    Hold,
    HoldStatus,
    LedgerEntry,
    LedgerTransaction,
)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Any) -> Decimal:
    out = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    return out if out != 0 else ZERO  # never "-0.00"


# ---------------------------------------------------------------- accounts


def _account(code: str, kind: str, **owner: Any) -> Account:
    acc = Account.objects.filter(code=code).first()
    if acc is not None:
        return acc
    try:
        with transaction.atomic():
            return Account.objects.create(code=code, kind=kind, **owner)
    except IntegrityError:
        return Account.objects.get(code=code)


STREAMER_KINDS = {
    "cash": AccountKind.STREAMER_CASH,
    "deposit": AccountKind.STREAMER_DEPOSIT,
    "arrears": AccountKind.STREAMER_ARREARS,
}
SHOP_KINDS = {"deposit": AccountKind.SHOP_DEPOSIT, "arrears": AccountKind.SHOP_ARREARS}


def streamer_account(streamer: Streamer, which: str) -> Account:
    return _account(f"streamer:{streamer.code}:{which}", STREAMER_KINDS[which], streamer=streamer)


def shop_account(shop: Shop, which: str) -> Account:
    return _account(f"shop:{shop.code}:{which}", SHOP_KINDS[which], shop=shop)


def consumer_wallet(consumer: Consumer) -> Account:
    return _account(f"consumer:{consumer.code}:wallet", AccountKind.CONSUMER_WALLET, consumer=consumer)


def platform_account(kind: str) -> Account:
    assert kind in (AccountKind.PLATFORM_ADVANCE, AccountKind.PLATFORM_CLEARING, AccountKind.PAYOUTS_IN_TRANSIT)
    return _account(f"platform:{kind}", kind)


def lock(accounts: Iterable[Account]) -> None:
    """Lock account rows in a stable order (movements that read balances serialize here)."""
    ids = sorted({a.pk for a in accounts})
    list(Account.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


# ---------------------------------------------------------------- balances


def _raw(account: Account) -> Decimal:
    return LedgerEntry.objects.filter(account=account).aggregate(s=Sum("amount"))["s"] or ZERO


def balance(account: Account) -> Decimal:
    """The balance as its owner reads it (credit-normal accounts shown positive)."""
    return money(_raw(account) * account.sign)


def held(account: Account) -> Decimal:
    return money(Hold.objects.filter(account=account, status=HoldStatus.ACTIVE).aggregate(s=Sum("amount"))["s"] or ZERO)


def available(account: Account) -> Decimal:
    return money(balance(account) - held(account))


# ---------------------------------------------------------------- transactions


def _fingerprint(lines: list[tuple[str, Decimal]]) -> str:
    text = "|".join(f"{code}={amt}" for code, amt in sorted(lines))
    return hashlib.sha256(text.encode()).hexdigest()


def post(
    *,
    key: str,
    entries: list[tuple[Account, Any]],
    memo: str = "",
    claim: Any = None,
    reverses: LedgerTransaction | None = None,
    actor: Any = None,
) -> LedgerTransaction:
    """Write one balanced transaction (debits positive, credits negative).

    Idempotent on ``key``: the same key with the same entries returns the first transaction,
    with other entries raises ``IdempotencyConflict``. Zero lines are dropped.
    """
    lines: dict[int, tuple[Account, Decimal]] = {}
    for account, amount in entries:
        amt = money(amount)
        prev = lines.get(account.pk)
        lines[account.pk] = (account, (prev[1] if prev else ZERO) + amt)
    clean = [(acc, amt) for acc, amt in lines.values() if amt != ZERO]
    if sum((amt for _a, amt in clean), ZERO) != ZERO:
        raise ValidationFailed("ledger transaction is not balanced")
    fingerprint = _fingerprint([(acc.code, amt) for acc, amt in clean])
    existing = LedgerTransaction.objects.filter(key=key).first()
    if existing is not None:
        if existing.fingerprint != fingerprint:
            raise IdempotencyConflict()
        existing.created = False
        return existing
    if not clean:
        raise ValidationFailed("empty ledger transaction")
    try:
        with transaction.atomic():
            txn = LedgerTransaction.objects.create(
                key=key,
                fingerprint=fingerprint,
                memo=memo[:300],
                claim=claim,
                reverses=reverses,
                actor_id=getattr(actor, "pk", None),
            )
            now = timezone.now()
            LedgerEntry.objects.bulk_create(
                [LedgerEntry(transaction=txn, account=acc, amount=amt, created_at=now) for acc, amt in clean]
            )
    except IntegrityError:
        existing = LedgerTransaction.objects.get(key=key)
        if existing.fingerprint != fingerprint:
            raise IdempotencyConflict() from None
        existing.created = False
        return existing
    txn.created = True
    return txn


def reverse(*, key: str, original: LedgerTransaction, memo: str = "", actor: Any = None) -> LedgerTransaction:
    """A correction: the same lines with opposite signs (entries themselves never change)."""
    lines = [(e.account, -e.amount) for e in original.entries.select_related("account")]
    return post(key=key, entries=lines, memo=memo or f"reversal of {original.key}", reverses=original, actor=actor)


# ---------------------------------------------------------------- holds (BX-2)


def hold(*, key: str, account: Account, amount: Any, claim: Any = None) -> Hold:
    """Reserve ``amount`` on ``account`` (idempotent on key; may exceed the balance)."""
    existing = Hold.objects.filter(key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Hold.objects.create(key=key, account=account, amount=money(amount), claim=claim)
    except IntegrityError:
        return Hold.objects.get(key=key)


def new_hold(*, key: str, account: Account, amount: Any, claim: Any = None) -> Hold:
    """An unsaved ``Hold`` for a key that names something created in this same transaction (a
    claim just filed): no hold can have it yet, so the caller inserts it without looking first
    (``shop.fastdb``); the unique key still refuses a second one."""
    return Hold(key=key, account=account, amount=money(amount), claim=claim)


def _resolve(key: str, to: str, allowed_from: tuple[str, ...]) -> Hold | None:
    h = Hold.objects.select_for_update().filter(key=key).first()
    if h is None or h.status == to:
        return h
    if h.status not in allowed_from:
        return h
    h.status = to
    h.resolved_at = timezone.now()
    h.save(update_fields=["status", "resolved_at"])
    return h


def release(*, key: str) -> Hold | None:
    """Rejection / closure: the reservation ends, nothing moved."""
    return _resolve(key, HoldStatus.RELEASED, (HoldStatus.ACTIVE,))


def settle(*, key: str) -> Hold | None:
    """The reserved money moved (payout executed)."""
    return _resolve(key, HoldStatus.SETTLED, (HoldStatus.ACTIVE,))


def reverse_hold(*, key: str) -> Hold | None:
    """An upheld appeal reversed the settled movement (or cancels a still-active hold)."""
    return _resolve(key, HoldStatus.REVERSED, (HoldStatus.ACTIVE, HoldStatus.SETTLED))


def held_total(accounts: Iterable[Account]) -> Decimal:
    ids = [a.pk for a in accounts]
    return money(
        Hold.objects.filter(account_id__in=ids, status=HoldStatus.ACTIVE).aggregate(s=Sum("amount"))["s"] or ZERO
    )


def trial_balance() -> Decimal:
    """Sum of every entry; always zero when the books balance."""
    return LedgerEntry.objects.aggregate(s=Sum("amount"))["s"] or ZERO
