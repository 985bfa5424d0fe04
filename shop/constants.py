"""Choices of SPEC §2 and API.md roles, in one place."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PLATFORM = "platform", _("Platform system")
    MERCHANT = "merchant", _("Merchant")
    STREAMER = "streamer", _("Streamer")
    CONSUMER = "consumer", _("Consumer")
    REVIEWER = "reviewer", _("Reviewer")


class ShopKind(models.TextChoices):
    REGULAR = "regular", _("Regular")
    CROSS_BORDER = "cross_border", _("Cross-border")
    AUCTION = "auction", _("Auction")
    GLOBAL = "global", _("Douyin Global (全球购)")


class Region(models.TextChoices):
    CN = "CN", _("Mainland China")
    HK = "HK", _("Hong Kong")
    TW = "TW", _("Taiwan")


class ProductSource(models.TextChoices):
    OWN = "own", _("Own")
    YOUZAN = "youzan", _("Youzan (有赞)")
    MOKUAI = "mokuai", _("Mokuai (魔筷)")
    TAOBAO = "taobao", _("Taobao (淘宝)")


class OrderEventType(models.TextChoices):
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    COMPLETED = "completed", _("Completed")
    REFUNDED = "refunded", _("Refunded")


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    STAFF = "staff", _("Staff")


# Reviewer groups created by migration shop/0002 (Django admin permissions).
REVIEWER_GROUPS = {
    "claim_reviewers": ("claims",),
    "qualification_reviewers": ("qualifications",),
    "abuse_reviewers": ("claims",),
    "service_admins": ("guarantees", "shop"),
}


class ServiceCode(models.TextChoices):
    """The 权益中心 service catalogue (SPEC §3). Categories reference these codes."""

    SEVEN_DAY_RETURN = "seven_day_return", _("七天无理由退货")
    FAST_REFUND = "fast_refund", _("极速退款")
    FAKE_PAY_NINE = "fake_pay_nine", _("假一赔九")
    RETURN_FREIGHT = "return_freight", _("退货补运费")
    ALLERGY_RETURN = "allergy_return", _("过敏包退")
    DAMAGE_RETURN = "damage_return", _("破损包退")
    BROKEN_RETURN = "broken_return", _("坏了包退")
    AUTHENTIC_GUARANTEE = "authentic_guarantee", _("正品保障 (假一赔十)")
    LOCAL_RETURN = "local_return", _("本地退货")
    SHIZAIBAO = "shizaibao", _("主播实在宝")


class Surface(models.TextChoices):
    BUYER_HOME = "buyer_home", _("Buyer home page")
    LIVE_PAGE = "live_page", _("Live page")
    CART_TOP = "cart_top", _("Top of cart")
    CART_LIST = "cart_list", _("Cart list")
    PRODUCT_DETAIL = "product_detail", _("Product detail")
    CHECKOUT = "checkout", _("Checkout")
    ORDER_DETAIL = "order_detail", _("Order detail")
    ORDER_LIST = "order_list", _("Order list")


# TP-4: where the 信任购 label shows, in a dedicated trust live room and in an ordinary one.
TRUST_SURFACES_DEDICATED = ["buyer_home", "live_page", "cart_top", "product_detail", "checkout", "order_detail"]
TRUST_SURFACES_ORDINARY = ["cart_list", "product_detail", "checkout", "order_detail"]
# SZB-4 / API.md: where the 实在宝 mark shows.
SHIZAIBAO_SURFACES = ["cart_list", "checkout", "order_detail", "order_list"]
