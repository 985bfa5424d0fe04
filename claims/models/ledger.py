"""Double-entry ledger (BX-1, SZB-13): accounts, balanced transactions of append-only
entries, holds (BX-2) and payouts (SZB-13, BX-6).

Sign convention: an entry's ``amount`` is positive for a debit and negative for a credit; the
entries of one transaction sum to zero. An account's balance as people read it is the sum of
its entries times its ``sign`` (+1 for debit-normal assets/receivables, -1 for credit-normal
money the platform holds for someone). Balances are always derived from entries.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.models import MONEY, Consumer, Shop, Streamer

from .claim import Claim

__all__ = [
    "Account",
    "AccountKind",
    "Hold",
    "HoldStatus",
    "LedgerEntry",
    "LedgerTransaction",
    "Payout",
    "PayoutDestination",
    "PayoutEvent",
    "PayoutStatus",
]


class AccountKind(models.TextChoices):
    STREAMER_CASH = "streamer_cash", _("Streamer cash")
    STREAMER_DEPOSIT = "streamer_deposit", _("Streamer deposit (保证金)")
    STREAMER_ARREARS = "streamer_arrears", _("Streamer arrears (owed to the platform)")
    SHOP_DEPOSIT = "shop_deposit", _("Shop deposit (保证金)")
    SHOP_ARREARS = "shop_arrears", _("Shop arrears (owed to the platform)")
    PLATFORM_ADVANCE = "platform_advance", _("Platform advance / borne compensation")
    PLATFORM_CLEARING = "platform_clearing", _("Platform funding / clearing")
    CONSUMER_WALLET = "consumer_wallet", _("Consumer wallet (快手钱包)")
    PAYOUTS_IN_TRANSIT = "payouts_in_transit", _("Payouts in transit (original payment path)")


# +1 debit-normal (what the platform has or is owed), -1 credit-normal (what it holds for others).
ACCOUNT_SIGN = {
    AccountKind.STREAMER_CASH: -1,
    AccountKind.STREAMER_DEPOSIT: -1,
    AccountKind.STREAMER_ARREARS: 1,
    AccountKind.SHOP_DEPOSIT: -1,
    AccountKind.SHOP_ARREARS: 1,
    AccountKind.PLATFORM_ADVANCE: 1,
    AccountKind.PLATFORM_CLEARING: 1,
    AccountKind.CONSUMER_WALLET: -1,
    AccountKind.PAYOUTS_IN_TRANSIT: -1,
}


class Account(models.Model):
    code = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=24, choices=AccountKind.choices, db_index=True)
    streamer = models.ForeignKey(Streamer, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    shop = models.ForeignKey(Shop, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    consumer = models.ForeignKey(Consumer, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")

    def __str__(self) -> str:
        return self.code

    @property
    def sign(self) -> int:
        return ACCOUNT_SIGN[self.kind]


class LedgerTransaction(models.Model):
    """One balanced movement. ``key`` is the business operation's idempotency key."""

    key = models.CharField(max_length=200, unique=True)
    fingerprint = models.CharField(max_length=64)
    memo = models.CharField(max_length=300, blank=True)
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="transactions")
    reverses = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversals")
    actor_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ledger transaction")
        verbose_name_plural = _("ledger transactions")

    def __str__(self) -> str:
        return self.key


class LedgerEntry(models.Model):
    """Append-only (a PostgreSQL trigger refuses UPDATE and DELETE; corrections are reversals)."""

    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    amount = models.DecimalField(**MONEY)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [models.Index(fields=["account", "id"])]
        constraints = [models.CheckConstraint(name="ledger_entry_non_zero", condition=~Q(amount=0))]


class HoldStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RELEASED = "released", _("Released")
    SETTLED = "settled", _("Settled")
    REVERSED = "reversed", _("Reversed")


class Hold(models.Model):
    """BX-2: a reservation on a payer's funds (may exceed the balance; it is not money)."""

    key = models.CharField(max_length=200)  # unique: hold_key_unique (no LIKE index: keys are looked up whole)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="holds", db_index=False)
    amount = models.DecimalField(**MONEY)
    status = models.CharField(max_length=10, choices=HoldStatus.choices, default=HoldStatus.ACTIVE)
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="holds")
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        constraints = [
            models.UniqueConstraint(fields=["key"], name="hold_key_unique"),
            models.CheckConstraint(name="hold_amount_non_negative", condition=Q(amount__gte=0)),
        ]
        indexes = [models.Index(fields=["account", "status"])]  # held(account): the active holds


class PayoutStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    IN_TRANSIT = "in_transit", _("In transit (original payment path)")
    SETTLED = "settled", _("Settled")
    BLOCKED = "blocked", _("Blocked — needs attention")


class PayoutDestination(models.TextChoices):
    WALLET = "wallet", _("Consumer wallet")
    ORIGINAL_PATH = "original_path", _("Original payment path")


class Payout(models.Model):
    """SZB-13: one per upheld claim; its ledger keys derive from the claim, never the attempt."""

    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="payout")
    amount = models.DecimalField(**MONEY)
    destination = models.CharField(max_length=16, choices=PayoutDestination.choices)
    status = models.CharField(max_length=12, choices=PayoutStatus.choices, default=PayoutStatus.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    executed_at = models.DateTimeField(null=True, blank=True)
    settle_after = models.DateTimeField(null=True, blank=True, db_index=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # Where the money came from (SZB-13 waterfall), fixed at execution; read by reversals.
    from_cash = models.DecimalField(default=0, **MONEY)
    from_deposit = models.DecimalField(default=0, **MONEY)
    from_advance = models.DecimalField(default=0, **MONEY)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        indexes = [models.Index(fields=["status", "settle_after"])]

    def __str__(self) -> str:
        return f"payout of claim #{self.claim_id}"


class PayoutEvent(models.Model):
    """Each payout step (the consumer sees them on the claim, SZB-13)."""

    payout = models.ForeignKey(Payout, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    step = models.CharField(max_length=32)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    amount = models.DecimalField(null=True, blank=True, **MONEY)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("payout event")
        verbose_name_plural = _("payout events")
