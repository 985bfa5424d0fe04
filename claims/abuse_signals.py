"""RF-1 fake-info checks, made when a 退货补运费 claim is filed (stored on its waybill row).

- sender: the waybill's sender is not the buyer — the buyer's known phones (or, when no phone
  is known, names) do not include the sender's (identity data from the ``consumer_identities``
  sync section). With no identity data at all nothing is concluded.
- receiver: the receiver address is not the shop's return address for the order's region
  (normalised; the shop's address must appear in what the consumer typed). A shop without an
  address for that region cannot be the receiver.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .abuse_identities import normalise
from .models import ConsumerIdentity, IdentityKind, ReturnFreightWaybill


def sender_differs(*, consumer_id: int, sender_name: str, sender_phone: str) -> bool:
    known: dict[str, set[str]] = {IdentityKind.PHONE: set(), IdentityKind.NAME: set()}
    for kind, value in ConsumerIdentity.objects.filter(
        consumer_id=consumer_id, kind__in=[IdentityKind.PHONE, IdentityKind.NAME]
    ).values_list("kind", "value"):
        known[kind].add(value)
    if known[IdentityKind.PHONE]:
        return normalise(IdentityKind.PHONE, sender_phone) not in known[IdentityKind.PHONE]
    if known[IdentityKind.NAME]:
        return normalise(IdentityKind.NAME, sender_name) not in known[IdentityKind.NAME]
    return False


def receiver_differs(*, receiver_address: str, return_address: dict[str, Any] | None) -> bool:
    if not return_address or not return_address.get("address"):
        return True
    shop_addr = normalise(IdentityKind.ADDRESS, return_address["address"])
    typed = normalise(IdentityKind.ADDRESS, receiver_address)
    return not shop_addr or shop_addr not in typed


def record_waybill(*, claim: Any) -> ReturnFreightWaybill:
    wb = claim.extra["return_waybill"]
    row, _new = ReturnFreightWaybill.objects.get_or_create(
        claim=claim,
        defaults={
            "consumer_id": claim.consumer_id,
            "order_id": claim.order_id,
            "shop_id": claim.shop_id,
            "filed_at": claim.filed_at,
            "tracking_no": wb["tracking_no"],
            "sender_name": wb["sender_name"],
            "sender_phone": wb["sender_phone"],
            "receiver_address": wb["receiver_address"],
            "fee": Decimal(wb["fee"]),
            "sender_mismatch": sender_differs(
                consumer_id=claim.consumer_id, sender_name=wb["sender_name"], sender_phone=wb["sender_phone"]
            ),
            "receiver_mismatch": receiver_differs(
                receiver_address=wb["receiver_address"], return_address=claim.return_address
            ),
        },
    )
    return row
