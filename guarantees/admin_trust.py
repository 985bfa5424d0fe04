"""Reviewer / service-admin screens for 权益中心 and 信任购. Actions call the same services as the API."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from shop.errors import DomainError

from . import services
from .models import ProductOptOut, ReturnAddress, ShopService, TrustGuideShown, TrustRecomputeRun


@admin.register(ShopService)
class ShopServiceAdmin(admin.ModelAdmin):
    list_display = ["shop", "code", "enabled", "changed_by", "changed_at"]
    list_filter = ["code", "enabled", "shop__kind"]
    search_fields = ["shop__code", "shop__name"]
    list_select_related = ["shop", "changed_by"]
    raw_id_fields = ["shop", "changed_by"]
    readonly_fields = ["changed_by", "changed_at"]
    actions = ["turn_on", "turn_off"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # toggles go through the actions (service_toggle: audit, recompute)

    def _toggle(self, request, queryset, enabled: bool) -> None:
        done = 0
        for row in queryset.select_related("shop"):
            try:
                services.service_toggle(shop=row.shop, code=row.code, enabled=enabled, actor=request.user)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{row.shop.code} {row.code}: {exc.message}", messages.ERROR)
        self.message_user(request, _("%(n)d services changed.") % {"n": done})

    @admin.action(description=_("Turn on (recomputes 信任购 labels)"))
    def turn_on(self, request, queryset) -> None:
        self._toggle(request, queryset, True)

    @admin.action(description=_("Turn off (recomputes 信任购 labels)"))
    def turn_off(self, request, queryset) -> None:
        self._toggle(request, queryset, False)


@admin.register(ProductOptOut)
class ProductOptOutAdmin(admin.ModelAdmin):
    list_display = ["product", "code", "created_by", "created_at"]
    list_filter = ["code"]
    search_fields = ["product__code", "product__title", "product__shop__code"]
    list_select_related = ["product", "created_by"]
    raw_id_fields = ["product", "created_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReturnAddress)
class ReturnAddressAdmin(admin.ModelAdmin):
    list_display = ["shop", "region", "name", "phone", "address", "updated_by", "updated_at"]
    list_filter = ["region", "shop__kind"]
    search_fields = ["shop__code", "shop__name", "name", "phone", "address"]
    list_select_related = ["shop", "updated_by"]
    raw_id_fields = ["shop", "updated_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TrustGuideShown)
class TrustGuideShownAdmin(admin.ModelAdmin):
    list_display = ["streamer", "shown_at"]
    list_filter = ["shown_at"]
    search_fields = ["streamer__code", "streamer__name"]
    raw_id_fields = ["streamer"]


@admin.register(TrustRecomputeRun)
class TrustRecomputeRunAdmin(admin.ModelAdmin):
    list_display = ["kind", "started_at", "finished_at", "changed"]
    list_filter = ["kind", "started_at"]
    search_fields = ["kind"]
    readonly_fields = ["kind", "started_at", "finished_at", "changed", "sample_ids"]
    actions = ["run_full_recompute", "run_shop_badges"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Run the full 信任购 label check now (TP-3)"))
    def run_full_recompute(self, request, queryset) -> None:
        run = services.full_recompute_report()
        self.message_user(request, _("%(n)d product labels corrected.") % {"n": run.changed})

    @admin.action(description=_("Recompute shop badges now (TP-6)"))
    def run_shop_badges(self, request, queryset) -> None:
        run = services.shop_badges_refresh()
        self.message_user(request, _("%(n)d shops changed.") % {"n": run.changed})
