"""XT-1 advertiser certification: qualification (via qualifications), corporate bank transfer
check (对公打款验证) and the platform service agreement. Publishing needs all three."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.audit import audit
from shop.errors import InvalidState, ValidationFailed
from shop.models import Shop
from shop.notify import notify
from shop.rules import setting

from .. import qualification_link
from ..constants import AGREEMENT_TEXT, BankCheckStatus, CertStep
from ..models import Advertiser, AdvertiserEvent
from ..rules import (
    AgreementOutdated,
    AgreementRequired,
    AmountMismatch,
    BankCheckLocked,
    CertificationIncomplete,
)

S = BankCheckStatus
# The bank transfer check's transition table: action -> (allowed from, to).
BANK_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "account_submitted": (frozenset({S.NOT_STARTED, S.AWAITING_TRANSFER, S.AWAITING_ENTRY}), S.AWAITING_TRANSFER),
    "transfer_recorded": (frozenset({S.AWAITING_TRANSFER}), S.AWAITING_ENTRY),
    "amount_wrong": (frozenset({S.AWAITING_ENTRY}), S.AWAITING_ENTRY),
    "locked": (frozenset({S.AWAITING_ENTRY}), S.LOCKED),
    "verified": (frozenset({S.AWAITING_ENTRY}), S.VERIFIED),
    "unlocked": (frozenset({S.LOCKED}), S.AWAITING_TRANSFER),
}
CENT = Decimal("0.01")


def advertiser_ensure(*, shop: Shop) -> Advertiser:
    advertiser, _created = Advertiser.objects.get_or_create(shop=shop)
    return advertiser


def _locked(advertiser_id: int) -> Advertiser:
    return Advertiser.objects.select_for_update().select_related("shop").get(pk=advertiser_id)


def _bank_transition(*, advertiser: Advertiser, action: str, actor: Any, note: str = "", fields: tuple = ()) -> None:
    """The one function that changes ``bank_status``: checks the table, saves, writes an event."""
    sources, target = BANK_TRANSITIONS[action]
    if advertiser.bank_status not in sources:
        raise InvalidState(
            _("The bank transfer check is '%(status)s'; '%(action)s' is not possible now.")
            % {"status": advertiser.get_bank_status_display(), "action": action}
        )
    before = advertiser.bank_status
    advertiser.bank_status = target
    advertiser.save(update_fields=["bank_status", "updated_at", *fields])
    AdvertiserEvent.objects.create(
        advertiser=advertiser,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        from_status=before,
        to_status=target,
        note=note,
    )


def _members(shop: Shop) -> Any:
    return get_user_model().objects.filter(shop_member__shop=shop, is_active=True)


def _digest(advertiser: Advertiser, amount: Decimal) -> str:
    key = hashlib.sha256(("xingtu-bank-check:" + settings.SECRET_KEY).encode()).digest()
    msg = f"{advertiser.pk}:{advertiser.transfer_nonce}:{amount.quantize(CENT)}".encode()
    return hmac.new(key, msg, hashlib.sha256).hexdigest()


def _money(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationFailed(errors={field: [_("Enter an amount such as 0.37.")]}) from None
    if not amount.is_finite() or amount <= 0 or amount >= Decimal("1000"):
        raise ValidationFailed(errors={field: [_("Enter an amount such as 0.37.")]})
    return amount


# --- state --------------------------------------------------------------------------------


def certification_state(*, advertiser: Advertiser) -> dict[str, Any]:
    """What the advertiser has done and what is missing, in the order the steps are shown."""
    qual = qualification_link.qualification_state(advertiser.shop)
    current = setting("xingtu.agreement_version")
    signed = bool(advertiser.agreement_signed_at) and advertiser.agreement_version == current
    done = {
        CertStep.QUALIFICATION: bool(qual["done"]),
        CertStep.BANK_TRANSFER: advertiser.bank_status == S.VERIFIED,
        CertStep.AGREEMENT: signed,
    }
    max_attempts = setting("xingtu.bank_check_max_attempts")
    return {
        "certified": all(done.values()),
        "missing_steps": [str(step) for step in CertStep if not done[step]],
        "qualification": {"done": done[CertStep.QUALIFICATION], "status": qual["status"], "id": qual["id"]},
        "bank_transfer": {
            "done": done[CertStep.BANK_TRANSFER],
            "status": advertiser.bank_status,
            "company_name": advertiser.company_name,
            "bank_name": advertiser.bank_name,
            "account": advertiser.account_masked,
            "transfer_sent_at": advertiser.transfer_sent_at,
            "attempts_left": max(0, max_attempts - advertiser.attempts),
        },
        "agreement": {
            "done": signed,
            "version": advertiser.agreement_version or None,
            "signed_at": advertiser.agreement_signed_at,
            "current_version": current,
            "text": str(AGREEMENT_TEXT % {"version": current}),
        },
    }


def require_certified(*, advertiser: Advertiser) -> None:
    """XT-1: refuse with the first missing step (and all of them)."""
    state = certification_state(advertiser=advertiser)
    if state["certified"]:
        return
    first = state["missing_steps"][0]
    raise CertificationIncomplete(
        _("Finish the advertiser certification before publishing tasks; missing step: %(step)s.")
        % {"step": CertStep(first).label},
        missing_step=first,
        missing_steps=state["missing_steps"],
    )


# --- qualification ---------------------------------------------------------------------------


def qualification_submit(*, advertiser: Advertiser, actor: Any, fields: dict[str, Any], images: list[int]) -> Any:
    """XT-1 资质提交: a business_license qualification through the qualifications review."""
    qualification = qualification_link.qualification_submit(
        shop=advertiser.shop, actor=actor, fields=fields, images=images
    )
    AdvertiserEvent.objects.create(
        advertiser=advertiser,
        actor=actor,
        action="qualification_submitted",
        note=f"qualification #{qualification.pk}",
    )
    return qualification


# --- 对公打款验证 ---------------------------------------------------------------------------------


@transaction.atomic
def bank_account_submit(
    *, advertiser_id: int, actor: Any, company_name: str, bank_name: str, account_number: str
) -> Advertiser:
    """The advertiser names its corporate account; the platform then sends a small amount to it."""
    advertiser = _locked(advertiser_id)
    number = "".join(account_number.split())
    errors: dict[str, list[str]] = {}
    if not company_name.strip():
        errors["company_name"] = [_("This field is required.")]
    if not bank_name.strip():
        errors["bank_name"] = [_("This field is required.")]
    if not (number.isdigit() and 8 <= len(number) <= 32):
        errors["account_number"] = [_("Enter the account number: 8 to 32 digits.")]
    if errors:
        raise ValidationFailed(errors=errors)
    if advertiser.bank_status == S.LOCKED:
        raise BankCheckLocked()
    advertiser.company_name = company_name.strip()
    advertiser.bank_name = bank_name.strip()
    advertiser.account_number = number
    advertiser.transfer_digest = ""
    advertiser.transfer_nonce = ""
    advertiser.transfer_sent_at = None
    advertiser.attempts = 0
    _bank_transition(
        advertiser=advertiser,
        action="account_submitted",
        actor=actor,
        note=f"{advertiser.bank_name} {advertiser.account_masked}",
        fields=(
            "company_name",
            "bank_name",
            "account_number",
            "transfer_digest",
            "transfer_nonce",
            "transfer_sent_at",
            "attempts",
        ),
    )
    return advertiser


@transaction.atomic
def bank_transfer_record(*, advertiser_id: int, actor: Any, amount: Decimal | None = None) -> Decimal:
    """The platform records the small amount it sent (random 0.01–0.99 unless given).

    Returns the amount once, for the paying clerk; only its HMAC is stored.
    """
    advertiser = _locked(advertiser_id)
    amount = _money(amount, "amount") if amount is not None else Decimal(secrets.randbelow(99) + 1) / 100
    amount = amount.quantize(CENT)
    advertiser.transfer_nonce = secrets.token_hex(16)
    advertiser.transfer_digest = _digest(advertiser, amount)
    advertiser.transfer_sent_at = timezone.now()
    advertiser.attempts = 0
    _bank_transition(
        advertiser=advertiser,
        action="transfer_recorded",
        actor=actor,
        fields=("transfer_nonce", "transfer_digest", "transfer_sent_at", "attempts"),
    )
    notify(
        users=_members(advertiser.shop),
        kind="xingtu_certification",
        text=_("The platform sent a small amount to your company account: enter it to finish the bank check."),
        link="/xingtu/certification/",
        dedupe_key=f"xt-transfer:{advertiser.pk}:{advertiser.transfer_nonce}",
    )
    return amount


def bank_transfer_verify(*, advertiser_id: int, actor: Any, amount: Any) -> Advertiser:
    """The advertiser enters the amount received. Wrong amounts count (kept even though the
    call fails); at the limit the check locks for review (XT-1)."""
    value = _money(amount, "amount")
    error: Exception | None = None
    with transaction.atomic():
        advertiser = _locked(advertiser_id)
        if advertiser.bank_status == S.LOCKED:
            raise BankCheckLocked()
        if advertiser.bank_status != S.AWAITING_ENTRY:
            raise InvalidState(_("No transfer is waiting to be confirmed."))
        if hmac.compare_digest(_digest(advertiser, value), advertiser.transfer_digest):
            advertiser.bank_verified_at = timezone.now()
            _bank_transition(advertiser=advertiser, action="verified", actor=actor, fields=("bank_verified_at",))
            return advertiser
        advertiser.attempts += 1
        left = setting("xingtu.bank_check_max_attempts") - advertiser.attempts
        if left <= 0:
            _bank_transition(advertiser=advertiser, action="locked", actor=actor, fields=("attempts",))
            error = BankCheckLocked()
        else:
            _bank_transition(advertiser=advertiser, action="amount_wrong", actor=actor, fields=("attempts",))
            error = AmountMismatch(
                _("The amount does not match the transfer; %(left)s attempt(s) left.") % {"left": left},
                attempts_left=left,
            )
    raise error


@transaction.atomic
def bank_check_unlock(*, advertiser_id: int, actor: Any, note: str = "") -> Advertiser:
    """A reviewer unlocks a locked check; the platform then records a new transfer."""
    advertiser = _locked(advertiser_id)
    advertiser.attempts = 0
    advertiser.transfer_digest = ""
    _bank_transition(
        advertiser=advertiser, action="unlocked", actor=actor, note=note, fields=("attempts", "transfer_digest")
    )
    audit(
        actor=actor,
        action="xingtu.bank_check_unlock",
        obj=advertiser,
        before="locked",
        after=S.AWAITING_TRANSFER,
        note=note,
    )
    return advertiser


# --- agreement ------------------------------------------------------------------------------------


@transaction.atomic
def agreement_sign(
    *, advertiser_id: int, actor: Any, agree: bool, version: str, ip: str | None
) -> tuple[Advertiser, bool]:
    """Sign the current platform agreement; stores version, time and IP. Returns (advertiser, created)."""
    advertiser = _locked(advertiser_id)
    if not agree:
        raise AgreementRequired()
    current = setting("xingtu.agreement_version")
    if version != current:
        raise AgreementOutdated(current_version=current)
    if advertiser.agreement_version == current and advertiser.agreement_signed_at:
        return advertiser, False
    before = advertiser.agreement_version or None
    advertiser.agreement_version = current
    advertiser.agreement_signed_at = timezone.now()
    advertiser.agreement_ip = ip
    advertiser.agreement_signed_by = actor
    advertiser.save(
        update_fields=["agreement_version", "agreement_signed_at", "agreement_ip", "agreement_signed_by", "updated_at"]
    )
    AdvertiserEvent.objects.create(
        advertiser=advertiser, actor=actor, action="agreement_signed", note=f"version {current} from {ip or '-'}"
    )
    audit(actor=actor, action="xingtu.agreement_sign", obj=advertiser, before=before, after=current)
    return advertiser, True
