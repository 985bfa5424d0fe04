"""Reviewer screens for the claim engine: the claim queue (oldest first, SLA countdown,
filters, image previews, decision actions calling the same services as the API), appeals,
blocked payouts (BX-6), violations, and the read-only ledger."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from shop.admin import ViewOnlyMixin
from shop.errors import DomainError

from . import engine, ledger
from .models import (
    Account,
    Appeal,
    Claim,
    ClaimEvent,
    ClaimEvidence,
    Hold,
    LedgerEntry,
    LedgerTransaction,
    Payout,
    PayoutEvent,
    Violation,
)
from .policies.base import SZB_REFUSAL_GROUNDS

GROUND_CHOICES = [("", "—")] + [
    (g, g)
    for g in dict.fromkeys(
        [
            *SZB_REFUSAL_GROUNDS,
            "consumer_is_brand_owner",
            "consumer_induced",
            "not_personal_consumption",
            "item_swapped",
            "insufficient_evidence",
        ]
    )
]


class DecisionActionForm(ActionForm):
    reason_code = forms.ChoiceField(label=_("Refusal ground (SZB-14 / GP-2)"), choices=GROUND_CHOICES, required=False)
    note = forms.CharField(label=_("Note"), required=False)


def countdown(due: Any) -> str:
    if due is None:
        return "—"
    delta = due - timezone.now()
    secs = int(delta.total_seconds())
    sign = "" if secs >= 0 else "-"
    secs = abs(secs)
    return f"{sign}{secs // 3600}h{(secs % 3600) // 60:02d}m"


class EvidenceInline(admin.TabularInline):
    model = ClaimEvidence
    extra = 0
    can_delete = False
    fields = ["kind", "preview"]
    readonly_fields = ["kind", "preview"]

    @admin.display(description=_("Image"))
    def preview(self, obj: ClaimEvidence) -> str:
        return format_html(
            '<a href="/files/{0}/" target="_blank" rel="noopener"><img src="/files/{0}/" alt="" '
            'style="max-height:120px;max-width:160px"></a>',
            obj.upload_id,
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventInline(admin.TabularInline):
    model = ClaimEvent
    extra = 0
    can_delete = False
    fields = ["at", "event", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SlaFilter(admin.SimpleListFilter):
    title = _("SLA")
    parameter_name = "sla"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("past48", _("Past 48 h (escalated)")),
            ("past72", _("Past 72 h (flagged)")),
            ("due24", _("Due in 24 h")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "past48":
            return queryset.filter(sla_escalated_at__isnull=False)
        if self.value() == "past72":
            return queryset.filter(sla_flagged_at__isnull=False)
        if self.value() == "due24":
            now = timezone.now()
            return queryset.filter(status="under_review", review_due_at__lte=now + timezone.timedelta(hours=24))
        return queryset


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "kind",
        "order",
        "status",
        "type",
        "amount",
        "filed_at",
        "review_countdown",
        "sla_escalated_at",
        "sla_flagged_at",
        "decision",
    ]
    list_filter = ["status", "kind", SlaFilter, "decision", "payer", "type"]
    search_fields = ["order__code", "consumer__code", "streamer__code", "shop__code", "reason"]
    ordering = ["filed_at", "id"]  # oldest first (SZB-10 queue)
    list_select_related = ["order"]
    date_hierarchy = "filed_at"
    inlines = [EvidenceInline, EventInline]
    action_form = DecisionActionForm
    actions = ["uphold_claims", "uphold_merchant_at_fault", "reject_claims"]
    readonly_fields = [f.name for f in Claim._meta.fields] + ["review_countdown", "payout_summary"]

    @admin.display(description=_("Review due in"))
    def review_countdown(self, obj: Claim) -> str:
        if obj.status != "under_review":
            return "—"
        return f"{countdown(obj.review_due_at)} ({timezone.localtime(obj.review_due_at):%Y-%m-%d %H:%M})"

    @admin.display(description=_("Payout"))
    def payout_summary(self, obj: Claim) -> str:
        p = Payout.objects.filter(claim=obj).first()
        if p is None:
            return "—"
        return format_html_join(
            "",
            "<div>{} · {} · {}</div>",
            ((e.at.strftime("%Y-%m-%d %H:%M"), e.step, e.amount or "") for e in p.events.all()),
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _decide(self, request: HttpRequest, queryset: QuerySet, **kwargs: Any) -> None:
        done = 0
        for pk in queryset.values_list("pk", flat=True):
            try:
                engine.claim_decide(claim_id=pk, reviewer=request.user, note=request.POST.get("note", ""), **kwargs)
                done += 1
            except DomainError as exc:
                errors = getattr(exc, "extra", {}).get("errors")
                self.message_user(request, f"#{pk}: {exc.message} {errors or ''}", messages.ERROR)
        if done:
            self.message_user(request, _("%(n)s claim(s) decided.") % {"n": done}, messages.SUCCESS)

    @admin.action(description=_("Uphold (streamer / payer pays)"))
    def uphold_claims(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(request, queryset, upheld=True)

    @admin.action(description=_("Uphold — merchant at fault (实在宝: close, no payout)"))
    def uphold_merchant_at_fault(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(request, queryset, upheld=True, merchant_at_fault=True)

    @admin.action(description=_("Reject with the selected ground"))
    def reject_claims(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(request, queryset, upheld=False, reason_code=request.POST.get("reason_code", ""))


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ["id", "claim", "streamer", "status", "filed_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["claim__order__code", "streamer__code", "reason"]
    ordering = ["filed_at"]
    readonly_fields = [
        "claim",
        "streamer",
        "reason",
        "status",
        "filed_at",
        "filed_by",
        "decided_at",
        "decided_by",
        "note",
    ]
    actions = ["uphold_appeals", "reject_appeals"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _decide(self, request: HttpRequest, queryset: QuerySet, upheld: bool) -> None:
        for pk in queryset.values_list("pk", flat=True):
            try:
                engine.appeal_decide(appeal_id=pk, reviewer=request.user, upheld=upheld)
            except DomainError as exc:
                self.message_user(request, f"#{pk}: {exc.message}", messages.ERROR)

    @admin.action(description=_("Uphold appeal (revoke violation, refund streamer)"))
    def uphold_appeals(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(request, queryset, True)

    @admin.action(description=_("Reject appeal"))
    def reject_appeals(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(request, queryset, False)


class PayoutEventInline(admin.TabularInline):
    model = PayoutEvent
    extra = 0
    can_delete = False
    fields = ["at", "step", "from_status", "to_status", "amount", "actor", "note"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Payout)
class PayoutAdmin(admin.ModelAdmin):
    list_display = ["id", "claim", "amount", "destination", "status", "settle_after", "settled_at", "attempts"]
    list_filter = ["status", "destination"]
    search_fields = ["claim__order__code", "last_error"]
    readonly_fields = [f.name for f in Payout._meta.fields]
    inlines = [PayoutEventInline]
    actions = ["retry_payouts", "redirect_to_wallet"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _run(self, request: HttpRequest, queryset: QuerySet, fn: Any) -> None:
        for pk in queryset.values_list("pk", flat=True):
            try:
                fn(payout_id=pk, actor=request.user)
            except DomainError as exc:
                self.message_user(request, f"#{pk}: {exc.message}", messages.ERROR)

    @admin.action(description=_("Retry blocked payout on the original path (BX-6)"))
    def retry_payouts(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._run(request, queryset, engine.payout_retry)

    @admin.action(description=_("Pay blocked payout into the consumer's wallet (BX-6)"))
    def redirect_to_wallet(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._run(request, queryset, engine.payout_redirect_to_wallet)


@admin.register(Violation)
class ViolationAdmin(admin.ModelAdmin):
    list_display = ["id", "streamer", "claim", "kind", "recorded_at", "revoked_at"]
    list_filter = ["kind", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["streamer__code", "claim__order__code"]
    readonly_fields = ["streamer", "claim", "kind", "recorded_at", "revoked_at", "revoked_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(ViewOnlyMixin, admin.ModelAdmin):
    pass


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["code", "kind", "current_balance", "current_held"]
    list_filter = ["kind"]
    search_fields = ["code"]

    @admin.display(description=_("Balance"))
    def current_balance(self, obj: Account) -> Any:
        return ledger.balance(obj)

    @admin.display(description=_("Held"))
    def current_held(self, obj: Account) -> Any:
        return ledger.held(obj)


class EntryInline(admin.TabularInline):
    model = LedgerEntry
    extra = 0
    can_delete = False
    fields = ["account", "amount", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LedgerTransaction)
class LedgerTransactionAdmin(ReadOnlyAdmin):
    list_display = ["id", "key", "memo", "claim", "created_at"]
    list_filter = [("reverses", admin.EmptyFieldListFilter)]
    search_fields = ["key", "memo"]
    inlines = [EntryInline]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "transaction", "account", "amount", "created_at"]
    list_filter = ["account__kind"]
    search_fields = ["account__code", "transaction__key"]


@admin.register(Hold)
class HoldAdmin(ReadOnlyAdmin):
    list_display = ["key", "account", "amount", "status", "created_at", "resolved_at"]
    list_filter = ["status"]
    search_fields = ["key", "account__code"]
