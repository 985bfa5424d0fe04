"""巨量星图 campaign tasks (SPEC §10): advertisers, the creator square, tasks and per-creator
orders with their fulfilment (XT-1…XT-3). Tables and constraints only; rules live in services."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.models import MONEY, Shop, Streamer, Upload

from .constants import (
    BankCheckStatus,
    ContentType,
    CreatorKind,
    DeliverableKind,
    OrderStatus,
    PublishMode,
    Settlement,
    TaskType,
    Verdict,
    VideoDuration,
)


class Advertiser(models.Model):
    """A shop acting as a 巨量星图 advertiser (role ``merchant``) and its XT-1 certification.

    The qualification step is the shop's ``business_license`` qualification (qualifications app);
    the bank transfer check and the agreement are kept here.
    """

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, related_name="xingtu_advertiser")
    # 对公打款验证
    bank_status = models.CharField(
        _("bank transfer check"), max_length=20, choices=BankCheckStatus.choices, default=BankCheckStatus.NOT_STARTED
    )
    company_name = models.CharField(_("company account name"), max_length=200, blank=True)
    bank_name = models.CharField(_("bank"), max_length=200, blank=True)
    account_number = models.CharField(_("account number"), max_length=40, blank=True)
    # The amount the platform sent is kept only as an HMAC (never in clear).
    transfer_digest = models.CharField(max_length=64, blank=True)
    transfer_nonce = models.CharField(max_length=32, blank=True)
    transfer_sent_at = models.DateTimeField(_("transfer sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("wrong amounts entered"), default=0)
    bank_verified_at = models.DateTimeField(_("bank check verified at"), null=True, blank=True)
    # 平台服务协议
    agreement_version = models.CharField(_("agreement version"), max_length=40, blank=True)
    agreement_signed_at = models.DateTimeField(_("agreement signed at"), null=True, blank=True)
    agreement_ip = models.GenericIPAddressField(_("agreement signed from IP"), null=True, blank=True)
    agreement_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["shop__code"]
        verbose_name = _("advertiser")
        verbose_name_plural = _("advertisers")

    def __str__(self) -> str:
        return str(self.shop)

    @property
    def account_masked(self) -> str:
        return f"****{self.account_number[-4:]}" if self.account_number else ""


class AdvertiserEvent(models.Model):
    """Audit trail of the certification (XT-1, BX-1): who, when, from, to, note."""

    advertiser = models.ForeignKey(Advertiser, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("advertiser event")
        verbose_name_plural = _("advertiser events")


class CreatorProfile(models.Model):
    """A creator (达人, role ``streamer``) listed in the creator square (XT-2)."""

    streamer = models.OneToOneField(Streamer, on_delete=models.CASCADE, related_name="xingtu_profile")
    kind = models.CharField(_("creator kind"), max_length=16, choices=CreatorKind.choices, default=CreatorKind.CONTENT)
    listed = models.BooleanField(_("listed in the creator square"), default=True, db_index=True)
    content_types = models.JSONField(_("content types"), default=list, blank=True)
    price_short = models.DecimalField(_("price, 1–20 s video"), default=Decimal("0.00"), **MONEY)
    price_long = models.DecimalField(_("price, 21–60 s video"), default=Decimal("0.00"), **MONEY)
    bio = models.CharField(_("introduction"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["streamer__code"]
        verbose_name = _("creator profile")
        verbose_name_plural = _("creator profiles")
        constraints = [
            models.CheckConstraint(
                name="creator_prices_non_negative", condition=Q(price_short__gte=0, price_long__gte=0)
            )
        ]

    def __str__(self) -> str:
        return str(self.streamer)

    def price_for(self, duration: str) -> Decimal:
        return self.price_long if duration == VideoDuration.LONG else self.price_short

    def content_type_labels(self) -> list[str]:
        labels = dict(ContentType.choices)
        return [str(labels.get(c, c)) for c in self.content_types]


class CreatorSelection(models.Model):
    """已选达人: the creators an advertiser picked in the square and has not hired yet (XT-2)."""

    advertiser = models.ForeignKey(Advertiser, on_delete=models.CASCADE, related_name="selection")
    streamer = models.ForeignKey(Streamer, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("selected creator")
        verbose_name_plural = _("selected creators")
        constraints = [models.UniqueConstraint(fields=["advertiser", "streamer"], name="xt_selection_unique")]


class Task(models.Model):
    """A published 抖音传播任务 (XT-2): the order form's basic info, requirements, provider,
    settlement and details; one CreatorOrder per hired creator."""

    advertiser = models.ForeignKey(Advertiser, on_delete=models.PROTECT, related_name="tasks")
    key = models.CharField(_("idempotency key"), max_length=64, blank=True)
    task_type = models.CharField(_("task type"), max_length=20, choices=TaskType.choices, default=TaskType.DOUYIN_VIDEO)
    # basic info
    title = models.CharField(_("task name"), max_length=100)
    brand = models.CharField(_("brand"), max_length=100, blank=True)
    product_name = models.CharField(_("product promoted"), max_length=200)
    product_link = models.URLField(_("product link"), blank=True)
    publish_from = models.DateField(_("publish window from"))
    publish_until = models.DateField(_("publish window until"))
    # requirements
    video_duration = models.CharField(_("video duration"), max_length=8, choices=VideoDuration.choices)
    requirements = models.TextField(_("content requirements"))
    # service provider (服务商): blank = self-service
    service_provider = models.CharField(_("service provider"), max_length=200, blank=True)
    settlement = models.CharField(_("settlement method"), max_length=16, choices=Settlement.choices)
    total_amount = models.DecimalField(_("total"), **MONEY)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("campaign task")
        verbose_name_plural = _("campaign tasks")
        constraints = [
            models.UniqueConstraint(fields=["advertiser", "key"], condition=~Q(key=""), name="xt_task_key_unique"),
            models.CheckConstraint(name="xt_task_window", condition=Q(publish_until__gte=models.F("publish_from"))),
            models.CheckConstraint(name="xt_task_total_non_negative", condition=Q(total_amount__gte=0)),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"


class CreatorOrder(models.Model):
    """One creator's part of a task (XT-3); status changes only through fulfilment.transition."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="orders")
    streamer = models.ForeignKey(Streamer, on_delete=models.PROTECT, related_name="xingtu_orders")
    price = models.DecimalField(_("price"), **MONEY)
    status = models.CharField(
        _("status"), max_length=24, choices=OrderStatus.choices, default=OrderStatus.PENDING_ACCEPTANCE
    )
    step = models.PositiveIntegerField(_("transitions so far"), default=0)
    due_at = models.DateTimeField(_("current step due"), null=True, blank=True, db_index=True)
    script_rejections = models.PositiveSmallIntegerField(default=0)
    video_rejections = models.PositiveSmallIntegerField(default=0)
    publish_mode = models.CharField(max_length=10, choices=PublishMode.choices, blank=True)
    publish_at = models.DateTimeField(_("scheduled publish time"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    video_url = models.URLField(_("published video"), blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.CharField(_("rating comment"), max_length=500, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("creator order")
        verbose_name_plural = _("creator orders")
        constraints = [
            models.UniqueConstraint(fields=["task", "streamer"], name="xt_order_unique_creator"),
            models.CheckConstraint(
                name="xt_order_rating_range", condition=Q(rating__isnull=True) | Q(rating__range=(1, 5))
            ),
            models.CheckConstraint(name="xt_order_price_non_negative", condition=Q(price__gte=0)),
        ]
        indexes = [models.Index(fields=["status", "publish_at"]), models.Index(fields=["streamer", "status"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.task.title} · {self.streamer.code}"


class Deliverable(models.Model):
    """A script or video version a creator uploaded, and what became of it.

    Videos are not uploaded as files (shop.uploads takes images only): a video is its link
    (e.g. a Douyin private share link) plus an optional cover image upload.
    """

    order = models.ForeignKey(CreatorOrder, on_delete=models.CASCADE, related_name="deliverables")
    kind = models.CharField(max_length=8, choices=DeliverableKind.choices)
    round = models.PositiveSmallIntegerField()
    text = models.TextField(_("script / caption"), blank=True)
    link = models.URLField(_("link"), blank=True)
    cover = models.ForeignKey(Upload, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    verdict = models.CharField(max_length=20, choices=Verdict.choices, default=Verdict.PENDING)
    comments = models.TextField(_("comments"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        constraints = [models.UniqueConstraint(fields=["order", "kind", "round"], name="xt_deliverable_round")]


class CreatorOrderEvent(models.Model):
    """Timeline and audit trail of a creator order (XT-3, BX-1)."""

    order = models.ForeignKey(CreatorOrder, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=24)
    to_status = models.CharField(max_length=24)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("creator order event")
        verbose_name_plural = _("creator order events")
