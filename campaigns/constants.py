"""Choices of SPEC §10 (巨量星图, XT-1…XT-3) in one place."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BankCheckStatus(models.TextChoices):
    """XT-1 对公打款验证."""

    NOT_STARTED = "not_started", _("Not started")
    AWAITING_TRANSFER = "awaiting_transfer", _("Waiting for the platform's transfer")
    AWAITING_ENTRY = "awaiting_entry", _("Transfer sent: enter the amount")
    VERIFIED = "verified", _("Verified")
    LOCKED = "locked", _("Locked for review")


class CertStep(models.TextChoices):
    """XT-1: the three steps before an advertiser may publish, in the order shown."""

    QUALIFICATION = "qualification", _("Qualification certification (资质认证)")
    BANK_TRANSFER = "bank_transfer", _("Corporate bank transfer check (对公打款验证)")
    AGREEMENT = "agreement", _("Platform service agreement (平台服务协议)")


class TaskType(models.TextChoices):
    DOUYIN_VIDEO = "douyin_video", _("抖音传播任务")


class CreatorKind(models.TextChoices):
    CONTENT = "content", _("内容传播达人")


class ContentType(models.TextChoices):
    BEAUTY = "beauty", _("Beauty")
    FASHION = "fashion", _("Fashion")
    FOOD = "food", _("Food")
    LIFESTYLE = "lifestyle", _("Lifestyle")
    DRAMA = "drama", _("Short drama")
    REVIEW = "review", _("Product review")
    TECH = "tech", _("Tech")
    KNOWLEDGE = "knowledge", _("Knowledge")


class VideoDuration(models.TextChoices):
    SHORT = "short", _("1–20 s video")
    LONG = "long", _("21–60 s video")


class Settlement(models.TextChoices):
    """结算方式: when the creator's fixed price is settled."""

    ON_ACCEPTANCE = "on_acceptance", _("Pay on acceptance (验收后结算)")
    PREPAID = "prepaid", _("Prepaid, held by the platform (预付托管)")


class OrderStatus(models.TextChoices):
    """XT-3: one creator order's life. The transition table is campaigns.services.fulfilment.TRANSITIONS."""

    PENDING_ACCEPTANCE = "pending_acceptance", _("Waiting for the creator to accept")
    AWAITING_SCRIPT = "awaiting_script", _("Creator writes the script")
    SCRIPT_REVIEW = "script_review", _("Client reviews the script")
    AWAITING_VIDEO = "awaiting_video", _("Creator makes the video")
    VIDEO_PLATFORM_REVIEW = "video_platform_review", _("Platform reviews the video")
    VIDEO_CLIENT_REVIEW = "video_client_review", _("Client reviews the video")
    AWAITING_PUBLISH = "awaiting_publish", _("Client publishes the video")
    PUBLISH_SCHEDULED = "publish_scheduled", _("Scheduled for publishing")
    PUBLISHED = "published", _("Published: client checks and accepts")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined by the creator")
    CANCELLED = "cancelled", _("Cancelled by the client")


class Party(models.TextChoices):
    ADVERTISER = "advertiser", _("Client")
    CREATOR = "creator", _("Creator")
    PLATFORM = "platform", _("Platform reviewer")
    SYSTEM = "system", _("System")


class DeliverableKind(models.TextChoices):
    SCRIPT = "script", _("Script")
    VIDEO = "video", _("Video")


class Verdict(models.TextChoices):
    PENDING = "pending", _("Pending")
    PLATFORM_APPROVED = "platform_approved", _("Approved by the platform")
    PLATFORM_REJECTED = "platform_rejected", _("Rejected by the platform")
    CONFIRMED = "confirmed", _("Confirmed by the client")
    REJECTED = "rejected", _("Rejected by the client")


class PublishMode(models.TextChoices):
    NOW = "now", _("Publish now (立即发布)")
    SCHEDULED = "scheduled", _("Scheduled (定时发布)")


# Who acts next in each status (BX-3 deadlines and reminders), None = nobody / terminal.
ACTING_PARTY = {
    OrderStatus.PENDING_ACCEPTANCE: Party.CREATOR,
    OrderStatus.AWAITING_SCRIPT: Party.CREATOR,
    OrderStatus.SCRIPT_REVIEW: Party.ADVERTISER,
    OrderStatus.AWAITING_VIDEO: Party.CREATOR,
    OrderStatus.VIDEO_PLATFORM_REVIEW: Party.PLATFORM,
    OrderStatus.VIDEO_CLIENT_REVIEW: Party.ADVERTISER,
    OrderStatus.AWAITING_PUBLISH: Party.ADVERTISER,
    OrderStatus.PUBLISH_SCHEDULED: None,
    OrderStatus.PUBLISHED: Party.ADVERTISER,
    OrderStatus.COMPLETED: None,
    OrderStatus.DECLINED: None,
    OrderStatus.CANCELLED: None,
}
OPEN_STATUSES = [
    s for s in OrderStatus if s not in (OrderStatus.COMPLETED, OrderStatus.DECLINED, OrderStatus.CANCELLED)
]

AGREEMENT_TEXT = _(
    "巨量星图平台服务协议 (version %(version)s). The advertiser publishes tasks only for lawful products it "
    "is entitled to promote, gives truthful task requirements, reviews scripts and videos in time, pays the "
    "agreed price for accepted videos, and accepts that every video passes the platform's content review "
    "before it can be confirmed or published."
)
