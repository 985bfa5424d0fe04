"""SZB-10 SLA and BX-3 deadlines, scanned by a beat job (no long Celery countdowns):

- a claim under review past ``review_due_at`` (48 h) is escalated: flagged and reviewers told;
- past ``inform_due_at`` (72 h) it is flagged as overdue for the consumer;
- a merchant who did not answer by ``answer_due_at`` → the claim goes to platform review;
- reminders (``deadline_near``) before the review, merchant-answer and appeal deadlines.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.audit import audit
from shop.rules import setting

from ..models import Appeal, Claim, ClaimDecision
from ..models import ClaimStatus as S
from .decisions import _start_review
from .notices import reviewers, shop_users, streamer_users, tell


def _flag_overdue(*, now: dt.datetime, due: str, flag: str, dedupe: str, action: str, text: str) -> int:
    """Set ``flag`` on claims under review whose ``due`` time passed; tell reviewers once."""
    ids = list(
        Claim.objects.filter(status=S.UNDER_REVIEW, **{f"{due}__lte": now, f"{flag}__isnull": True}).values_list(
            "pk", flat=True
        )
    )
    if not ids:
        return 0
    marked = Claim.objects.filter(pk__in=ids, **{f"{flag}__isnull": True}).update(**{flag: now})
    for claim in Claim.objects.filter(pk__in=ids):
        tell(
            reviewers(),
            claim=claim,
            kind="claim_escalated",
            text=text % {"id": claim.pk},
            dedupe=f"claim:{claim.pk}:{dedupe}",
        )
        audit(actor=None, action=action, obj=claim, after={due: str(getattr(claim, due))})
    return marked


def sla_scan(*, now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    soon = now + dt.timedelta(hours=int(setting("claims.reminder_hours")))
    out = {"escalated": 0, "flagged": 0, "merchant_timeout": 0, "reminders": 0}

    # Past 48 h: escalate; past 72 h: flag (set-based: only rows whose flag is still empty change).
    out["escalated"] = _flag_overdue(
        now=now,
        due="review_due_at",
        flag="sla_escalated_at",
        dedupe="sla48",
        action="claims.sla_escalated",
        text=_("Claim #%(id)s is past its 48 h review deadline."),
    )
    out["flagged"] = _flag_overdue(
        now=now,
        due="inform_due_at",
        flag="sla_flagged_at",
        dedupe="sla72",
        action="claims.sla_flagged",
        text=_("Claim #%(id)s is past 72 h: the consumer has not been told the result."),
    )
    # Merchant did not answer in time → platform review.
    for pk in Claim.objects.filter(status=S.SUBMITTED, answer_due_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            claim = Claim.objects.select_for_update().get(pk=pk)
            if claim.status != S.SUBMITTED:
                continue
            _start_review(claim=claim, actor=None, note="merchant did not answer in time")
            out["merchant_timeout"] += 1

    # BX-3 reminders.
    for claim in Claim.objects.filter(status=S.UNDER_REVIEW, review_due_at__gt=now, review_due_at__lte=soon):
        out["reminders"] += tell(
            reviewers(),
            claim=claim,
            kind="deadline_near",
            text=_("Claim #%(id)s must be decided by %(at)s.") % _at(claim, claim.review_due_at),
            dedupe=f"claim:{claim.pk}:review-due",
        )
    for claim in Claim.objects.filter(status=S.SUBMITTED, answer_due_at__gt=now, answer_due_at__lte=soon):
        out["reminders"] += tell(
            shop_users(claim.shop_id),
            claim=claim,
            kind="deadline_near",
            text=_("Answer claim #%(id)s by %(at)s.") % _at(claim, claim.answer_due_at),
            dedupe=f"claim:{claim.pk}:answer-due",
        )
    appealed = Appeal.objects.values_list("claim_id", flat=True)
    for claim in Claim.objects.filter(
        decision=ClaimDecision.UPHELD, status__in=[S.UPHELD, S.PAID], appeal_due_at__gt=now, appeal_due_at__lte=soon
    ).exclude(pk__in=appealed):
        out["reminders"] += tell(
            streamer_users(claim.streamer_id),
            claim=claim,
            kind="deadline_near",
            text=_("You may appeal claim #%(id)s until %(at)s.") % _at(claim, claim.appeal_due_at),
            dedupe=f"claim:{claim.pk}:appeal-due",
        )
    return out


def _at(claim: Claim, when: Any) -> dict[str, Any]:
    return {"id": claim.pk, "at": timezone.localtime(when).strftime("%Y-%m-%d %H:%M")}
