"""RF-4: a merchant reports a buyer suspected of 退货补运费 abuse, with evidence; a reviewer
upholds or rejects it; an upheld report blocks that buyer from ordering at that shop (order
intake raises ``BuyerBlocked`` → sync item error ``buyer_blocked``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.engine.errors import EvidenceRequired
from shop.audit import audit
from shop.errors import BuyerBlocked, InvalidState, NotFound, ValidationFailed, domain_error
from shop.models import Consumer, Order, Shop
from shop.notify import notify
from shop.uploads import uploads_owned

from .models import AbuseReport, AbuseReportEvent, AbuseReportStatus, ShopBuyerBlock

P, U, X = AbuseReportStatus.PENDING, AbuseReportStatus.UPHELD, AbuseReportStatus.REJECTED
TRANSITIONS = {(P, U), (P, X)}
MAX_EVIDENCE = 9

ReportExists = domain_error(
    "report_exists", 409, _("A report on this buyer is already pending, or the buyer is already blocked.")
)


def _report_transition(*, report: AbuseReport, to: str, actor: Any, note: str = "") -> AbuseReportEvent:
    """The one function that changes a report's status (row locked by the caller)."""
    if (report.status, to) not in TRANSITIONS:
        raise InvalidState(_("The report is already %(status)s.") % {"status": report.status})
    before = report.status
    report.status = to
    report.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    report.decided_at = timezone.now()
    report.decision_note = note[:4000]
    report.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return AbuseReportEvent.objects.create(
        report=report, from_status=before, to_status=to, actor=report.decided_by, note=note[:4000]
    )


def abuse_reviewers() -> Any:
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(Q(groups__name="abuse_reviewers") | Q(profile__role="reviewer") | Q(is_superuser=True))
        .distinct()
    )


@transaction.atomic
def report_file(*, shop: Shop, user: Any, consumer_code: str, reason: str, evidence: list[Any]) -> AbuseReport:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(errors={"reason": [_("Describe what the buyer did.")]})
    if not evidence:
        raise EvidenceRequired(_("Attach at least one piece of evidence (screenshots, waybills)."))
    if len(evidence) > MAX_EVIDENCE:
        raise ValidationFailed(errors={"evidence": [_("At most %(n)s images.") % {"n": MAX_EVIDENCE}]})
    uploads = uploads_owned(owner=user, ids=evidence)
    consumer = Consumer.objects.filter(code=consumer_code).first()
    # A shop may only report its own buyers (and learns nothing about other consumers).
    if consumer is None or not Order.objects.filter(shop=shop, consumer=consumer).exists():
        raise ValidationFailed(errors={"consumer": [_("No buyer with this code has ordered at your shop.")]})
    if ShopBuyerBlock.objects.filter(shop=shop, consumer=consumer).exists():
        raise ReportExists(_("This buyer is already blocked at your shop."))
    try:
        with transaction.atomic():
            report = AbuseReport.objects.create(shop=shop, consumer=consumer, reason=reason[:4000], reported_by=user)
    except IntegrityError:
        raise ReportExists(_("A report on this buyer is already pending.")) from None
    report.evidence.set(uploads)
    AbuseReportEvent.objects.create(report=report, from_status="", to_status=P, actor=user, note=reason[:4000])
    notify(
        users=abuse_reviewers(),
        kind="abuse_report_filed",
        text=_("Shop %(shop)s reported buyer %(consumer)s for 退货补运费 abuse.")
        % {"shop": shop.name, "consumer": consumer.code},
        link=f"/admin/claims/abusereport/{report.pk}/change/",
        dedupe_key=f"abuse-report-{report.pk}",
    )
    return report


@transaction.atomic
def report_decide(*, report_id: int, reviewer: Any, upheld: bool, note: str = "") -> AbuseReport:
    report = AbuseReport.objects.select_for_update().filter(pk=report_id).first()
    if report is None:
        raise NotFound()
    before = report.status
    _report_transition(report=report, to=U if upheld else X, actor=reviewer, note=note)
    if upheld:
        ShopBuyerBlock.objects.get_or_create(
            shop_id=report.shop_id, consumer_id=report.consumer_id, defaults={"report": report}
        )
    audit(
        actor=reviewer,
        action="abuse_report.decide",
        obj=report,
        before={"status": before},
        after={"status": report.status},
        note=note,
    )
    notify(
        users=get_user_model().objects.filter(shop_member__shop_id=report.shop_id, is_active=True),
        kind="abuse_report_decided",
        text=(
            _("Your report on buyer %(c)s was upheld: the buyer can no longer order at your shop.")
            if upheld
            else _("Your report on buyer %(c)s was rejected.")
        )
        % {"c": report.consumer.code},
        link=f"/claims/abuse-reports/{report.pk}/",
        dedupe_key=f"abuse-report-decided-{report.pk}",
    )
    return report


def buyer_block_check(*, order_values: dict) -> None:
    """shop.hooks.order_intake_checks: RF-4 — a blocked buyer cannot order at that shop."""
    shop, consumer = order_values.get("shop"), order_values.get("consumer")
    if shop is None or consumer is None:
        return
    if ShopBuyerBlock.objects.filter(shop=shop, consumer=consumer).exists():
        raise BuyerBlocked()
