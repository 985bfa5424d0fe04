"""正品保障 假一赔十 (GP-2): type ``counterfeit`` (refund reason 假冒品牌 + 退一赔十), within
90 × 24 h after the transaction completed, proof from the brand owner or a judicial /
enforcement body, cap = paid + 10 × paid + postage (paid in full when upheld), the GP-2
refusal grounds; the merchant answers first, the consumer may escalate; the shop pays."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from claims import abuse_rules  # noqa: F401  (registers the gp.* settings)
from claims.abuse_coverage import product_provides, return_address_for
from claims.engine.errors import NotCovered
from claims.fingerprints import fingerprint_after_commit
from shop.rules import setting

from . import register
from .base import ClaimPolicy

CENT = Decimal("0.01")
GP2_REFUSAL_GROUNDS = [
    "consumer_is_brand_owner",
    "consumer_induced",
    "not_personal_consumption",
    "item_swapped",
    "insufficient_evidence",
]
PROOF_KINDS = ("brand_appraisal", "enforcement_finding")


class AuthenticPolicy(ClaimPolicy):
    kind = "authentic"
    first_responder = "merchant"
    payer = "shop"
    allowed_refusal_grounds = GP2_REFUSAL_GROUNDS

    def check_eligible(self, *, order: Any, consumer: Any) -> None:
        if not product_provides(order.product, "authentic_guarantee"):
            raise NotCovered(_("This product is not covered by 正品保障 (假一赔十)."))

    def window_end(self, *, order: Any) -> dt.datetime | None:
        # GP-2: 90 natural days (× 24 h) after the transaction completed (交易成功).
        if order.completed_at is None:
            return None
        return order.completed_at + dt.timedelta(days=int(setting("gp.authentic_window_days")))

    def allowed_types(self) -> list[str]:
        return ["counterfeit"]

    def validate_evidence(self, *, evidence: list) -> None:
        super().validate_evidence(evidence=evidence)
        self.require_kinds(evidence, *PROOF_KINDS)

    def validate_extra(self, *, data: dict[str, Any]) -> dict[str, Any]:
        # The refund reason and the request are what type ``counterfeit`` means (GP-2).
        return {"refund_reason": "假冒品牌", "request": "退一赔十"}

    def cap(self, *, order: Any, extra: dict) -> Decimal:
        paid = order.paid_amount
        multiple = Decimal(int(setting("gp.authentic_multiple")))
        return (paid + multiple * paid + order.postage).quantize(CENT, rounding=ROUND_HALF_UP)

    def return_address(self, *, order: Any) -> dict[str, Any] | None:
        # 退一: the item goes back to the shop's address for the order's region when it has one.
        return return_address_for(order.shop, order.region)

    def on_filed(self, *, claim: Any) -> None:
        fingerprint_after_commit(claim)


register(AuthenticPolicy())
