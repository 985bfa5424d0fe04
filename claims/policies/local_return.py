"""本地退货 (GP-3): a return-and-refund request routes to the shop's return address for the
order's destination region (CN → mainland, HK → HK, TW → TW). No address for that region →
409 ``return_address_missing`` and the merchant is told. The amount is the paid amount,
refunded when the return arrives: the merchant accepts the request (upheld), then confirms
receipt (``claims.abuse_returns.local_return_received``), which starts the shop-paid payout."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from claims import abuse_rules  # noqa: F401  (registers the gp.* settings)
from claims.abuse_coverage import product_provides, return_address_for
from claims.engine.errors import NotCovered, ReturnAddressMissing
from claims.fingerprints import fingerprint_after_commit
from shop.rules import setting

from . import register
from .base import ClaimPolicy

log = logging.getLogger(__name__)
# Before delivery a return request is always in time (the window runs from delivery).
OPEN_END = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)


def tell_merchant_address_missing(order: Any) -> None:
    """The filing transaction rolls back with the error, so the merchant's notice is sent as a
    task straight away (not through the outbox, which would roll back with it)."""
    from claims.tasks_abuse import notify_return_address_missing

    try:
        notify_return_address_missing.apply_async(kwargs={"shop_id": order.shop_id, "region": order.region})
    except Exception as exc:  # noqa: BLE001 — a broker outage must not turn a 409 into a 500
        log.warning("could not queue the return-address notice for shop %s: %r", order.shop_id, exc)


class LocalReturnPolicy(ClaimPolicy):
    kind = "local_return"
    first_responder = "merchant"
    payer = "shop"

    def check_eligible(self, *, order: Any, consumer: Any) -> None:
        if not product_provides(order.product, "local_return"):
            raise NotCovered(_("This product is not covered by 本地退货."))

    def window_end(self, *, order: Any) -> dt.datetime | None:
        if order.shipped_at is None:
            return None
        if order.delivered_at is None:
            return OPEN_END
        return order.delivered_at + dt.timedelta(days=int(setting("gp.local_return_days")))

    def cap(self, *, order: Any, extra: dict) -> Decimal:
        return order.paid_amount

    def return_address(self, *, order: Any) -> dict[str, Any] | None:
        address = return_address_for(order.shop, order.region)
        if address is None:
            tell_merchant_address_missing(order)
            raise ReturnAddressMissing(
                _("The shop has no return address for %(region)s yet; the merchant has been told.")
                % {"region": order.get_region_display()},
                region=order.region,
            )
        return address

    def payout_on_upheld(self, *, claim: Any) -> bool:
        # Refunded when the return arrives, not when the request is accepted.
        return False

    def on_filed(self, *, claim: Any) -> None:
        fingerprint_after_commit(claim)


register(LocalReturnPolicy())
