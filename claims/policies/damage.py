"""破损包退 (GP-4): within the category's ``damage_window_hours`` (72, or 24 for food, milk
powder, alcohol) of delivery; evidence: package photo with waybill and close-ups of the damage
(the courier's stamped proof is welcome, not required); refund up to the paid amount; the
merchant answers first, a refusal may be escalated to the platform; the shop pays."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from claims.abuse_coverage import product_provides
from claims.engine.errors import EvidenceRequired, NotCovered
from claims.fingerprints import fingerprint_after_commit

from . import register
from .base import ClaimPolicy

REQUIRED_KINDS = ("waybill_photo", "damage_detail")


class DamagePolicy(ClaimPolicy):
    kind = "damage"
    first_responder = "merchant"
    payer = "shop"

    def check_eligible(self, *, order: Any, consumer: Any) -> None:
        if not product_provides(order.product, "damage_return"):
            raise NotCovered(_("This product is not covered by 破损包退."))

    def window_end(self, *, order: Any) -> dt.datetime | None:
        if order.delivered_at is None:
            return None
        hours = order.product.category.damage_window_hours or 72
        return order.delivered_at + dt.timedelta(hours=int(hours))

    def validate_evidence(self, *, evidence: list) -> None:
        super().validate_evidence(evidence=evidence)
        kinds = {kind for _u, kind in evidence}
        missing = [k for k in REQUIRED_KINDS if k not in kinds]
        if missing:
            raise EvidenceRequired(
                _("Evidence must include a package photo with the waybill and close-ups of the damage."),
                required=list(REQUIRED_KINDS),
                missing=missing,
            )

    def cap(self, *, order: Any, extra: dict) -> Decimal:
        return order.paid_amount

    def on_filed(self, *, claim: Any) -> None:
        fingerprint_after_commit(claim)


register(DamagePolicy())
