"""主播实在宝 (SPEC §5): SZB-4/5/15 coverage, SZB-6 window, SZB-8 types, SZB-9 evidence,
SZB-12 cap, SZB-14 grounds; the streamer pays (SZB-13); violations and appeals (SZB-16/17)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from claims.engine.errors import EvidenceRequired, NotCovered, TooManyImages
from shop.rules import setting

from . import register
from .base import SZB_REFUSAL_GROUNDS, ClaimPolicy

CENT = Decimal("0.01")

SZB_TYPES = [
    "material",
    "brand",
    "weight",
    "quantity",
    "size",
    "origin",
    "ingredients",
    "price",
    "claims_index",
    "efficacy",
    "effect",
]


class ShizaibaoPolicy(ClaimPolicy):
    kind = "shizaibao"
    first_responder = "platform"
    payer = "streamer"
    allowed_refusal_grounds = SZB_REFUSAL_GROUNDS
    allows_merchant_at_fault = True
    records_violation = True
    appealable = True
    order_related = ("streamer",)  # the payer's account is named after the streamer

    def check_eligible(self, *, order: Any, consumer: Any) -> None:
        # SZB-4: coverage was decided at placement and kept on the order (guarantees app).
        if not order.shizaibao_covered or order.streamer_id is None or order.live_session_id is None:
            raise NotCovered(_("This order is not covered by 实在宝."))

    def window_end(self, *, order: Any) -> dt.datetime | None:
        # SZB-6: until N natural days (N × 24 h) after the merchant clicked "shipped".
        if order.shipped_at is None:
            return None
        return order.shipped_at + dt.timedelta(days=int(setting("claims.szb.window_days")))

    def allowed_types(self) -> list[str]:
        return [t for t in setting("claims.szb.compensable_types") if t in SZB_TYPES]

    def validate_evidence(self, *, evidence: list) -> None:
        # SZB-9: 1–9 images.
        low, high = int(setting("claims.szb.min_images")), int(setting("claims.szb.max_images"))
        if len(evidence) < low:
            raise EvidenceRequired(_("Attach at least %(n)s image(s).") % {"n": low})
        if len(evidence) > high:
            raise TooManyImages(_("At most %(n)s images.") % {"n": high})

    def cap(self, *, order: Any, extra: dict) -> Decimal:
        # SZB-12: min(paid × ratio, paid, cap).
        paid = order.paid_amount
        by_ratio = (paid * setting("claims.szb.ratio")).quantize(CENT, rounding=ROUND_HALF_UP)
        return min(by_ratio, paid, setting("claims.szb.cap")).quantize(CENT, rounding=ROUND_HALF_UP)


register(ShizaibaoPolicy())
