"""Reviewer screens for 巨量星图: advertisers' certification (record a transfer, unlock a
locked bank check) and the platform video review (approve / reject with a reason). Admin
actions call the same services as the API."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.errors import DomainError

from . import services
from .constants import OrderStatus
from .models import (
    Advertiser,
    AdvertiserEvent,
    CreatorOrder,
    CreatorOrderEvent,
    CreatorProfile,
    CreatorSelection,
    Deliverable,
    Task,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class AdvertiserEventInline(ReadOnlyInline):
    model = AdvertiserEvent
    fields = ["at", "actor", "action", "from_status", "to_status", "note"]
    readonly_fields = fields


@admin.register(Advertiser)
class AdvertiserAdmin(admin.ModelAdmin):
    list_display = ["shop", "bank_status", "attempts", "transfer_sent_at", "agreement_version", "agreement_signed_at"]
    list_filter = ["bank_status", "agreement_version"]
    search_fields = ["shop__code", "shop__name", "company_name"]
    readonly_fields = [
        "shop",
        "bank_status",
        "company_name",
        "bank_name",
        "account_number",
        "transfer_sent_at",
        "attempts",
        "bank_verified_at",
        "agreement_version",
        "agreement_signed_at",
        "agreement_ip",
        "agreement_signed_by",
    ]
    exclude = ["transfer_digest", "transfer_nonce"]
    inlines = [AdvertiserEventInline]
    actions = ["record_transfer", "unlock_bank_check"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("XT-1: record a random small transfer to the company account"))
    def record_transfer(self, request, queryset) -> None:
        for adv in queryset:
            try:
                amount = services.bank_transfer_record(advertiser_id=adv.pk, actor=request.user)
            except DomainError as exc:
                self.message_user(request, f"{adv}: {exc.message}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(adv)s: send ¥%(amount)s to %(acct)s (shown once; only a hash is kept).")
                    % {"adv": adv, "amount": f"{amount:.2f}", "acct": adv.account_number},
                    messages.WARNING,
                )

    @admin.action(description=_("XT-1: unlock a locked bank check"))
    def unlock_bank_check(self, request, queryset) -> None:
        for adv in queryset:
            try:
                services.bank_check_unlock(advertiser_id=adv.pk, actor=request.user, note="admin")
            except DomainError as exc:
                self.message_user(request, f"{adv}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, _("%(adv)s unlocked: record a new transfer.") % {"adv": adv})


@admin.register(CreatorProfile)
class CreatorProfileAdmin(admin.ModelAdmin):
    list_display = ["streamer", "kind", "listed", "price_short", "price_long"]
    list_filter = ["kind", "listed"]
    search_fields = ["streamer__code", "streamer__name", "bio"]
    raw_id_fields = ["streamer"]


@admin.register(CreatorSelection)
class CreatorSelectionAdmin(admin.ModelAdmin):
    list_display = ["advertiser", "streamer", "added_at"]
    list_filter = ["added_at"]
    search_fields = ["advertiser__shop__code", "streamer__code"]
    raw_id_fields = ["advertiser", "streamer"]


class OrderLineInline(ReadOnlyInline):
    model = CreatorOrder
    fields = ["streamer", "price", "status", "due_at", "rating"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "title",
        "advertiser",
        "task_type",
        "video_duration",
        "settlement",
        "total_amount",
        "created_at",
    ]
    list_filter = ["task_type", "video_duration", "settlement", "created_at"]
    search_fields = ["title", "product_name", "brand", "advertiser__shop__code"]
    readonly_fields = [f.name for f in Task._meta.fields]
    inlines = [OrderLineInline]

    def has_add_permission(self, request) -> bool:
        return False


class DeliverableInline(ReadOnlyInline):
    model = Deliverable
    fields = ["kind", "round", "text", "link", "cover", "submitted_at", "verdict", "comments", "decided_by"]
    readonly_fields = fields


class OrderEventInline(ReadOnlyInline):
    model = CreatorOrderEvent
    fields = ["at", "actor", "action", "from_status", "to_status", "note"]
    readonly_fields = fields


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason shown to the creator"), widget=forms.Textarea(attrs={"rows": 3}))


class AwaitingReviewFilter(admin.SimpleListFilter):
    title = _("platform review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("waiting", _("Video awaiting platform review")), ("overdue", _("Overdue steps"))]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.filter(status=OrderStatus.VIDEO_PLATFORM_REVIEW)
        if self.value() == "overdue":
            return queryset.filter(due_at__lt=timezone.now())
        return queryset


@admin.register(CreatorOrder)
class CreatorOrderAdmin(admin.ModelAdmin):
    list_display = ["id", "task", "streamer", "status", "due_at", "countdown", "script_rejections", "video_rejections"]
    list_filter = [AwaitingReviewFilter, "status"]
    search_fields = ["task__title", "streamer__code", "streamer__name", "task__advertiser__shop__code"]
    readonly_fields = [f.name for f in CreatorOrder._meta.fields]
    inlines = [DeliverableInline, OrderEventInline]
    actions = ["approve_video", "reject_video"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("time left"))
    def countdown(self, obj: CreatorOrder) -> str:
        if obj.due_at is None:
            return "—"
        delta = obj.due_at - timezone.now()
        hours = int(delta.total_seconds() // 3600)
        return _("overdue %(h)sh") % {"h": -hours} if hours < 0 else _("%(h)sh") % {"h": hours}

    @admin.action(description=_("XT-3: approve the video (platform review)"))
    def approve_video(self, request, queryset) -> None:
        done = 0
        for order in queryset:
            try:
                services.video_platform_decide(order_id=order.pk, actor=request.user, approved=True)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"#{order.pk}: {exc.message}", messages.ERROR)
        if done:
            self.message_user(request, _("%(n)s video(s) approved.") % {"n": done})

    @admin.action(description=_("XT-3: reject the video (platform review)…"))
    def reject_video(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done = 0
            for order in queryset:
                try:
                    services.video_platform_decide(
                        order_id=order.pk, actor=request.user, approved=False, reason=form.cleaned_data["reason"]
                    )
                    done += 1
                except DomainError as exc:
                    self.message_user(request, f"#{order.pk}: {exc.message}", messages.ERROR)
            if done:
                self.message_user(request, _("%(n)s video(s) sent back.") % {"n": done})
            return None
        return render(
            request,
            "campaigns/admin_video_reject.html",
            {**self.admin_site.each_context(request), "orders": queryset, "form": form, "opts": self.model._meta},
        )


@admin.register(CreatorOrderEvent)
class CreatorOrderEventAdmin(admin.ModelAdmin):
    list_display = ["order", "at", "actor", "action", "from_status", "to_status"]
    list_filter = ["action", "to_status"]
    search_fields = ["order__id", "note", "actor__username"]
    readonly_fields = ["order", "at", "actor", "action", "from_status", "to_status", "note"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
