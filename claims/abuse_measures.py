"""RF-3 measures on a consumer's 退货补运费 benefit: freeze pending credit review, unfreeze,
revoke permanently, mark for legal referral. One transition table, one function that changes
the status, an event row and an audit row per change. A frozen or revoked consumer's
return-freight claims are refused with 403 ``not_eligible`` and the reason.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from claims.engine.errors import NotEligible
from shop.audit import audit
from shop.errors import InvalidState, NotFound, ValidationFailed
from shop.models import Consumer

from .models import ReturnFreightStanding, ReturnFreightStandingEvent, RFStatus

A, F, R = RFStatus.ACTIVE, RFStatus.FROZEN, RFStatus.REVOKED

# action -> {from status: to status}. Repeating an action in its target status is a no-op
# (an idempotent repeat answers the object as it is). Revocation is permanent.
TRANSITIONS: dict[str, dict[str, str]] = {
    "freeze": {A: F, F: F},
    "unfreeze": {F: A, A: A},
    "revoke": {A: R, F: R, R: R},
    "legal_referral": {A: A, F: F, R: R},
}
ACTIONS = tuple(TRANSITIONS)


def standing_of(consumer: Consumer) -> str:
    row = ReturnFreightStanding.objects.filter(consumer=consumer).values_list("status", flat=True).first()
    return row or A


def check_return_freight_allowed(consumer: Consumer) -> None:
    """RF-3: refuse a frozen or revoked consumer's 退货补运费 claim (403 not_eligible)."""
    status = standing_of(consumer)
    if status == F:
        raise NotEligible(
            _("Your 退货补运费 benefit is frozen pending a credit review; return-freight claims are not accepted."),
            reason="return_freight_frozen",
        )
    if status == R:
        raise NotEligible(
            _("Your 退货补运费 benefit was revoked permanently for abuse; return-freight claims are not accepted."),
            reason="return_freight_revoked",
        )


@transaction.atomic
def standing_transition(*, consumer_code: str, action: str, actor: Any, note: str = "") -> ReturnFreightStanding:
    """Apply an RF-3 measure; writes an event and an audit row when something changes."""
    if action not in TRANSITIONS:
        raise ValidationFailed(errors={"action": [_("Unknown action.")]})
    consumer = Consumer.objects.filter(code=consumer_code).first()
    if consumer is None:
        raise NotFound()
    standing, _created = ReturnFreightStanding.objects.get_or_create(consumer=consumer)
    standing = ReturnFreightStanding.objects.select_for_update().get(pk=standing.pk)
    before = standing.status
    target = TRANSITIONS[action].get(before)
    if target is None:
        raise InvalidState(
            _("The benefit is %(status)s; %(action)s is not possible.") % {"status": before, "action": action}
        )
    changed_referral = action == "legal_referral" and not standing.legal_referral
    if target == before and not changed_referral:
        return standing
    snapshot = {"status": before, "legal_referral": standing.legal_referral}
    standing.status = target
    if action == "legal_referral":
        standing.legal_referral = True
    if note:
        standing.note = note[:4000]
    standing.save(update_fields=["status", "legal_referral", "note", "updated_at"])
    ReturnFreightStandingEvent.objects.create(
        standing=standing,
        action=action,
        from_status=before,
        to_status=target,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note[:4000],
    )
    audit(
        actor=actor,
        action=f"return_freight.{action}",
        obj=standing,
        before=snapshot,
        after={"status": standing.status, "legal_referral": standing.legal_referral},
        note=note,
    )
    return standing
