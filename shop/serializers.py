from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from .constants import SHIZAIBAO_SURFACES, TRUST_SURFACES_DEDICATED, TRUST_SURFACES_ORDINARY, OrderEventType
from .models import Notification, Order, Upload


class TokenIn(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})


class TokenOut(serializers.Serializer):
    token = serializers.CharField()


class SyncOut(serializers.Serializer):
    applied = serializers.DictField(child=serializers.IntegerField())
    changed = serializers.DictField(child=serializers.IntegerField())


class OrderEventIn(serializers.Serializer):
    type = serializers.ChoiceField(choices=OrderEventType.choices)
    at = serializers.DateTimeField()


class MarksOut(serializers.Serializer):
    trust = serializers.ListField(child=serializers.CharField())
    shizaibao = serializers.ListField(child=serializers.CharField())


def order_marks(order: Order) -> dict[str, list[str]]:
    """TP-4 / SZB-4 surfaces; a risk consumer sees none (TP-7, SZB-15)."""
    if order.consumer.risk:
        return {"trust": [], "shizaibao": []}
    trust: list[str] = []
    if order.trust_label:
        dedicated = order.live_session is not None and order.live_session.trust_only
        trust = list(TRUST_SURFACES_DEDICATED if dedicated else TRUST_SURFACES_ORDINARY)
    return {"trust": trust, "shizaibao": list(SHIZAIBAO_SURFACES) if order.shizaibao_covered else []}


@extend_schema_serializer(component_name="Order")
class OrderOut(serializers.ModelSerializer):
    shizaibao_covered = serializers.SerializerMethodField()
    trust_label = serializers.SerializerMethodField()
    marks = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = [
            "code",
            "paid_amount",
            "postage",
            "region",
            "placed_at",
            "shipped_at",
            "delivered_at",
            "completed_at",
            "refunded_at",
            "shizaibao_covered",
            "trust_label",
            "marks",
        ]

    def get_shizaibao_covered(self, obj: Order) -> bool:
        return bool(obj.shizaibao_covered and not obj.consumer.risk)

    def get_trust_label(self, obj: Order) -> bool:
        return bool(obj.trust_label and not obj.consumer.risk)

    @extend_schema_field(MarksOut)
    def get_marks(self, obj: Order) -> dict[str, Any]:
        return order_marks(obj)


class UploadIn(serializers.Serializer):
    file = serializers.FileField(help_text=_("JPEG, PNG or WebP image"))


class UploadOut(serializers.ModelSerializer):
    class Meta:
        model = Upload
        fields = ["id", "content_type", "width", "height", "size"]


class NotificationOut(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "at", "kind", "text", "read", "link"]
