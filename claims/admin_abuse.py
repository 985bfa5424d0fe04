"""Reviewer screens for 退货补运费 abuse (RF-1…RF-4) and evidence fingerprints (BX-5).

Scores come with their evidence trail (every claim and order behind them); measures and report
decisions are admin actions calling the same services as the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from shop.errors import DomainError
from shop.rules import setting

from . import abuse_measures, abuse_reports
from .abuse_scoring import TrailItem, group_member_ids, trail_for_consumer, trail_for_group
from .models import (
    AbuseReport,
    AbuseReportEvent,
    ClaimWithReusedEvidence,
    ConsumerIdentity,
    ConsumerRisk,
    EvidenceFingerprint,
    FingerprintMatch,
    LinkedGroup,
    ReturnFreightStanding,
    ReturnFreightStandingEvent,
    ReturnFreightWaybill,
    ShopBuyerBlock,
)


class NoteActionForm(ActionForm):
    note = forms.CharField(label=_("Note"), required=False)


def _trail_html(items: list[TrailItem]) -> str:
    if not items:
        return "—"
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                t.signal,
                t.consumer_id,
                format_html('<a href="/admin/claims/claim/{}/change/">#{}</a>', t.claim_id, t.claim_id)
                if t.claim_id
                else "",
                format_html('<a href="/admin/shop/order/{}/change/">{}</a>', t.order_id, t.order_id)
                if t.order_id
                else "",
                f"{t.at:%Y-%m-%d %H:%M} {t.detail}" if t.at else t.detail,
            )
            for t in items
        ),
    )
    return format_html(
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
        "<tbody>{}</tbody></table>",
        _("signal"),
        _("consumer"),
        _("claim"),
        _("order"),
        _("detail"),
        rows,
    )


def _measure(action: str, label: str):
    def run(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
        note = request.POST.get("note", "")
        done = 0
        for obj in queryset.select_related("consumer"):
            try:
                abuse_measures.standing_transition(
                    consumer_code=obj.consumer.code, action=action, actor=request.user, note=note
                )
                done += 1
            except DomainError as exc:
                messages.error(request, f"{obj.consumer.code}: {exc.message}")
        if done:
            messages.success(request, _("%(n)d consumer(s) updated.") % {"n": done})

    run.__name__ = f"rf_{action}"
    return admin.action(description=label)(run)


RF_ACTIONS = [
    _measure("freeze", _("Freeze 退货补运费 pending credit review (RF-3)")),
    _measure("unfreeze", _("Unfreeze 退货补运费")),
    _measure("revoke", _("Revoke 退货补运费 permanently (RF-3)")),
    _measure("legal_referral", _("Mark for legal referral (RF-3)")),
]


class ReviewScoreFilter(admin.SimpleListFilter):
    title = _("needs review")
    parameter_name = "review"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list:
        return [("yes", _("Score at or above the review threshold"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(score__gte=int(setting("rf.review_score")))
        return queryset


@admin.register(ConsumerRisk)
class ConsumerRiskAdmin(admin.ModelAdmin):
    list_display = [
        "consumer",
        "score",
        "rf_claims",
        "orders",
        "fake_sender",
        "fake_receiver",
        "dup_waybill",
        "fingerprint",
        "group_key",
        "group_size",
        "standing",
        "scored_at",
    ]
    list_filter = [ReviewScoreFilter, "consumer__rf_standing__status", "consumer__rf_standing__legal_referral"]
    search_fields = ["consumer__code"]
    ordering = ["-score"]
    list_select_related = ["consumer", "consumer__rf_standing"]
    readonly_fields = [f.name for f in ConsumerRisk._meta.fields] + ["evidence_trail"]
    actions = RF_ACTIONS
    action_form = NoteActionForm

    @admin.display(description=_("benefit"))
    def standing(self, obj: ConsumerRisk) -> str:
        st = getattr(obj.consumer, "rf_standing", None)
        return st.get_status_display() if st else _("Active")

    @admin.display(description=_("evidence trail (RF-2)"))
    def evidence_trail(self, obj: ConsumerRisk) -> str:
        return _trail_html(trail_for_consumer(obj))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LinkedGroup)
class LinkedGroupAdmin(admin.ModelAdmin):
    list_display = [
        "key",
        "size",
        "score",
        "rf_claims",
        "orders",
        "fake_sender",
        "fake_receiver",
        "dup_waybill",
        "fingerprint",
        "scored_at",
    ]
    list_filter = [ReviewScoreFilter]
    search_fields = ["key"]
    readonly_fields = [f.name for f in LinkedGroup._meta.fields] + ["members", "evidence_trail"]

    @admin.display(description=_("members"))
    def members(self, obj: LinkedGroup) -> str:
        ids = group_member_ids(obj.key)
        return format_html_join(", ", '<a href="/admin/claims/consumerrisk/{}/change/">{}</a>', ((i, i) for i in ids))

    @admin.display(description=_("evidence trail (RF-2)"))
    def evidence_trail(self, obj: LinkedGroup) -> str:
        return _trail_html(trail_for_group(obj))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ConsumerIdentity)
class ConsumerIdentityAdmin(admin.ModelAdmin):
    list_display = ["consumer", "kind", "value", "label", "first_seen_at"]
    list_filter = ["kind"]
    search_fields = ["consumer__code", "value"]
    list_select_related = ["consumer"]
    readonly_fields = ["label", "first_seen_at"]


@admin.register(ReturnFreightWaybill)
class ReturnFreightWaybillAdmin(admin.ModelAdmin):
    list_display = ["claim", "consumer", "tracking_no", "fee", "sender_mismatch", "receiver_mismatch", "filed_at"]
    list_filter = ["sender_mismatch", "receiver_mismatch"]
    search_fields = ["tracking_no", "consumer__code", "sender_phone", "sender_name"]
    list_select_related = ["consumer", "claim"]
    readonly_fields = [f.name for f in ReturnFreightWaybill._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class StandingEventInline(admin.TabularInline):
    model = ReturnFreightStandingEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "action", "from_status", "to_status", "actor", "note"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ReturnFreightStanding)
class ReturnFreightStandingAdmin(admin.ModelAdmin):
    list_display = ["consumer", "status", "legal_referral", "updated_at"]
    list_filter = ["status", "legal_referral"]
    search_fields = ["consumer__code", "note"]
    list_select_related = ["consumer"]
    readonly_fields = ["consumer", "status", "legal_referral", "note", "updated_at"]
    inlines = [StandingEventInline]
    actions = RF_ACTIONS
    action_form = NoteActionForm

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class ReportEventInline(admin.TabularInline):
    model = AbuseReportEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "from_status", "to_status", "actor", "note"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _decide(upheld: bool, label: str):
    def run(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
        note = request.POST.get("note", "")
        for report in queryset:
            try:
                abuse_reports.report_decide(report_id=report.pk, reviewer=request.user, upheld=upheld, note=note)
            except DomainError as exc:
                messages.error(request, f"#{report.pk}: {exc.message}")
            else:
                messages.success(request, f"#{report.pk}: {label}")

    run.__name__ = "uphold" if upheld else "reject"
    return admin.action(description=label)(run)


@admin.register(AbuseReport)
class AbuseReportAdmin(admin.ModelAdmin):
    list_display = ["id", "shop", "consumer", "status", "created_at", "decided_at", "consumer_score"]
    list_filter = ["status", "created_at"]
    search_fields = ["consumer__code", "shop__code", "reason"]
    list_select_related = ["shop", "consumer"]
    readonly_fields = [
        "shop",
        "consumer",
        "reason",
        "evidence_preview",
        "status",
        "reported_by",
        "created_at",
        "decided_by",
        "decided_at",
        "decision_note",
    ]
    exclude = ["evidence"]
    inlines = [ReportEventInline]
    actions = [_decide(True, _("Uphold: block the buyer at that shop (RF-4)")), _decide(False, _("Reject"))]
    action_form = NoteActionForm

    @admin.display(description=_("evidence"))
    def evidence_preview(self, obj: AbuseReport) -> str:
        return format_html_join(
            " ",
            '<a href="/files/{}/" target="_blank"><img src="/files/{}/" style="max-height:120px"></a>',
            ((u.pk, u.pk) for u in obj.evidence.all()),
        )

    @admin.display(description=_("buyer's abuse score"))
    def consumer_score(self, obj: AbuseReport) -> int:
        risk = ConsumerRisk.objects.filter(consumer_id=obj.consumer_id).values_list("score", flat=True).first()
        return risk or 0

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ShopBuyerBlock)
class ShopBuyerBlockAdmin(admin.ModelAdmin):
    list_display = ["shop", "consumer", "report", "created_at"]
    search_fields = ["shop__code", "consumer__code"]
    list_filter = ["created_at"]
    list_select_related = ["shop", "consumer"]
    readonly_fields = ["shop", "consumer", "report", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(EvidenceFingerprint)
class EvidenceFingerprintAdmin(admin.ModelAdmin):
    list_display = ["claim", "upload", "consumer", "phash", "created_at"]
    search_fields = ["phash", "consumer__code"]
    list_filter = ["created_at"]
    readonly_fields = [f.name for f in EvidenceFingerprint._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(FingerprintMatch)
class FingerprintMatchAdmin(admin.ModelAdmin):
    list_display = ["claim", "other_claim", "distance", "cross_account", "detected_at"]
    list_filter = ["cross_account", "distance", "detected_at"]
    search_fields = ["fingerprint__phash", "claim__order__code", "other_claim__order__code"]
    readonly_fields = [f.name for f in FingerprintMatch._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class CrossAccountFilter(admin.SimpleListFilter):
    title = _("reused across accounts")
    parameter_name = "cross"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list:
        return [("yes", _("Yes")), ("no", _("Only by the same account"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        cross = FingerprintMatch.objects.filter(claim_id=OuterRef("pk"), cross_account=True)
        if self.value() == "yes":
            return queryset.filter(Exists(cross))
        if self.value() == "no":
            return queryset.exclude(Exists(cross))
        return queryset


@admin.register(ClaimWithReusedEvidence)
class ClaimWithReusedEvidenceAdmin(admin.ModelAdmin):
    """BX-5: every claim with an evidence image seen on another claim, for reviewers."""

    list_display = ["id", "kind", "status", "consumer", "shop", "filed_at", "reused_on"]
    list_filter = [CrossAccountFilter, "kind", "status"]
    search_fields = ["order__code", "consumer__code"]
    list_select_related = ["consumer", "shop"]
    readonly_fields = ["kind", "status", "order", "consumer", "shop", "amount", "filed_at", "reused_on"]
    fields = readonly_fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).filter(Exists(FingerprintMatch.objects.filter(claim_id=OuterRef("pk"))))

    @admin.display(description=_("same image on"))
    def reused_on(self, obj: Any) -> str:
        return format_html_join(
            ", ",
            '<a href="/admin/claims/claim/{}/change/">#{}</a> (d={}{})',
            (
                (
                    m.other_claim_id,
                    m.other_claim_id,
                    m.distance,
                    ", " + str(_("other account")) if m.cross_account else "",
                )
                for m in FingerprintMatch.objects.filter(claim_id=obj.pk)
            ),
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
