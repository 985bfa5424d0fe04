"""Decisions: the merchant's answer, the consumer's escalation, the reviewer's decision
(SZB-11, SZB-14, GP-2), and what follows an upheld claim (violation SZB-16, payout SZB-13)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.audit import audit
from shop.models import Consumer, Shop
from shop.rules import setting

from .. import ledger, policies
from ..models import Claim, ClaimDecision, Violation
from ..models import ClaimEventType as E
from ..models import ClaimStatus as S
from .errors import InvalidState, NotFound, ValidationFailed
from .filing import review_clock
from .notices import consumer_users, payer_users, reviewers, shop_users, streamer_users, tell
from .payout import payout_start
from .transitions import claim_transition


def _locked(claim_id: int) -> Claim:
    claim = (
        Claim.objects.select_for_update(of=("self",))
        .select_related("consumer", "shop", "streamer", "order")
        .filter(pk=claim_id)
        .first()
    )
    if claim is None:
        raise NotFound()
    return claim


def _snapshot(claim: Claim) -> dict[str, Any]:
    return {"status": claim.status, "decision": claim.decision, "reason_code": claim.reason_code}


def _uphold(*, claim: Claim, actor: Any) -> None:
    """After the claim became upheld: SZB-16 violation, policy hook, payout (SZB-13)."""
    policy = policies.get(claim.kind)
    if policy is not None and policy.records_violation and claim.streamer_id:
        Violation.objects.get_or_create(claim=claim, defaults={"streamer_id": claim.streamer_id})
    if policy is not None and policy.appealable:
        claim.appeal_due_at = claim.decided_at + dt.timedelta(days=int(setting("claims.appeal_days")))
        claim.save(update_fields=["appeal_due_at"])
    if policy is not None:
        policy.on_upheld(claim=claim)
    if policy is None or policy.payout_on_upheld(claim=claim):
        payout_start(claim=claim, actor=actor)


@transaction.atomic
def claim_decide(
    *,
    claim_id: int,
    reviewer: Any,
    upheld: bool,
    merchant_at_fault: bool = False,
    reason_code: str = "",
    note: str = "",
) -> Claim:
    """A reviewer decides a claim under platform review. Two reviewers at once: the row lock
    lets one through; the other finds it decided and gets ``invalid_state`` (409)."""
    claim = _locked(claim_id)
    policy = policies.get(claim.kind)
    if claim.status != S.UNDER_REVIEW:
        raise InvalidState(_("This claim is not awaiting review."))
    if merchant_at_fault and not (policy and policy.allows_merchant_at_fault):
        raise ValidationFailed(errors={"merchant_at_fault": [_("Only applies to 实在宝 claims.")]})
    grounds = policy.allowed_refusal_grounds if policy else []
    if not upheld:
        if not reason_code:
            raise ValidationFailed(errors={"reason_code": [_("Pick the ground of the refusal.")]})
        if reason_code not in grounds:
            raise ValidationFailed(errors={"reason_code": [_("Not a ground for this kind of claim.")]})
        if reason_code == "other" and not note.strip():
            raise ValidationFailed(errors={"note": [_("Explain the ground 'other'.")]})
    elif reason_code and reason_code not in grounds:
        raise ValidationFailed(errors={"reason_code": [_("Not a ground for this kind of claim.")]})
    before = _snapshot(claim)
    now = timezone.now()
    claim.decided_at = now
    claim.decided_by = reviewer if getattr(reviewer, "is_authenticated", False) else None
    claim.decision_note = note
    claim.reason_code = reason_code if not upheld else ""
    claim.merchant_at_fault = bool(upheld and merchant_at_fault)
    if not upheld:
        claim.decision = ClaimDecision.REJECTED
        event, to = E.REJECTED, S.REJECTED
    elif merchant_at_fault:
        # SZB-11: upheld with the merchant at fault → no 实在宝 payout; ordinary after-sales.
        claim.decision = ClaimDecision.MERCHANT_AT_FAULT
        event, to = E.CLOSED, S.CLOSED
    else:
        claim.decision = ClaimDecision.UPHELD
        event, to = E.UPHELD, S.UPHELD
    claim.save(
        update_fields=[
            "decided_at",
            "decided_by",
            "decision_note",
            "reason_code",
            "merchant_at_fault",
            "decision",
            "updated_at",
        ]
    )
    claim_transition(claim=claim, to=to, actor=reviewer, event=event, note=note or reason_code)
    if to == S.UPHELD:
        _uphold(claim=claim, actor=reviewer)
    else:
        ledger.release(key=f"claim:{claim.pk}:hold")
    audit(actor=reviewer, action="claims.decide", obj=claim, before=before, after=_snapshot(claim), note=note)
    _tell_decided(claim)
    return claim


def _tell_decided(claim: Claim) -> None:
    if claim.status == S.CLOSED:
        text = _("Claim #%(id)s: the merchant is at fault; please use the order's ordinary after-sales service.")
    elif claim.status == S.REJECTED:
        text = _("Claim #%(id)s was not upheld.")
    else:
        text = _("Claim #%(id)s was upheld; compensation of %(amount)s is on its way.")
    text = text % {"id": claim.pk, "amount": claim.amount}
    dedupe = f"claim:{claim.pk}:decided"
    tell(consumer_users(claim), claim=claim, kind="claim_decided", text=text, dedupe=dedupe)
    tell(payer_users(claim), claim=claim, kind="claim_decided", text=text, dedupe=dedupe)


@transaction.atomic
def claim_merchant_respond(*, claim_id: int, shop: Shop | None, actor: Any, accept: bool, note: str = "") -> Claim:
    """The merchant answers a claim of their shop while it is ``submitted`` (GP-2, GP-4)."""
    claim = _locked(claim_id)
    if shop is None or claim.shop_id != shop.pk:
        raise NotFound()
    if claim.status != S.SUBMITTED:
        raise InvalidState(_("This claim is not waiting for the merchant's answer."))
    before = _snapshot(claim)
    if accept:
        claim.decided_at = timezone.now()
        claim.decision = ClaimDecision.UPHELD
        claim.decided_by = actor if getattr(actor, "is_authenticated", False) else None
        claim.decision_note = note
        claim.save(update_fields=["decided_at", "decision", "decided_by", "decision_note", "updated_at"])
        claim_transition(claim=claim, to=S.UPHELD, actor=actor, event=E.MERCHANT_ACCEPTED, note=note)
        _uphold(claim=claim, actor=actor)
        _tell_decided(claim)
    else:
        claim_transition(claim=claim, to=S.MERCHANT_REFUSED, actor=actor, event=E.MERCHANT_REFUSED, note=note)
        tell(
            consumer_users(claim),
            claim=claim,
            kind="claim_decided",
            text=_("The merchant refused claim #%(id)s; you may ask the platform to step in.") % {"id": claim.pk},
            dedupe=f"claim:{claim.pk}:merchant_refused",
        )
    audit(actor=actor, action="claims.merchant_response", obj=claim, before=before, after=_snapshot(claim), note=note)
    return claim


@transaction.atomic
def claim_escalate(*, claim_id: int, consumer: Consumer | None, actor: Any, note: str = "") -> Claim:
    """The consumer asks the platform to step in after the merchant refused (客服介入)."""
    claim = _locked(claim_id)
    if consumer is None or claim.consumer_id != consumer.pk:
        raise NotFound()
    if claim.status != S.MERCHANT_REFUSED:
        raise InvalidState(_("Only a claim the merchant refused can be escalated."))
    _start_review(claim=claim, actor=actor, note=note)
    return claim


def _start_review(*, claim: Claim, actor: Any, note: str = "") -> None:
    claim_transition(claim=claim, to=S.UNDER_REVIEW, actor=actor, event=E.ESCALATED, note=note)
    fields = review_clock(claim=claim, start=timezone.now())
    claim.save(update_fields=[*fields, "updated_at"])
    tell(
        reviewers(),
        claim=claim,
        kind="claim_filed",
        text=_("Claim #%(id)s needs platform review.") % {"id": claim.pk},
        dedupe=f"claim:{claim.pk}:review",
    )
    tell(
        shop_users(claim.shop_id),
        claim=claim,
        kind="claim_filed",
        text=_("Claim #%(id)s went to platform review.") % {"id": claim.pk},
        dedupe=f"claim:{claim.pk}:review",
    )


__all__ = ["claim_decide", "claim_escalate", "claim_merchant_respond", "streamer_users"]
