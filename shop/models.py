"""Platform facts (SPEC §2), owned upstream and pushed through the integration API.

Derived state that later apps compute (the 信任购 label, sale state, 实在宝 coverage) is
stored on these rows so that every surface reads one column; the computing code lives in
the app that owns the rule and writes here through its services.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import MemberRole, OrderEventType, ProductSource, Region, Role, ShopKind

MONEY = {"max_digits": 14, "decimal_places": 2}
SCORE = {"max_digits": 3, "decimal_places": 2, "validators": [MinValueValidator(0), MaxValueValidator(5)]}


class Shop(models.Model):
    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=ShopKind.choices, default=ShopKind.REGULAR)
    experience_score = models.DecimalField(_("experience score"), default=Decimal("0"), **SCORE)
    level = models.PositiveSmallIntegerField(
        _("merchant level"), default=1, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    main_industry = models.CharField(_("main industry"), max_length=64, blank=True)
    regions = models.JSONField(_("destination regions"), default=list, blank=True)
    # TP-6 shop badge, written by guarantees' beat job.
    trust_badge_shown = models.BooleanField(_("trust badge shown"), default=False)
    trust_order_ratio_14d = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    labelled_product_ratio = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    badge_computed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("shop")
        verbose_name_plural = _("shops")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class ShopMember(models.Model):
    """A merchant user belongs to exactly one shop (API.md: 'member of one shop')."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shop_member")
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(max_length=8, choices=MemberRole.choices, default=MemberRole.OWNER)

    class Meta:
        verbose_name = _("shop member")
        verbose_name_plural = _("shop members")

    def __str__(self) -> str:
        return f"{self.user} @ {self.shop.code}"


class Streamer(models.Model):
    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    fans = models.PositiveBigIntegerField(_("fans"), default=0)
    experience_score = models.DecimalField(_("experience score"), default=Decimal("0"), **SCORE)
    level = models.PositiveSmallIntegerField(
        _("merchant level"), default=1, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    main_industry = models.CharField(_("main industry"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("streamer")
        verbose_name_plural = _("streamers")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Consumer(models.Model):
    code = models.CharField(_("code"), max_length=64, unique=True)
    wallet_enabled = models.BooleanField(_("wallet enabled"), default=False)
    risk = models.BooleanField(_("risk user"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("consumer")
        verbose_name_plural = _("consumers")

    def __str__(self) -> str:
        return self.code


class Profile(models.Model):
    """A user's API.md role and the platform party it acts for."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    streamer = models.ForeignKey(Streamer, null=True, blank=True, on_delete=models.CASCADE, related_name="users")
    consumer = models.ForeignKey(Consumer, null=True, blank=True, on_delete=models.CASCADE, related_name="users")

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")
        constraints = [
            models.CheckConstraint(
                name="profile_streamer_role",
                condition=Q(streamer__isnull=True) | Q(role=Role.STREAMER),
            ),
            models.CheckConstraint(
                name="profile_consumer_role",
                condition=Q(consumer__isnull=True) | Q(role=Role.CONSUMER),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class Category(models.Model):
    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    szb_excluded = models.BooleanField(_("excluded from 实在宝 (SZB-5)"), default=False)
    requires_return_freight = models.BooleanField(_("requires 退货补运费 (TP-2)"), default=False)
    industry_services = models.JSONField(_("industry services (TP-2)"), default=list, blank=True)
    damage_window_hours = models.PositiveSmallIntegerField(_("damage window hours (GP-4)"), default=72)
    required_qualification_types = models.JSONField(
        _("required qualification type codes (QL-1)"), default=list, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Product(models.Model):
    code = models.CharField(_("code"), max_length=64, unique=True)
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="products")
    title = models.CharField(_("title"), max_length=300)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    price = models.DecimalField(_("price"), default=Decimal("0.00"), **MONEY)
    source = models.CharField(_("source"), max_length=8, choices=ProductSource.choices, default=ProductSource.OWN)
    flash_sale = models.BooleanField(_("flash sale (闪电购)"), default=False)
    attributes = models.JSONField(_("attributes (legacy data)"), default=dict, blank=True)
    # Derived (guarantees / qualifications write these through their services).
    trust_label = models.BooleanField(_("信任购 label"), default=False, db_index=True)
    trust_missing = models.JSONField(_("missing trust requirements"), default=list, blank=True)
    on_sale = models.BooleanField(_("on sale"), default=True, db_index=True)
    blocked_reasons = models.JSONField(_("blocked reasons"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["shop_id", "code"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        indexes = [models.Index(fields=["shop", "trust_label"]), models.Index(fields=["category"])]
        constraints = [models.CheckConstraint(name="product_price_non_negative", condition=Q(price__gte=0))]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"


class LiveSession(models.Model):
    code = models.CharField(_("code"), max_length=64, unique=True)
    streamer = models.ForeignKey(Streamer, on_delete=models.CASCADE, related_name="live_sessions")
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    trust_only = models.BooleanField(_("信任购专场"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_at", "code"]
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")
        constraints = [
            models.CheckConstraint(
                name="live_session_end_after_start",
                condition=Q(ended_at__isnull=True)
                | (Q(started_at__isnull=False) & Q(ended_at__gte=models.F("started_at"))),
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_started(self) -> bool:
        return self.started_at is not None and self.started_at <= timezone.now()


class CartItem(models.Model):
    """A product in a live session's cart (小黄车)."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="cart_items")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="cart_items")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("cart item")
        verbose_name_plural = _("cart items")
        constraints = [models.UniqueConstraint(fields=["session", "product"], name="cart_item_unique")]


class Order(models.Model):
    code = models.CharField(_("code"), max_length=64, unique=True)
    consumer = models.ForeignKey(Consumer, on_delete=models.PROTECT, related_name="orders")
    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="orders")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="orders")
    live_session = models.ForeignKey(
        LiveSession, null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    streamer = models.ForeignKey(Streamer, null=True, blank=True, on_delete=models.PROTECT, related_name="orders")
    paid_amount = models.DecimalField(_("paid amount"), **MONEY)
    postage = models.DecimalField(_("postage paid"), default=Decimal("0.00"), **MONEY)
    region = models.CharField(_("destination region"), max_length=2, choices=Region.choices, default=Region.CN)
    placed_at = models.DateTimeField(_("placed at"))
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    # Fixed when the order is placed: what the consumer saw (API.md Orders).
    shizaibao_covered = models.BooleanField(_("实在宝 covered"), default=False)
    trust_label = models.BooleanField(_("信任购 label at purchase"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-placed_at"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        indexes = [
            models.Index(fields=["shop", "placed_at"]),
            models.Index(fields=["consumer", "placed_at"]),
            models.Index(fields=["streamer", "placed_at"]),
        ]
        constraints = [
            models.CheckConstraint(name="order_paid_non_negative", condition=Q(paid_amount__gte=0)),
            models.CheckConstraint(name="order_postage_non_negative", condition=Q(postage__gte=0)),
        ]

    def __str__(self) -> str:
        return self.code


class OrderEvent(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=16, choices=OrderEventType.choices)
    at = models.DateTimeField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("order event")
        verbose_name_plural = _("order events")


class Upload(models.Model):
    """A validated, re-encoded image (shop.uploads). Only its uploader may reference it."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="uploads")
    file = models.FileField(upload_to="uploads/%Y/%m/")
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=32)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    phash = models.CharField(_("perceptual hash (BX-5)"), max_length=32, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name}"


class Notification(models.Model):
    """In-app notification (API.md Notifications, BX-3)."""

    # Written on every claim filing, once per recipient: two indexes only — a user's list, newest
    # first, and the dedupe constraint.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", db_index=False
    )
    kind = models.CharField(max_length=40)
    text = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    read = models.BooleanField(default=False)
    at = models.DateTimeField(default=timezone.now)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "dedupe_key"], name="notification_dedupe"),
        ]
        indexes = [models.Index(fields=["user", "-at"], name="notification_user_at")]


class AuditLog(models.Model):
    """Who did what, when, before and after (BX-1) — for writes without their own event table."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["object_type", "object_id"])]


class RuleSetting(models.Model):
    """A SPEC number that staff tune without a deploy (read through shop.rules.setting)."""

    key = models.CharField(max_length=80, unique=True)
    value = models.JSONField()
    description = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("rule setting")
        verbose_name_plural = _("rule settings")

    def __str__(self) -> str:
        return self.key


class OutboxMessage(models.Model):
    """A task to send after commit; kept until the broker took it (shop.outbox)."""

    task = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")


class JobRun(models.Model):
    """One row per periodic job and period (shop.jobs.once_per_period)."""

    name = models.CharField(max_length=120)
    period_start = models.DateTimeField()
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-period_start", "name"]
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        constraints = [models.UniqueConstraint(fields=["name", "period_start"], name="job_run_once_per_period")]
