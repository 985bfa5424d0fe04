"""SZB-17 appeals: the streamer appeals an upheld claim within 7 days of the decision, once.
An upheld appeal revokes the violation (SZB-16) and refunds the streamer: arrears cancelled
first, then money back to the accounts it came from; the platform bears the consumer's
compensation (never clawed back from the consumer)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.audit import audit
from shop.models import Streamer

from .. import ledger, policies
from ..models import (
    AccountKind,
    Appeal,
    AppealStatus,
    Claim,
    ClaimDecision,
    Payout,
    PayoutStatus,
    Violation,
)
from ..models import (
    ClaimEventType as E,
)
from ..models import (
    ClaimStatus as S,
)
from .errors import AppealExists, AppealWindowClosed, InvalidState, NotFound, ValidationFailed
from .notices import reviewers, streamer_users, tell
from .payout import TX_PAYOUT, TX_REVERSAL, execute_locked
from .transitions import claim_transition


@transaction.atomic
def appeal_file(*, claim_id: int, streamer: Streamer | None, actor: Any, reason: str) -> Appeal:
    claim = Claim.objects.select_for_update().filter(pk=claim_id).first()
    if claim is None or streamer is None or claim.streamer_id != streamer.pk:
        raise NotFound()
    policy = policies.get(claim.kind)
    if not (policy and policy.appealable) or claim.decision != ClaimDecision.UPHELD:
        raise InvalidState(_("Only an upheld claim against you can be appealed."))
    if Appeal.objects.filter(claim=claim).exists():
        raise AppealExists()
    if claim.status not in (S.UPHELD, S.PAID):
        raise InvalidState(_("Only an upheld claim against you can be appealed."))
    if claim.appeal_due_at is None or timezone.now() > claim.appeal_due_at:
        raise AppealWindowClosed()
    if not (reason or "").strip():
        raise ValidationFailed(errors={"reason": [_("This field is required.")]})
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(claim=claim, streamer=streamer, reason=reason, filed_by=actor)
    except IntegrityError:
        raise AppealExists() from None
    claim_transition(claim=claim, to=claim.status, actor=actor, event=E.APPEALED, note=reason)
    tell(
        reviewers(),
        claim=claim,
        kind="claim_filed",
        text=_("The streamer appealed claim #%(id)s.") % {"id": claim.pk},
        dedupe=f"appeal:{appeal.pk}:filed",
    )
    return appeal


@transaction.atomic
def appeal_decide(*, appeal_id: int, reviewer: Any, upheld: bool, note: str = "") -> Appeal:
    appeal = Appeal.objects.select_for_update().filter(pk=appeal_id).first()
    if appeal is None:
        raise NotFound()
    if appeal.status != AppealStatus.PENDING:
        raise InvalidState(_("This appeal has already been decided."))
    claim = Claim.objects.select_for_update(of=("self",)).select_related("streamer", "consumer").get(pk=appeal.claim_id)
    appeal.status = AppealStatus.UPHELD if upheld else AppealStatus.REJECTED
    appeal.decided_at = timezone.now()
    appeal.decided_by = reviewer if getattr(reviewer, "is_authenticated", False) else None
    appeal.note = note
    appeal.save(update_fields=["status", "decided_at", "decided_by", "note"])
    if not upheld:
        claim_transition(claim=claim, to=claim.status, actor=reviewer, event=E.APPEAL_REJECTED, note=note)
    else:
        claim_transition(claim=claim, to=claim.status, actor=reviewer, event=E.APPEAL_UPHELD, note=note)
        Violation.objects.filter(claim=claim, revoked_at__isnull=True).update(
            revoked_at=appeal.decided_at, revoked_by=appeal.decided_by
        )
        _refund_streamer(claim=claim, actor=reviewer)
        claim_transition(claim=claim, to=S.REVERSED, actor=reviewer, event=E.REVERSED, note=note)
    audit(
        actor=reviewer,
        action="claims.appeal_decide",
        obj=appeal,
        before={"status": "pending"},
        after={"status": appeal.status},
        note=note,
    )
    tell(
        streamer_users(claim.streamer_id),
        claim=claim,
        kind="appeal_decided",
        text=(
            _("Your appeal on claim #%(id)s was upheld.") if upheld else _("Your appeal on claim #%(id)s was rejected.")
        )
        % {"id": claim.pk},
        dedupe=f"appeal:{appeal.pk}:decided",
    )
    return appeal


def _refund_streamer(*, claim: Claim, actor: Any) -> None:
    payout = Payout.objects.select_for_update().filter(claim=claim).first()
    if payout is not None and payout.status == PayoutStatus.PENDING:
        # The money has not moved yet: move it now (the consumer is paid in any case), then
        # refund, so the books show both steps.
        execute_locked(payout=payout, actor=actor)
    if payout is None or payout.executed_at is None:
        ledger.reverse_hold(key=f"claim:{claim.pk}:hold")
        return
    streamer = claim.streamer
    cash = ledger.streamer_account(streamer, "cash")
    deposit = ledger.streamer_account(streamer, "deposit")
    arrears = ledger.streamer_account(streamer, "arrears")
    advance = ledger.platform_account(AccountKind.PLATFORM_ADVANCE)
    ledger.lock([cash, deposit, arrears])
    outstanding = max(ledger.balance(arrears), ledger.ZERO)
    cancel = min(payout.from_advance, outstanding)
    back_to_cash = payout.from_cash + (payout.from_advance - cancel)
    original = claim.transactions.filter(key=TX_PAYOUT.format(pk=claim.pk)).first()
    ledger.post(
        key=TX_REVERSAL.format(pk=claim.pk),
        entries=[
            (advance, payout.amount),
            (arrears, -cancel),
            (cash, -back_to_cash),
            (deposit, -payout.from_deposit),
        ],
        memo=f"appeal upheld: claim #{claim.pk} refunded to the streamer, borne by the platform",
        claim=claim,
        reverses=original,
        actor=actor,
    )
    ledger.reverse_hold(key=f"claim:{claim.pk}:hold")
