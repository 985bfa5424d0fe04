"""Claim intake (API.md POST /claims), written once for every kind; the policy supplies the
kind's rules. Checks run in API.md's order; the first failure answers."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop import fastdb
from shop.fastdb import Compiled, Select
from shop.models import Consumer, Order
from shop.notify import notification
from shop.rules import setting
from shop.uploads import owned_count_sql, upload_id

from .. import ledger, policies
from ..models import (
    Account,
    Claim,
    ClaimEvent,
    ClaimEventType,
    ClaimEvidence,
    ClaimStatus,
    EvidenceKind,
    Payer,
)
from .errors import (
    ClaimExists,
    DomainError,
    InvalidUpload,
    NotEligible,
    NotFound,
    TypeNotCovered,
    ValidationFailed,
    WindowClosed,
)
from .notices import link, party_q, payer_party_id, reviewer_q, users_where

# Extra 403 not_eligible checks (e.g. a frozen return-freight benefit, RF-3): each is called as
# fn(kind=, order=, consumer=) and raises NotEligible to refuse. Registered from AppConfig.ready.
eligibility_checks: list[Callable[..., None]] = []


# BX-2: a claim's hold sits on the payer's first source of money — payer → (party, account).
HOLD_ON = {Payer.STREAMER: ("streamer", "cash"), Payer.SHOP: ("shop", "deposit")}
_PARTY_ACCOUNTS = {
    "streamer": (ledger.streamer_account, ledger.STREAMER_KINDS),
    "shop": (ledger.shop_account, ledger.SHOP_KINDS),
}


def hold_account(*, claim: Claim) -> Any:
    """The account a claim's hold sits on (``HOLD_ON``), created if need be; None: no hold."""
    if claim.payer not in HOLD_ON:
        return None
    party, which = HOLD_ON[claim.payer]
    if getattr(claim, f"{party}_id") is None:
        return None
    account_of, _kinds = _PARTY_ACCOUNTS[party]
    return account_of(getattr(claim, party), which)


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
    if consumer is None:
        raise NotFound()
    # Evidence ids are parsed now (their ownership is counted by the order statement below);
    # a malformed list is refused at its place in the order of checks.
    try:
        wanted, bad_evidence = _parse_evidence(evidence), None
    except DomainError as exc:
        wanted, bad_evidence = {}, exc
    connection = connections["default"]
    with transaction.atomic():
        # 404: not the caller's order. One statement locks the order row (serializing concurrent
        # filings for it), fetches what the policy reads (``order_related``), and answers "has it
        # a claim already" (SZB-7), "how many of these uploads are the caller's" and "which
        # account holds the payer's money" (BX-2) — each a round trip otherwise.
        account_sql, account_params = _payer_account_sql(policy.payer)
        owned_sql, owned_params = owned_count_sql(owner=actor, ids=list(wanted))
        next_id_sql, next_id_params = fastdb.next_id_sql(Claim) or ("NULL", [])
        lock = connection.ops.for_update_sql(of=("t0",)) if connection.features.has_select_for_update else ""
        found = _order_select(policy.order_related).fetch(
            where='t0."code" = %s AND t0."consumer_id" = %s',
            params=[*account_params, *owned_params, *next_id_params, order_code, consumer.pk],
            extra=[HAS_CLAIM, account_sql, owned_sql, next_id_sql],
            tail=lock,
        )
        if not found:
            raise NotFound()
        order, (has_claim, account_id, owned, claim_id) = found[0]
        order.consumer = consumer
        # 403: risk consumer (SZB-15) or a registered refusal (frozen benefit, RF-3).
        if order.consumer.risk:
            raise NotEligible(_("This account cannot file claims."))
        for check in eligibility_checks:
            check(kind=kind, order=order, consumer=order.consumer)
        # 409: SZB-7, one claim per order, ever, whatever the kind.
        if has_claim:
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
        if bad_evidence is not None:
            raise bad_evidence
        if owned != len(wanted):
            raise InvalidUpload()
        pairs = list(wanted.items())
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
            shop_id=order.shop_id,
            streamer_id=order.streamer_id,
            type=type or "",
            reason=reason,
            status=ClaimStatus.UNDER_REVIEW if platform_first else ClaimStatus.SUBMITTED,
            amount=amount,
            payer=policy.payer,
            return_address=address,
            extra=extra,
            filed_at=now,
        )
        for name in ("shop", "streamer"):  # what the order query fetched is not fetched again
            if Order._meta.get_field(name).is_cached(order):
                setattr(claim, name, getattr(order, name))
        if platform_first:
            review_clock(claim=claim, start=now)
        else:
            claim.answer_due_at = now + dt.timedelta(hours=int(setting("claims.merchant_answer_hours")))
        text = _("A %(kind)s claim was filed on order %(order)s.") % {
            "kind": claim.get_kind_display(),
            "order": order.code,
        }
        account = Account(pk=account_id) if account_id is not None else hold_account(claim=claim)
        # The claim, its evidence, the timeline's first event, the hold and the notices: one
        # statement on PostgreSQL, where the claim's id was drawn with the order; elsewhere the
        # claim is inserted first to learn its id, then the rest.
        claim.pk = claim_id
        try:
            if claim.pk is None:
                fastdb.insert(claim)
            writes = fastdb.Batch()
            if claim._state.adding:
                writes.rows([claim])
            writes.rows([ClaimEvidence(claim=claim, upload_id=upload_id, kind=k) for upload_id, k in pairs])
            writes.rows(
                [
                    ClaimEvent(
                        claim=claim,
                        at=now,
                        actor=actor if getattr(actor, "is_authenticated", False) else None,
                        event=ClaimEventType.FILED,
                        from_status="",
                        to_status=claim.status,
                    )
                ]
            )
            if account is not None:
                # BX-2: reserve the capped amount on the payer's funds.
                writes.rows(
                    [ledger.new_hold(key=f"claim:{claim.pk}:hold", account=account, amount=amount, claim=claim)]
                )
            # The payer's users, and the reviewers when the platform answers first.
            audience = FILED_AUDIENCE.sql(payer_party_id(claim), shape=(claim.payer, platform_first))
            writes.select(
                notification(kind="claim_filed", text=text, link=link(claim), dedupe_key=f"claim:{claim.pk}:filed"),
                column="user",
                select=audience,
                ignore_conflicts=True,
            )
            writes.run()
        except IntegrityError:
            # The unique constraint is the last word on SZB-7: a filing that waited for the row
            # lock read "no claim" before the first one committed. The whole filing rolls back.
            raise ClaimExists() from None
        policy.on_filed(claim=claim)
    return claim


HAS_CLAIM = 'EXISTS (SELECT 1 FROM "claims_claim" c WHERE c."order_id" = t0."id")'


@functools.cache
def _order_select(related: tuple[str, ...]) -> Select:
    return Select(Order, related=related)


def _filed_audience(party_id: int, *, shape: tuple[str, bool]) -> Any:
    payer, with_reviewers = shape
    payer_side = party_q(payer, party_id)
    audiences = (payer_side, reviewer_q()) if with_reviewers else (payer_side,)
    return users_where(*audiences).values_list("pk", flat=True)


# Who hears of a filing, compiled once per (payer, platform-first) shape (shop.fastdb).
FILED_AUDIENCE = Compiled(_filed_audience, sentinels=[-7_310_000_001])


def _parse_evidence(evidence: list[tuple[Any, str]]) -> dict[int, str]:
    """Upload id → evidence kind, first mention wins; ``InvalidUpload`` / ``ValidationFailed``."""
    seen: dict[int, str] = {}
    for raw_id, kind in evidence:
        key = upload_id(raw_id)
        if kind not in EvidenceKind.values:
            raise ValidationFailed(errors={"evidence": [_("Unknown evidence kind: %(k)s") % {"k": kind}]})
        seen.setdefault(key, kind)
    return seen


def _payer_account_sql(payer: str) -> tuple[str, list[Any]]:
    """The id of the account a hold goes on (``HOLD_ON``), if it exists yet, as an expression
    over the order row ``t0``."""
    if payer not in HOLD_ON:
        return "NULL", []
    party, which = HOLD_ON[payer]
    _account_of, kinds = _PARTY_ACCOUNTS[party]
    column = f'"{party}_id"'
    sql = f'(SELECT MIN(a."id") FROM "claims_account" a WHERE a.{column} = t0.{column} AND a."kind" = %s)'  # noqa: S608
    return sql, [kinds[which]]
