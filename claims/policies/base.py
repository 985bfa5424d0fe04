"""The policy interface the claim engine calls (one small module per claim kind).

A policy says who may file, the window, the compensable types, the evidence, the cap, the
return address, who answers first, who pays and which refusal grounds a reviewer may pick.
The engine (``claims.engine``) applies API.md's check order and does everything else
(locking, one claim per order, transitions, holds, payouts, notifications) once for all kinds.

Register a policy with ``claims.policies.register(MyPolicy())`` (or
``REGISTRY[kind] = instance``) from its module; ``claims/policies/__init__.py`` imports the
modules.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from django.utils.translation import gettext as _

from claims.engine.errors import EvidenceRequired, TooManyImages

if TYPE_CHECKING:
    from shop.models import Consumer, Order, Upload

    from ..models import Claim

# SZB-14 refusal grounds (reviewer picks one).
SZB_REFUSAL_GROUNDS = [
    "off_platform",
    "private_agreement",
    "out_of_window",
    "consumer_cause",
    "not_genuine_trade",
    "already_compensated",
    "type_not_covered",
    "other",
]


class ClaimPolicy:
    """Defaults that suit most kinds; subclasses override what differs."""

    kind: ClassVar[str] = ""
    # "platform": filed straight into platform review (under_review);
    # "merchant": filed as submitted, the merchant answers first, the consumer may escalate.
    first_responder: ClassVar[Literal["platform", "merchant"]] = "merchant"
    payer: ClassVar[Literal["streamer", "shop", "platform"]] = "shop"
    allowed_refusal_grounds: ClassVar[list[str]] = SZB_REFUSAL_GROUNDS
    # A reviewer may mark the merchant at fault (SZB-11) — 实在宝 only.
    allows_merchant_at_fault: ClassVar[bool] = False
    # An upheld claim records a violation on the streamer (SZB-16) and may be appealed (SZB-17).
    records_violation: ClassVar[bool] = False
    appealable: ClassVar[bool] = False
    max_images: ClassVar[int | None] = 9
    # The order's relations the policy reads while filing, fetched with the locked order row.
    order_related: ClassVar[tuple[str, ...]] = ("shop", "streamer", "live_session", "product__category")

    # -- filing ---------------------------------------------------------------
    def check_eligible(self, *, order: Order, consumer: Consumer) -> None:
        """Raise ``NotCovered`` (400) when the order has no such cover (or ``NotEligible``)."""

    def window_end(self, *, order: Order) -> dt.datetime | None:
        """The last moment a claim may be filed; ``None`` = the window has not opened yet."""
        return None

    def allowed_types(self) -> list[str] | None:
        """The compensable ``type`` values; ``None`` means type is optional and free."""
        return None

    def validate_evidence(self, *, evidence: list[tuple[Upload, str]]) -> None:
        """Raise ``EvidenceRequired`` / ``TooManyImages``. Default: at most ``max_images``."""
        if self.max_images is not None and len(evidence) > self.max_images:
            raise TooManyImages(_("At most %(n)s images.") % {"n": self.max_images})

    def validate_extra(self, *, data: dict[str, Any]) -> dict[str, Any]:
        """Kind-specific request fields (e.g. ``return_waybill``) → the claim's ``extra``.
        Raise ``ValidationFailed(errors={field: [...]})`` for bad input."""
        return {}

    def cap(self, *, order: Order, extra: dict[str, Any]) -> Decimal:
        """The capped amount the claim pays if upheld (fixed at filing)."""
        return order.paid_amount

    def return_address(self, *, order: Order) -> dict[str, Any] | None:
        """Where the goods go back to; raise ``ReturnAddressMissing`` when required but absent."""
        return None

    # -- hooks ----------------------------------------------------------------
    def on_filed(self, *, claim: Claim) -> None:
        """After the claim row, evidence and hold exist (same transaction)."""

    def on_upheld(self, *, claim: Claim) -> None:
        """After the claim became upheld (same transaction)."""

    def payout_on_upheld(self, *, claim: Claim) -> bool:
        """Start the payout as soon as the claim is upheld. A kind that pays later (e.g. when a
        return arrives) answers False and calls ``claims.engine.payout_start`` itself."""
        return True

    # -- helpers for subclasses ------------------------------------------------
    @staticmethod
    def require_kinds(evidence: list[tuple[Upload, str]], *required_any: str) -> None:
        """Raise ``EvidenceRequired`` unless some item has one of ``required_any`` kinds."""
        if not any(kind in required_any for _u, kind in evidence):
            raise EvidenceRequired(
                _("Evidence must include: %(kinds)s.") % {"kinds": ", ".join(required_any)},
                required=list(required_any),
            )
