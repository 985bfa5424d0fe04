"""GP-3: a 本地退货 claim is refunded when the return arrives. The merchant (or a reviewer)
confirms receipt of an upheld request; that starts the shop-paid payout through the engine."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.audit import audit
from shop.errors import InvalidState, NotFound
from shop.models import Shop

from .engine.payout import payout_start
from .models import Claim, ClaimKind, ClaimStatus


@transaction.atomic
def local_return_received(*, claim_id: int, shop: Shop | None, actor: Any, note: str = "") -> Claim:
    claim = Claim.objects.select_for_update().select_related("consumer").filter(pk=claim_id).first()
    staff = getattr(actor, "is_staff", False)
    if claim is None or (not staff and (shop is None or claim.shop_id != shop.pk)):
        raise NotFound()
    if claim.kind != ClaimKind.LOCAL_RETURN:
        raise InvalidState(_("Only a 本地退货 claim waits for its return."))
    if claim.extra.get("return_received_at"):
        return claim  # idempotent repeat
    if claim.status != ClaimStatus.UPHELD:
        raise InvalidState(_("The return can be confirmed once the request is accepted."))
    before = dict(claim.extra)
    claim.extra = {**claim.extra, "return_received_at": timezone.now().isoformat(), "return_note": note[:500]}
    claim.save(update_fields=["extra", "updated_at"])
    payout_start(claim=claim, actor=actor)
    audit(actor=actor, action="claims.local_return_received", obj=claim, before=before, after=claim.extra, note=note)
    return claim
