"""The claim engine's tables (issue 4): one Claim model for every kind, its evidence, its
event rows (audit trail + timeline), appeals (SZB-17) and violations (SZB-16).

Rules live in ``claims.engine`` and the policy modules; these are tables and constraints.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.models import MONEY, Consumer, Order, Shop, Streamer, Upload

__all__ = [
    "Appeal",
    "AppealStatus",
    "Claim",
    "ClaimDecision",
    "ClaimEvent",
    "ClaimEventType",
    "ClaimEvidence",
    "ClaimKind",
    "ClaimStatus",
    "EvidenceKind",
    "Payer",
    "Violation",
]


class ClaimKind(models.TextChoices):
    SHIZAIBAO = "shizaibao", _("主播实在宝")
    AUTHENTIC = "authentic", _("正品保障 (假一赔十)")
    DAMAGE = "damage", _("破损包退")
    LOCAL_RETURN = "local_return", _("本地退货")
    RETURN_FREIGHT = "return_freight", _("退货补运费")


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, waiting for the merchant")
    MERCHANT_REFUSED = "merchant_refused", _("Refused by the merchant")
    UNDER_REVIEW = "under_review", _("Under platform review")
    UPHELD = "upheld", _("Upheld")
    REJECTED = "rejected", _("Rejected")
    CLOSED = "closed", _("Closed (merchant at fault)")
    PAID = "paid", _("Paid")
    REVERSED = "reversed", _("Reversed after appeal")


class ClaimEventType(models.TextChoices):
    FILED = "filed", _("Filed")
    MERCHANT_ACCEPTED = "merchant_accepted", _("Merchant accepted")
    MERCHANT_REFUSED = "merchant_refused", _("Merchant refused")
    ESCALATED = "escalated", _("Escalated to platform review")
    UPHELD = "upheld", _("Upheld")
    REJECTED = "rejected", _("Rejected")
    CLOSED = "closed", _("Closed")
    PAID = "paid", _("Paid")
    APPEALED = "appealed", _("Appealed")
    APPEAL_UPHELD = "appeal_upheld", _("Appeal upheld")
    APPEAL_REJECTED = "appeal_rejected", _("Appeal rejected")
    REVERSED = "reversed", _("Reversed")


class ClaimDecision(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    REJECTED = "rejected", _("Rejected")
    MERCHANT_AT_FAULT = "merchant_at_fault", _("Merchant at fault")


class Payer(models.TextChoices):
    STREAMER = "streamer", _("Streamer")
    SHOP = "shop", _("Shop")
    PLATFORM = "platform", _("Platform")


class EvidenceKind(models.TextChoices):
    WAYBILL_PHOTO = "waybill_photo", _("Package photo with waybill")
    DAMAGE_DETAIL = "damage_detail", _("Close-up of the damage")
    COURIER_PROOF = "courier_proof", _("Courier's stamped proof")
    BRAND_APPRAISAL = "brand_appraisal", _("Brand owner's appraisal")
    ENFORCEMENT_FINDING = "enforcement_finding", _("Judicial / enforcement finding")
    OTHER = "other", _("Other")


class Claim(models.Model):
    # Indexes: every one is paid for on each filing, so none duplicates another — the order is
    # covered by claim_one_per_order, consumer/shop/streamer/status by the (…, filed_at) indexes.
    kind = models.CharField(_("kind"), max_length=20, choices=ClaimKind.choices)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="claims", db_index=False)
    consumer = models.ForeignKey(Consumer, on_delete=models.PROTECT, related_name="claims", db_index=False)
    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="claims", db_index=False)
    streamer = models.ForeignKey(
        Streamer, null=True, blank=True, on_delete=models.PROTECT, related_name="claims", db_index=False
    )
    type = models.CharField(_("type"), max_length=32, blank=True)
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=20, choices=ClaimStatus.choices)
    decision = models.CharField(_("decision"), max_length=20, choices=ClaimDecision.choices, null=True, blank=True)
    reason_code = models.CharField(_("refusal ground"), max_length=40, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    merchant_at_fault = models.BooleanField(_("merchant at fault"), default=False)
    amount = models.DecimalField(_("capped amount"), **MONEY)
    payer = models.CharField(_("payer"), max_length=10, choices=Payer.choices)
    return_address = models.JSONField(_("return address"), null=True, blank=True)
    extra = models.JSONField(_("kind-specific data"), default=dict, blank=True)
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Deadlines (SZB-10, BX-3). review_due_at/inform_due_at run from when platform review starts.
    answer_due_at = models.DateTimeField(_("merchant answer due"), null=True, blank=True)
    review_started_at = models.DateTimeField(_("platform review started"), null=True, blank=True)
    review_due_at = models.DateTimeField(_("review due (48 h)"), null=True, blank=True, db_index=True)
    inform_due_at = models.DateTimeField(_("consumer told by (72 h)"), null=True, blank=True)
    appeal_due_at = models.DateTimeField(_("appeal window ends"), null=True, blank=True)
    sla_escalated_at = models.DateTimeField(_("SLA escalated (past 48 h)"), null=True, blank=True)
    sla_flagged_at = models.DateTimeField(_("SLA flagged (past 72 h)"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [
            # SZB-7: one claim per order, ever, whatever its kind (API.md claim_exists).
            models.UniqueConstraint(fields=["order"], name="claim_one_per_order"),
            models.CheckConstraint(name="claim_amount_non_negative", condition=Q(amount__gte=0)),
        ]
        indexes = [
            models.Index(fields=["status", "filed_at"]),
            models.Index(fields=["streamer", "filed_at"]),
            models.Index(fields=["shop", "filed_at"]),
            models.Index(fields=["consumer", "filed_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.order_id}"


class ClaimEvidence(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence", db_index=False)  # unique below
    upload = models.ForeignKey(Upload, on_delete=models.PROTECT, related_name="claim_evidence")
    kind = models.CharField(max_length=24, choices=EvidenceKind.choices, default=EvidenceKind.OTHER)

    class Meta:
        ordering = ["id"]
        verbose_name = _("claim evidence")
        verbose_name_plural = _("claim evidence")
        constraints = [models.UniqueConstraint(fields=["claim", "upload"], name="claim_evidence_unique")]


class ClaimEvent(models.Model):
    """One row per transition (and per appeal step): the audit trail and the timeline."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    event = models.CharField(max_length=20, choices=ClaimEventType.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("claim event")
        verbose_name_plural = _("claim events")


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    UPHELD = "upheld", _("Upheld")
    REJECTED = "rejected", _("Rejected")


class Appeal(models.Model):
    """SZB-17: the streamer's one appeal against an upheld claim."""

    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="appeal")
    streamer = models.ForeignKey(Streamer, on_delete=models.PROTECT, related_name="appeals")
    reason = models.TextField(_("reason"))
    status = models.CharField(max_length=10, choices=AppealStatus.choices, default=AppealStatus.PENDING)
    filed_at = models.DateTimeField(default=timezone.now)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["filed_at", "id"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return f"appeal #{self.pk} on claim #{self.claim_id}"


class Violation(models.Model):
    """SZB-16: a 发布虚假宣传信息 violation recorded on the streamer by an upheld claim."""

    KIND_FALSE_ADVERTISING = "false_advertising"

    streamer = models.ForeignKey(Streamer, on_delete=models.PROTECT, related_name="violations")
    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="violation")
    kind = models.CharField(max_length=32, default=KIND_FALSE_ADVERTISING)
    recorded_at = models.DateTimeField(default=timezone.now, db_index=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        indexes = [models.Index(fields=["streamer", "recorded_at"])]

    def __str__(self) -> str:
        return f"{self.kind} · {self.streamer_id} · claim #{self.claim_id}"
