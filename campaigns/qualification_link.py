"""XT-1 qualification step, delegated to the qualifications app (QL-1/QL-2 review).

An advertiser is certified on this front when its shop holds an approved, in-force
qualification of the enterprise type ``business_license`` (class 企业资质). Submission goes
through ``qualifications.services.qualification_submit`` so the same automatic checks and
reviewer decision (Django admin / review API) apply; nothing is copied here.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from shop.errors import ValidationFailed

BUSINESS_LICENSE = "business_license"


def _qualifications(shop: Any) -> Any:
    from qualifications.models import Qualification

    return Qualification.objects.filter(shop=shop, type__code=BUSINESS_LICENSE)


def qualification_state(shop: Any) -> dict[str, Any]:
    """``{"done", "status", "id"}``: done while an in-force one exists; otherwise the newest."""
    qs = _qualifications(shop)
    in_force = qs.filter(in_force=True).order_by("-updated_at", "-id").first()
    if in_force is not None:
        return {"done": True, "status": in_force.status, "id": in_force.pk}
    newest = qs.order_by("-created_at", "-id").first()
    if newest is None:
        return {"done": False, "status": None, "id": None}
    return {"done": False, "status": newest.status, "id": newest.pk}


def qualification_submit(*, shop: Any, actor: Any, fields: dict[str, Any], images: list[int]) -> Any:
    from qualifications import services as qualification_services
    from qualifications.models import QualificationType

    qtype = QualificationType.objects.filter(code=BUSINESS_LICENSE, active=True).first()
    if qtype is None:
        raise ValidationFailed(
            errors={"type": [_("The platform has not set up the business licence qualification type yet.")]}
        )
    return qualification_services.qualification_submit(
        actor=actor, qtype=qtype, values=fields, images=images, shop=shop
    )
