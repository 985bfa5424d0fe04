"""Funding a streamer's or shop's accounts (API.md /platform/{streamers,shops}/{code}/funds):
idempotent on the caller's key; the same key with another body → idempotency_conflict."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from shop.models import Shop, Streamer

from .. import ledger
from ..models import AccountKind
from .errors import ValidationFailed


@transaction.atomic
def account_fund(*, party: Streamer | Shop, account: str, amount: Any, key: str, actor: Any) -> tuple[bool, Decimal]:
    """Credit ``amount`` to the party's ``account``. Returns (created, balance after)."""
    try:
        value = ledger.money(amount)
    except (ArithmeticError, ValueError, TypeError):
        raise ValidationFailed(errors={"amount": [_("A valid amount is required.")]}) from None
    if value <= 0:
        raise ValidationFailed(errors={"amount": [_("The amount must be positive.")]})
    if isinstance(party, Streamer):
        if account not in ("cash", "deposit"):
            raise ValidationFailed(errors={"account": [_("cash or deposit.")]})
        target = ledger.streamer_account(party, account)
    else:
        if account != "deposit":
            raise ValidationFailed(errors={"account": [_("A shop has a deposit account only.")]})
        target = ledger.shop_account(party, "deposit")
    ledger.lock([target])
    txn = ledger.post(
        key=f"fund:{key}",
        entries=[(ledger.platform_account(AccountKind.PLATFORM_CLEARING), value), (target, -value)],
        memo=f"funding of {target.code}",
        actor=actor,
    )
    return bool(txn.created), ledger.balance(target)
