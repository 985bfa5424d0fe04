"""退货补运费 (API.md, §7): the consumer claims the return postage with the return waybill
``{tracking_no, sender_name, sender_phone, receiver_address, fee}``; amount = min(fee,
``rf.freight_cap`` default 25.00); only when the shop provides 退货补运费 for the product; the
merchant answers first; the platform pays. The waybill is kept with its RF-1 fake-info checks
(``claims.abuse_signals``); a frozen / revoked benefit is refused before anything else (RF-3,
registered as an engine eligibility check)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from claims import abuse_rules  # noqa: F401  (registers the rf.* settings)
from claims.abuse_coverage import product_provides, return_address_for
from claims.engine.errors import NotCovered, ValidationFailed
from claims.fingerprints import fingerprint_after_commit
from shop.rules import setting

from . import register
from .base import ClaimPolicy
from .local_return import OPEN_END

CENT = Decimal("0.01")


class ReturnWaybillIn(serializers.Serializer):
    tracking_no = serializers.CharField(max_length=64)
    sender_name = serializers.CharField(max_length=100)
    sender_phone = serializers.CharField(max_length=40)
    receiver_address = serializers.CharField(max_length=500)
    fee = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("0.00"))


class ReturnFreightPolicy(ClaimPolicy):
    kind = "return_freight"
    first_responder = "merchant"
    payer = "platform"

    def check_eligible(self, *, order: Any, consumer: Any) -> None:
        if not product_provides(order.product, "return_freight"):
            raise NotCovered(_("This product is not covered by 退货补运费."))

    def window_end(self, *, order: Any) -> dt.datetime | None:
        if order.shipped_at is None:
            return None
        if order.delivered_at is None:
            return OPEN_END
        return order.delivered_at + dt.timedelta(days=int(setting("rf.claim_days")))

    def validate_extra(self, *, data: dict[str, Any]) -> dict[str, Any]:
        raw = data.get("return_waybill")
        if not isinstance(raw, dict):
            raise ValidationFailed(errors={"return_waybill": [_("The return waybill is required.")]})
        ser = ReturnWaybillIn(data=raw)
        if not ser.is_valid():
            raise ValidationFailed(errors={f"return_waybill.{k}": [str(m) for m in v] for k, v in ser.errors.items()})
        wb = dict(ser.validated_data)
        wb = {k: (v.strip() if isinstance(v, str) else v) for k, v in wb.items()}
        wb["fee"] = str(wb["fee"].quantize(CENT, rounding=ROUND_HALF_UP))
        return {"return_waybill": wb}

    def cap(self, *, order: Any, extra: dict) -> Decimal:
        fee = Decimal(extra["return_waybill"]["fee"])
        return min(fee, Decimal(setting("rf.freight_cap"))).quantize(CENT, rounding=ROUND_HALF_UP)

    def return_address(self, *, order: Any) -> dict[str, Any] | None:
        return return_address_for(order.shop, order.region)

    def on_filed(self, *, claim: Any) -> None:
        from claims.abuse_signals import record_waybill

        record_waybill(claim=claim)
        fingerprint_after_commit(claim)


register(ReturnFreightPolicy())
