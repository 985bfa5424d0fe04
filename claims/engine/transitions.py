"""The one transition table of a claim (API.md Claims lifecycle) and the one function that
changes a claim's status (CONVENTIONS: state lives in one table)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Claim, ClaimEvent
from ..models import ClaimEventType as E
from ..models import ClaimStatus as S
from .errors import InvalidState

# (from status, event) -> to status. Appeal events keep the status; "paid" after a reversal
# records that the consumer's money arrived (the platform bears it, SZB-17).
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.SUBMITTED, E.MERCHANT_ACCEPTED): S.UPHELD,
    (S.SUBMITTED, E.MERCHANT_REFUSED): S.MERCHANT_REFUSED,
    (S.SUBMITTED, E.ESCALATED): S.UNDER_REVIEW,  # merchant did not answer in time (BX-3)
    (S.MERCHANT_REFUSED, E.ESCALATED): S.UNDER_REVIEW,
    (S.UNDER_REVIEW, E.UPHELD): S.UPHELD,
    (S.UNDER_REVIEW, E.REJECTED): S.REJECTED,
    (S.UNDER_REVIEW, E.CLOSED): S.CLOSED,
    (S.UPHELD, E.PAID): S.PAID,
    (S.UPHELD, E.APPEALED): S.UPHELD,
    (S.PAID, E.APPEALED): S.PAID,
    (S.UPHELD, E.APPEAL_REJECTED): S.UPHELD,
    (S.PAID, E.APPEAL_REJECTED): S.PAID,
    (S.UPHELD, E.APPEAL_UPHELD): S.UPHELD,
    (S.PAID, E.APPEAL_UPHELD): S.PAID,
    (S.UPHELD, E.REVERSED): S.REVERSED,
    (S.PAID, E.REVERSED): S.REVERSED,
    (S.REVERSED, E.PAID): S.REVERSED,
}

# Statuses in which a reviewer's decision is awaited.
AWAITING_REVIEW = {S.UNDER_REVIEW}
OPEN_STATUSES = {S.SUBMITTED, S.MERCHANT_REFUSED, S.UNDER_REVIEW}


def can(claim: Claim, event: str) -> bool:
    return (claim.status, event) in TRANSITIONS


def claim_transition(*, claim: Claim, to: str, actor: Any, event: str, note: str = "", at: Any = None) -> ClaimEvent:
    """Move ``claim`` (already locked by the caller) along the table and write its event row."""
    target = TRANSITIONS.get((claim.status, event))
    if target is None or target != to:
        raise InvalidState(
            _("The claim is %(status)s; %(event)s is not possible.") % {"status": claim.status, "event": event}
        )
    before = claim.status
    if target != before:
        claim.status = target
        claim.save(update_fields=["status", "updated_at"])
    return ClaimEvent.objects.create(
        claim=claim,
        at=at or timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        event=event,
        from_status=before,
        to_status=target,
        note=note[:2000],
    )
