from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import models
from .rules import REGISTRY, invalidate


class ViewOnlyMixin:
    """A model admin that shows rows and never adds, changes or deletes them (ledger, event
    logs, computed states): the app's services are their only writers."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Platform facts are owned upstream (sync API); admin shows them read-only."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.Shop)
class ShopAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "experience_score", "level", "main_industry", "trust_badge_shown"]
    list_filter = ["kind", "level", "trust_badge_shown"]
    search_fields = ["code", "name"]


@admin.register(models.ShopMember)
class ShopMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "shop", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "shop__code", "shop__name"]
    raw_id_fields = ["user", "shop"]


@admin.register(models.Streamer)
class StreamerAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "fans", "experience_score", "level", "main_industry"]
    list_filter = ["level", "main_industry"]
    search_fields = ["code", "name"]


@admin.register(models.Consumer)
class ConsumerAdmin(ReadOnlyAdmin):
    list_display = ["code", "wallet_enabled", "risk"]
    list_filter = ["wallet_enabled", "risk"]
    search_fields = ["code"]


@admin.register(models.Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "streamer", "consumer"]
    list_filter = ["role"]
    search_fields = ["user__username", "streamer__code", "consumer__code"]
    raw_id_fields = ["user", "streamer", "consumer"]


@admin.register(models.Category)
class CategoryAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "parent", "szb_excluded", "requires_return_freight", "damage_window_hours"]
    list_filter = ["szb_excluded", "requires_return_freight", "damage_window_hours"]
    search_fields = ["code", "name"]


@admin.register(models.Product)
class ProductAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "shop", "category", "price", "source", "trust_label", "on_sale"]
    list_filter = ["source", "trust_label", "on_sale", "flash_sale", "shop__kind"]
    search_fields = ["code", "title", "shop__code"]
    list_select_related = ["shop", "category"]
    raw_id_fields = ["shop", "category"]


class CartItemInline(admin.TabularInline):
    model = models.CartItem
    raw_id_fields = ["product"]
    extra = 0


@admin.register(models.LiveSession)
class LiveSessionAdmin(ReadOnlyAdmin):
    list_display = ["code", "streamer", "started_at", "ended_at", "trust_only"]
    list_filter = ["trust_only"]
    search_fields = ["code", "streamer__code"]
    inlines = [CartItemInline]
    raw_id_fields = ["streamer"]


class OrderEventInline(admin.TabularInline):
    model = models.OrderEvent
    extra = 0
    readonly_fields = ["type", "at", "recorded_at"]


@admin.register(models.Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = [
        "code",
        "shop",
        "consumer",
        "streamer",
        "paid_amount",
        "region",
        "placed_at",
        "shipped_at",
        "shizaibao_covered",
        "trust_label",
    ]
    list_filter = ["region", "shizaibao_covered", "trust_label"]
    search_fields = ["code", "shop__code", "consumer__code", "streamer__code"]
    date_hierarchy = "placed_at"
    list_select_related = ["shop", "consumer", "streamer"]
    raw_id_fields = ["consumer", "shop", "product", "live_session", "streamer"]
    inlines = [OrderEventInline]


@admin.register(models.Upload)
class UploadAdmin(admin.ModelAdmin):
    list_display = ["id", "owner", "original_name", "content_type", "width", "height", "phash", "created_at"]
    list_filter = ["content_type"]
    search_fields = ["original_name", "sha256", "phash", "owner__username"]
    readonly_fields = [f.name for f in models.Upload._meta.fields]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "kind", "text", "read"]
    list_filter = ["kind", "read"]
    search_fields = ["user__username", "text"]
    raw_id_fields = ["user"]


@admin.register(models.AuditLog)
class AuditLogAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "actor__username", "note"]
    readonly_fields = ["at", "actor", "action", "object_type", "object_id", "before", "after", "note"]


@admin.register(models.RuleSetting)
class RuleSettingAdmin(admin.ModelAdmin):
    list_display = ["key", "value", "rule", "default", "updated_at"]
    search_fields = ["key", "description"]

    @admin.display(description=_("rule"))
    def rule(self, obj: models.RuleSetting) -> str:
        spec = REGISTRY.get(obj.key)
        return spec.rule if spec else "?"

    @admin.display(description=_("SPEC default"))
    def default(self, obj: models.RuleSetting) -> str:
        spec = REGISTRY.get(obj.key)
        return str(spec.default) if spec else "?"

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        invalidate(obj.key)


@admin.register(models.OutboxMessage)
class OutboxAdmin(admin.ModelAdmin):
    list_display = ["id", "task", "created_at", "sent_at", "attempts", "last_error"]
    list_filter = ["task"]
    search_fields = ["task", "dedupe_key"]
    readonly_fields = ["task", "kwargs", "dedupe_key", "created_at", "sent_at", "attempts", "last_error"]
