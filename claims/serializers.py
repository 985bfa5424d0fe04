"""DRF serializers of the claim engine's API.md endpoints."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shop.api_common import ShallowFieldsMixin

from .models import Claim, ClaimKind, EvidenceKind
from .selectors import payout_state

MONEY = {"max_digits": 14, "decimal_places": 2}


class EvidenceItemField(serializers.Field):
    """An upload id, or ``{upload, kind}``."""

    default_error_messages = {"invalid": _("An upload id, or an object with upload and kind.")}

    def to_internal_value(self, data: Any) -> tuple[Any, str]:
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, (int, str)):
            return (data, EvidenceKind.OTHER)
        if isinstance(data, dict) and "upload" in data:
            kind = data.get("kind") or EvidenceKind.OTHER
            if kind not in EvidenceKind.values or isinstance(data["upload"], (bool, dict, list)):
                self.fail("invalid")
            return (data["upload"], kind)
        self.fail("invalid")
        return ("", "")

    def to_representation(self, value: Any) -> Any:
        return value


class EvidenceItemSchema(serializers.Serializer):
    upload = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=EvidenceKind.choices, required=False)


class ReturnWaybillIn(serializers.Serializer):
    tracking_no = serializers.CharField()
    sender_name = serializers.CharField()
    sender_phone = serializers.CharField()
    receiver_address = serializers.CharField()
    fee = serializers.DecimalField(**MONEY)


class ClaimIn(ShallowFieldsMixin, serializers.Serializer):
    order = serializers.CharField(max_length=64)
    kind = serializers.ChoiceField(choices=ClaimKind.choices)
    type = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=5000)
    evidence = serializers.ListField(child=EvidenceItemField(), required=False, default=list, max_length=50)


class ClaimInSchema(ClaimIn):
    """The request as documented; kind-specific fields are validated by the kind's policy."""

    return_waybill = ReturnWaybillIn(required=False, help_text="kind return_freight only")


# drf-spectacular: describe the evidence items as objects-or-ids.
extend_schema_field({"oneOf": [{"type": "integer"}, {"$ref": "#/components/schemas/EvidenceItemSchema"}]})(
    EvidenceItemField
)


class ClaimCreatedOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


class TimelineItemOut(serializers.Serializer):
    at = serializers.DateTimeField()
    event = serializers.CharField()
    note = serializers.CharField()


class PayoutStepOut(serializers.Serializer):
    at = serializers.DateTimeField()
    step = serializers.CharField()
    amount = serializers.DecimalField(allow_null=True, **MONEY)


class PayoutOut(serializers.Serializer):
    status = serializers.CharField()
    destination = serializers.CharField(allow_null=True)
    settled_at = serializers.DateTimeField(allow_null=True)
    steps = PayoutStepOut(many=True)


class AppealRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


class DeadlinesOut(serializers.Serializer):
    answer_due_at = serializers.DateTimeField(allow_null=True)
    review_due_at = serializers.DateTimeField(allow_null=True)
    inform_due_at = serializers.DateTimeField(allow_null=True)
    appeal_due_at = serializers.DateTimeField(allow_null=True)


class ClaimOut(serializers.ModelSerializer):
    order = serializers.CharField(source="order.code")
    appeal = serializers.SerializerMethodField()
    payout = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()
    streamer = serializers.SerializerMethodField()
    shop = serializers.CharField(source="shop.code")

    class Meta:
        model = Claim
        fields = [
            "id",
            "order",
            "kind",
            "type",
            "status",
            "decision",
            "reason_code",
            "amount",
            "payer",
            "reason",
            "return_address",
            "shop",
            "streamer",
            "filed_at",
            "decided_at",
            "appeal",
            "payout",
            "timeline",
            "evidence",
            "deadlines",
        ]

    @extend_schema_field(AppealRefOut(allow_null=True))
    def get_appeal(self, obj: Claim) -> dict[str, Any] | None:
        try:
            appeal = obj.appeal
        except Claim.appeal.RelatedObjectDoesNotExist:
            return None
        return {"id": appeal.pk, "status": appeal.status}

    @extend_schema_field(PayoutOut)
    def get_payout(self, obj: Claim) -> dict[str, Any]:
        state = payout_state(obj)
        return PayoutOut(state).data

    @extend_schema_field(TimelineItemOut(many=True))
    def get_timeline(self, obj: Claim) -> list[dict[str, Any]]:
        return TimelineItemOut(
            [{"at": e.at, "event": e.event, "note": e.note} for e in obj.events.all()], many=True
        ).data

    @extend_schema_field(EvidenceItemSchema(many=True))
    def get_evidence(self, obj: Claim) -> list[dict[str, Any]]:
        return [{"upload": e.upload_id, "kind": e.kind} for e in obj.evidence.all()]

    @extend_schema_field(DeadlinesOut)
    def get_deadlines(self, obj: Claim) -> dict[str, Any]:
        return DeadlinesOut(obj).data

    def get_streamer(self, obj: Claim) -> str | None:
        return obj.streamer.code if obj.streamer_id else None


class MerchantResponseIn(serializers.Serializer):
    accept = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class EscalateIn(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class DecisionIn(serializers.Serializer):
    upheld = serializers.BooleanField()
    merchant_at_fault = serializers.BooleanField(required=False, default=False)
    reason_code = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class AppealIn(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


class AppealOut(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    claim = serializers.IntegerField(source="claim_id")
    status = serializers.CharField()
    reason = serializers.CharField()
    filed_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    note = serializers.CharField()


class AppealDecisionIn(serializers.Serializer):
    upheld = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class FundIn(serializers.Serializer):
    account = serializers.ChoiceField(choices=["cash", "deposit"])
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    key = serializers.CharField(max_length=150)


class FundOut(serializers.Serializer):
    key = serializers.CharField()
    account = serializers.CharField()
    amount = serializers.DecimalField(**MONEY)
    balance = serializers.DecimalField(**MONEY)


class StreamerAccountOut(serializers.Serializer):
    cash = serializers.DecimalField(**MONEY)
    deposit = serializers.DecimalField(**MONEY)
    held = serializers.DecimalField(**MONEY)
    arrears = serializers.DecimalField(**MONEY)
    available = serializers.DecimalField(**MONEY)


class ShopAccountOut(serializers.Serializer):
    deposit = serializers.DecimalField(**MONEY)
    held = serializers.DecimalField(**MONEY)
    arrears = serializers.DecimalField(**MONEY)
    available = serializers.DecimalField(**MONEY)


class WalletOut(serializers.Serializer):
    enabled = serializers.BooleanField()
    balance = serializers.DecimalField(**MONEY)
