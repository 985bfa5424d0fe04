"""Abuse control for 退货补运费 (SPEC §7, RF-1…RF-4) and evidence fingerprints (BX-5).

- ConsumerIdentity: buyer identifiers pushed by the platform (sync section
  ``consumer_identities``): device, address, phone, payment account, name. Shared device /
  address / phone / payment values link accounts into groups (RF-1 collusion).
- ReturnFreightWaybill: the return waybill of each 退货补运费 claim with its RF-1 fake-info
  checks, kept in its own table so scoring is plain set-based SQL.
- ConsumerRisk / LinkedGroup: the RF-2 scores written by the beat job, with the signal counts
  behind them; the evidence trail is derived from the same rows (claims.abuse_scoring).
- ReturnFreightStanding (+ events): RF-3 measures (freeze / revoke / legal referral).
- AbuseReport (+ events) and ShopBuyerBlock: RF-4 merchant reports and the per-shop block.
- EvidenceFingerprint / FingerprintMatch: BX-5 perceptual hashes of claim evidence and reuse.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.models import Consumer, Order, Shop, Upload

from .claim import Claim

__all__ = [
    "LINKABLE_IDENTITY_KINDS",
    "AbuseReport",
    "AbuseReportEvent",
    "AbuseReportStatus",
    "ClaimWithReusedEvidence",
    "ConsumerIdentity",
    "ConsumerRisk",
    "EvidenceFingerprint",
    "FingerprintMatch",
    "IdentityKind",
    "LinkedGroup",
    "RFStatus",
    "ReturnFreightStanding",
    "ReturnFreightStandingEvent",
    "ReturnFreightWaybill",
    "ShopBuyerBlock",
]

MONEY = {"max_digits": 14, "decimal_places": 2}


class IdentityKind(models.TextChoices):
    DEVICE = "device", _("Device")
    ADDRESS = "address", _("Shipping address")
    PHONE = "phone", _("Phone")
    PAYMENT = "payment", _("Payment account")
    NAME = "name", _("Name")


# RF-1: accounts sharing one of these are linked (a shared name alone links nobody).
LINKABLE_IDENTITY_KINDS = (IdentityKind.DEVICE, IdentityKind.ADDRESS, IdentityKind.PHONE, IdentityKind.PAYMENT)


class ConsumerIdentity(models.Model):
    consumer = models.ForeignKey(Consumer, on_delete=models.CASCADE, related_name="identities")
    kind = models.CharField(_("kind"), max_length=16, choices=IdentityKind.choices)
    value = models.CharField(_("normalised value"), max_length=255)
    # Working column of group detection (label propagation); the group key once converged.
    label = models.BigIntegerField(default=0)
    first_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("consumer identifier")
        verbose_name_plural = _("consumer identifiers")
        constraints = [models.UniqueConstraint(fields=["consumer", "kind", "value"], name="consumer_identity_unique")]
        indexes = [models.Index(fields=["kind", "value"], name="consumer_identity_kv")]

    def __str__(self) -> str:
        return f"{self.consumer_id} {self.kind}={self.value}"


class ReturnFreightWaybill(models.Model):
    """The return waybill of a 退货补运费 claim and its RF-1 fake-info checks at filing."""

    claim = models.OneToOneField("claims.Claim", on_delete=models.CASCADE, related_name="rf_waybill")
    consumer = models.ForeignKey(Consumer, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="+")
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    filed_at = models.DateTimeField(default=timezone.now)
    tracking_no = models.CharField(_("tracking number"), max_length=64)
    sender_name = models.CharField(_("sender name"), max_length=100)
    sender_phone = models.CharField(_("sender phone"), max_length=40)
    receiver_address = models.CharField(_("receiver address"), max_length=500)
    fee = models.DecimalField(_("fee"), **MONEY)
    sender_mismatch = models.BooleanField(_("sender differs from the buyer"), default=False)
    receiver_mismatch = models.BooleanField(_("receiver differs from the shop's return address"), default=False)

    class Meta:
        verbose_name = _("return-freight waybill")
        verbose_name_plural = _("return-freight waybills")
        indexes = [
            models.Index(fields=["consumer", "filed_at"], name="rf_waybill_consumer"),
            models.Index(fields=["tracking_no"], name="rf_waybill_tracking"),
        ]
        constraints = [models.CheckConstraint(name="rf_waybill_fee_non_negative", condition=Q(fee__gte=Decimal(0)))]

    def __str__(self) -> str:
        return self.tracking_no


class _SignalCounts(models.Model):
    """Signal counts behind an RF-2 score (over the scoring window)."""

    rf_claims = models.PositiveIntegerField(_("return-freight claims"), default=0)
    orders = models.PositiveIntegerField(_("orders"), default=0)
    fake_sender = models.PositiveIntegerField(_("fake sender"), default=0)
    fake_receiver = models.PositiveIntegerField(_("fake receiver"), default=0)
    dup_waybill = models.PositiveIntegerField(_("reused tracking numbers"), default=0)
    fingerprint = models.PositiveIntegerField(_("reused evidence images"), default=0)
    score = models.PositiveSmallIntegerField(_("score"), default=0, db_index=True)
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)

    class Meta:
        abstract = True


class ConsumerRisk(_SignalCounts):
    consumer = models.OneToOneField(Consumer, on_delete=models.CASCADE, primary_key=True, related_name="rf_risk")
    group_key = models.BigIntegerField(_("linked group"), null=True, blank=True, db_index=True)
    group_size = models.PositiveIntegerField(_("group size"), default=0)

    class Meta:
        ordering = ["-score", "consumer_id"]
        verbose_name = _("consumer abuse score")
        verbose_name_plural = _("consumer abuse scores")

    def __str__(self) -> str:
        return f"{self.consumer_id}: {self.score}"


class LinkedGroup(_SignalCounts):
    """Accounts linked by a shared device, address, phone or payment account (RF-1)."""

    key = models.BigIntegerField(_("key (lowest member id)"), unique=True)
    size = models.PositiveIntegerField(_("members"), default=0)

    class Meta:
        ordering = ["-score", "key"]
        verbose_name = _("linked account group")
        verbose_name_plural = _("linked account groups")

    def __str__(self) -> str:
        return f"G{self.key} ({self.size})"


class RFStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    FROZEN = "frozen", _("Frozen pending credit review")
    REVOKED = "revoked", _("Revoked permanently")


class ReturnFreightStanding(models.Model):
    """RF-3: a consumer's 退货补运费 benefit (no row = active)."""

    consumer = models.OneToOneField(Consumer, on_delete=models.CASCADE, related_name="rf_standing")
    status = models.CharField(_("status"), max_length=8, choices=RFStatus.choices, default=RFStatus.ACTIVE)
    legal_referral = models.BooleanField(_("marked for legal referral"), default=False)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("return-freight standing")
        verbose_name_plural = _("return-freight standings")

    def __str__(self) -> str:
        return f"{self.consumer_id}: {self.status}"


class ReturnFreightStandingEvent(models.Model):
    standing = models.ForeignKey(ReturnFreightStanding, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16)
    from_status = models.CharField(max_length=8)
    to_status = models.CharField(max_length=8)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("return-freight standing event")
        verbose_name_plural = _("return-freight standing events")


class AbuseReportStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    UPHELD = "upheld", _("Upheld")
    REJECTED = "rejected", _("Rejected")


class AbuseReport(models.Model):
    """RF-4: a merchant reports a buyer suspected of 退货补运费 abuse."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="abuse_reports")
    consumer = models.ForeignKey(Consumer, on_delete=models.CASCADE, related_name="abuse_reports")
    reason = models.TextField(_("reason"))
    evidence = models.ManyToManyField(Upload, related_name="+", verbose_name=_("evidence"))
    status = models.CharField(
        _("status"), max_length=8, choices=AbuseReportStatus.choices, default=AbuseReportStatus.PENDING
    )
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("abuse report")
        verbose_name_plural = _("abuse reports")
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "consumer"],
                condition=Q(status="pending"),
                name="abuse_report_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.consumer_id}@{self.shop_id}"


class AbuseReportEvent(models.Model):
    report = models.ForeignKey(AbuseReport, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=8, blank=True)
    to_status = models.CharField(max_length=8)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("abuse report event")
        verbose_name_plural = _("abuse report events")


class ShopBuyerBlock(models.Model):
    """RF-4: the buyer may no longer order at this shop (order intake refuses: buyer_blocked)."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="buyer_blocks")
    consumer = models.ForeignKey(Consumer, on_delete=models.CASCADE, related_name="shop_blocks")
    report = models.ForeignKey(AbuseReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("blocked buyer")
        verbose_name_plural = _("blocked buyers")
        constraints = [models.UniqueConstraint(fields=["shop", "consumer"], name="shop_buyer_block_unique")]

    def __str__(self) -> str:
        return f"{self.consumer_id}@{self.shop_id}"


class EvidenceFingerprint(models.Model):
    """BX-5: the perceptual hash of one evidence image of one claim.

    ``c0``…``c4`` split the 64-bit hash into five bands (13,13,13,13,12 bits): two hashes
    within Hamming distance 4 share at least one band (pigeonhole), so candidates are found
    through indexes, never by scanning every hash.
    """

    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="fingerprints")
    upload = models.ForeignKey(Upload, on_delete=models.CASCADE, related_name="+")
    consumer = models.ForeignKey(Consumer, on_delete=models.CASCADE, related_name="+")
    phash = models.CharField(max_length=16)
    c0 = models.IntegerField(db_index=True)
    c1 = models.IntegerField(db_index=True)
    c2 = models.IntegerField(db_index=True)
    c3 = models.IntegerField(db_index=True)
    c4 = models.IntegerField(db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evidence fingerprint")
        verbose_name_plural = _("evidence fingerprints")
        constraints = [models.UniqueConstraint(fields=["claim", "upload"], name="evidence_fingerprint_unique")]

    def __str__(self) -> str:
        return self.phash


class FingerprintMatch(models.Model):
    """BX-5: ``fingerprint``'s image is (nearly) the same as ``other``'s, on another claim.

    Stored in both directions so 'claims with reused evidence' is one indexed lookup.
    """

    fingerprint = models.ForeignKey(EvidenceFingerprint, on_delete=models.CASCADE, related_name="matches")
    other = models.ForeignKey(EvidenceFingerprint, on_delete=models.CASCADE, related_name="+")
    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="fingerprint_matches")
    other_claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="+")
    distance = models.PositiveSmallIntegerField()
    cross_account = models.BooleanField(_("across accounts"), default=False)
    detected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-detected_at", "-id"]
        verbose_name = _("reused evidence image")
        verbose_name_plural = _("reused evidence images")
        constraints = [models.UniqueConstraint(fields=["fingerprint", "other"], name="fingerprint_match_unique")]


class ClaimWithReusedEvidence(Claim):
    """BX-5: admin view of claims whose evidence images reappear on other claims."""

    class Meta:
        proxy = True
        verbose_name = _("claim with reused evidence")
        verbose_name_plural = _("claims with reused evidence")
