"""DRF serializers of the 权益中心 / 信任购 endpoints (API.md merchant and streamer sections)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shop.constants import ProductSource, ServiceCode
from shop.models import LiveSession, Product

from .rules import SHOP_SERVICES
from .selectors import explain_product, trust_excluded, trust_surfaces

MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0")}
SHOP_SERVICE_CHOICES = [(c, label) for c, label in ServiceCode.choices if c in SHOP_SERVICES]


class ServiceOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    enabled = serializers.BooleanField()
    mandatory = serializers.BooleanField()
    changed_by = serializers.CharField(allow_null=True)
    changed_at = serializers.DateTimeField(allow_null=True)


class ServiceToggleIn(serializers.Serializer):
    enabled = serializers.BooleanField()


class ServiceToggleOut(ServiceOut):
    labels_current = serializers.BooleanField(
        help_text="True when product labels already reflect the change; False when a task recomputes them "
        "right after commit (large shops)."
    )


class ServiceImpactOut(serializers.Serializer):
    code = serializers.CharField()
    enabled = serializers.BooleanField()
    gain = serializers.IntegerField()
    lose = serializers.IntegerField()
    gain_products = serializers.ListField(child=serializers.CharField())
    lose_products = serializers.ListField(child=serializers.CharField())


class SurfacesOut(serializers.Serializer):
    dedicated = serializers.ListField(child=serializers.CharField())
    ordinary = serializers.ListField(child=serializers.CharField())


class MissingOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    cause = serializers.ChoiceField(choices=["shop_off", "opted_out"])


class ExplanationOut(serializers.Serializer):
    rule = serializers.CharField(allow_null=True)
    excluded = serializers.CharField(allow_null=True)
    missing = MissingOut(many=True)
    fix = serializers.CharField(allow_null=True)


class ProductOut(serializers.ModelSerializer):
    category = serializers.CharField(source="category.code")
    opt_outs = serializers.SerializerMethodField()
    trust_excluded = serializers.SerializerMethodField()
    surfaces = serializers.SerializerMethodField()
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = [
            "code",
            "title",
            "category",
            "price",
            "source",
            "flash_sale",
            "opt_outs",
            "trust_label",
            "trust_missing",
            "trust_excluded",
            "surfaces",
            "explanation",
            "on_sale",
            "blocked_reasons",
            "updated_at",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_opt_outs(self, obj: Product) -> list[str]:
        return sorted(o.code for o in obj.opt_outs.all())

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_trust_excluded(self, obj: Product) -> str | None:
        return trust_excluded(obj)

    @extend_schema_field(SurfacesOut)
    def get_surfaces(self, obj: Product) -> dict[str, list[str]]:
        return trust_surfaces(obj)

    @extend_schema_field(ExplanationOut)
    def get_explanation(self, obj: Product) -> dict[str, Any]:
        enabled = self.context.get("enabled")
        e = explain_product(obj, enabled=enabled)
        return {"rule": e.rule, "excluded": e.excluded, "missing": e.missing, "fix": e.fix}


class _ProductFields(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    category = serializers.CharField(max_length=64)
    price = serializers.DecimalField(**MONEY)
    flash_sale = serializers.BooleanField(default=False)
    qualifications = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)
    opt_outs = serializers.ListField(child=serializers.ChoiceField(choices=SHOP_SERVICE_CHOICES), default=list)


class ProductCreateIn(_ProductFields):
    code = serializers.CharField(max_length=64)
    source = serializers.ChoiceField(choices=ProductSource.choices, default=ProductSource.OWN)


class ProductPatchIn(_ProductFields):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("partial", True)
        super().__init__(*args, **kwargs)


class BulkOptOutIn(serializers.Serializer):
    products = serializers.ListField(child=serializers.CharField(max_length=64), min_length=1, max_length=1000)
    service = serializers.ChoiceField(choices=SHOP_SERVICE_CHOICES)
    opted_out = serializers.BooleanField()


class BulkOptOutOut(serializers.Serializer):
    changed = serializers.IntegerField()


class TrustBadgeOut(serializers.Serializer):
    shown = serializers.BooleanField()
    trust_order_ratio_14d = serializers.DecimalField(max_digits=7, decimal_places=4, allow_null=True)
    labelled_product_ratio = serializers.DecimalField(max_digits=7, decimal_places=4, allow_null=True)
    computed_at = serializers.DateTimeField(allow_null=True)
    orders_14d = serializers.IntegerField()
    trust_orders_14d = serializers.IntegerField()
    products_sold = serializers.IntegerField()
    labelled_products_sold = serializers.IntegerField()
    threshold_pct = serializers.IntegerField()
    fixes = serializers.ListField(child=serializers.CharField())


class ReturnAddressIn(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    phone = serializers.CharField(max_length=40)
    address = serializers.CharField(max_length=500)


class ReturnAddressOut(serializers.Serializer):
    region = serializers.CharField()
    name = serializers.CharField()
    phone = serializers.CharField()
    address = serializers.CharField()


class LiveSessionPatchIn(serializers.Serializer):
    trust_only = serializers.BooleanField()


class LiveSessionOut(serializers.ModelSerializer):
    started = serializers.BooleanField(source="is_started", read_only=True)

    class Meta:
        model = LiveSession
        fields = ["code", "started_at", "ended_at", "started", "trust_only"]


class LiveSessionPatchOut(LiveSessionOut):
    guide_prompt = serializers.CharField(allow_null=True)
    removed_from_cart = serializers.ListField(child=serializers.CharField())

    class Meta(LiveSessionOut.Meta):
        fields = [*LiveSessionOut.Meta.fields, "guide_prompt", "removed_from_cart"]


class CartAddIn(serializers.Serializer):
    product = serializers.CharField(max_length=64)


class CartItemOut(serializers.Serializer):
    product = serializers.CharField()
    title = serializers.CharField()
    trust_label = serializers.BooleanField()
    flash_sale = serializers.BooleanField()
    added_at = serializers.DateTimeField()


class PublicProductOut(serializers.Serializer):
    """TP-4 / TP-7: what a buyer-facing surface shows for a product."""

    code = serializers.CharField()
    title = serializers.CharField()
    price = serializers.DecimalField(max_digits=14, decimal_places=2)
    trust_label = serializers.BooleanField()
    surfaces = serializers.ListField(child=serializers.CharField())
    shop_trust_badge = serializers.BooleanField()
