"""Claim intake (API.md POST /claims), written once for every kind; the policy supplies the
kind's rules. Checks run in API.md's order; the first failure answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.models import Consumer, Order
from shop.rules import setting
from shop.uploads import uploads_owned

from .. import ledger, policies
from ..models import Claim, ClaimEvent, ClaimEventType, ClaimEvidence, ClaimStatus, EvidenceKind, Payer
from .errors import ClaimExists, NotEligible, NotFound, TypeNotCovered, ValidationFailed, WindowClosed
from .notices import payer_users, reviewers, tell

# Extra 403 not_eligible checks (e.g. a frozen return-freight benefit, RF-3): each is called as
# fn(kind=, order=, consumer=) and raises NotEligible to refuse. Registered from AppConfig.ready.
eligibility_checks: list[Callable[..., None]] = []


def hold_account(*, claim: Claim) -> Any:
    """The account a claim's hold sits on (BX-2): the payer's first source of money."""
    if claim.payer == Payer.STREAMER and claim.streamer_id:
        return ledger.streamer_account(claim.streamer, "cash")
    if claim.payer == Payer.SHOP:
        return ledger.shop_account(claim.shop, "deposit")
    return None


def review_clock(*, claim: Claim, start: dt.datetime) -> list[str]:
    """SZB-10: platform review starts now: decide within 48 h, tell the consumer within 72 h."""
    claim.review_started_at = start
    claim.review_due_at = start + dt.timedelta(hours=int(setting("claims.review_hours")))
    claim.inform_due_at = start + dt.timedelta(hours=int(setting("claims.inform_hours")))
    return ["review_started_at", "review_due_at", "inform_due_at"]


def claim_file(
    *,
    consumer: Consumer | None,
    actor: Any,
    order_code: str,
    kind: str,
    type: str = "",
    reason: str,
    evidence: list[tuple[Any, str]],
    data: dict[str, Any] | None = None,
) -> Claim:
    data = data or {}
    policy = policies.get(kind)
    if policy is None:
        raise ValidationFailed(errors={"kind": [_("Unknown claim kind.")]})
    with transaction.atomic():
        # 404: not the caller's order. The row lock serializes concurrent filings for one order.
        order = (
            Order.objects.select_for_update(of=("self",))
            .filter(code=order_code, consumer=consumer)
            .select_related("consumer", "shop", "streamer", "live_session", "product__category")
            .first()
            if consumer is not None
            else None
        )
        if order is None:
            raise NotFound()
        # 403: risk consumer (SZB-15) or a registered refusal (frozen benefit, RF-3).
        if order.consumer.risk:
            raise NotEligible(_("This account cannot file claims."))
        for check in eligibility_checks:
            check(kind=kind, order=order, consumer=order.consumer)
        # 409: SZB-7, one claim per order, ever, whatever the kind.
        if Claim.objects.filter(order=order).exists():
            raise ClaimExists()
        # 400 not_covered.
        policy.check_eligible(order=order, consumer=order.consumer)
        # 400 window_closed (SZB-6 / GP-2 / GP-4).
        now = timezone.now()
        end = policy.window_end(order=order)
        if end is None:
            raise WindowClosed(_("The claim window has not opened yet (the order has not shipped)."))
        if now > end:
            raise WindowClosed(
                _("Claims for this order could be filed until %(end)s.")
                % {"end": timezone.localtime(end).strftime("%Y-%m-%d %H:%M")},
                window_end=end.isoformat(),
            )
        # 400 type_not_covered (SZB-8).
        allowed = policy.allowed_types()
        if allowed is not None and type not in allowed:
            raise TypeNotCovered(
                _("This claim type is not compensated. Allowed types: %(types)s.") % {"types": ", ".join(allowed)},
                allowed_types=allowed,
            )
        # 400 evidence_required / too_many_images / invalid_upload (SZB-9).
        pairs = _evidence(actor=actor, evidence=evidence)
        policy.validate_evidence(evidence=pairs)
        extra = policy.validate_extra(data=data)
        # 409 return_address_missing (GP-3).
        address = policy.return_address(order=order)
        amount = policy.cap(order=order, extra=extra)

        platform_first = policy.first_responder == "platform"
        claim = Claim(
            kind=kind,
            order=order,
            consumer=order.consumer,
            shop=order.shop,
            streamer=order.streamer,
            type=type or "",
            reason=reason,
            status=ClaimStatus.UNDER_REVIEW if platform_first else ClaimStatus.SUBMITTED,
            amount=amount,
            payer=policy.payer,
            return_address=address,
            extra=extra,
            filed_at=now,
        )
        if platform_first:
            review_clock(claim=claim, start=now)
        else:
            claim.answer_due_at = now + dt.timedelta(hours=int(setting("claims.merchant_answer_hours")))
        try:
            with transaction.atomic():
                claim.save(force_insert=True)
        except IntegrityError:
            # The unique constraint is the last word on SZB-7 (e.g. a filing that did not lock).
            raise ClaimExists() from None
        ClaimEvidence.objects.bulk_create([ClaimEvidence(claim=claim, upload=u, kind=k) for u, k in pairs])
        ClaimEvent.objects.create(
            claim=claim,
            at=now,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            event=ClaimEventType.FILED,
            from_status="",
            to_status=claim.status,
        )
        account = hold_account(claim=claim)
        if account is not None:
            # BX-2: reserve the capped amount on the payer's funds.
            ledger.hold(key=f"claim:{claim.pk}:hold", account=account, amount=amount, claim=claim)
        policy.on_filed(claim=claim)
        text = _("A %(kind)s claim was filed on order %(order)s.") % {
            "kind": claim.get_kind_display(),
            "order": order.code,
        }
        tell(payer_users(claim), claim=claim, kind="claim_filed", text=text, dedupe=f"claim:{claim.pk}:filed")
        if platform_first:
            tell(reviewers(), claim=claim, kind="claim_filed", text=text, dedupe=f"claim:{claim.pk}:filed")
    return claim


def _evidence(*, actor: Any, evidence: list[tuple[Any, str]]) -> list[tuple[Any, str]]:
    seen: dict[int, str] = {}
    for raw_id, kind in evidence:
        try:
            key = int(raw_id)
        except (TypeError, ValueError):
            from .errors import InvalidUpload

            raise InvalidUpload() from None
        if kind not in EvidenceKind.values:
            raise ValidationFailed(errors={"evidence": [_("Unknown evidence kind: %(k)s") % {"k": kind}]})
        seen.setdefault(key, kind)
    if not seen:
        return []
    uploads = uploads_owned(owner=actor, ids=list(seen))
    return [(u, seen[u.pk]) for u in uploads]
