"""The SPEC's numbers and choices for 权益中心 / 信任购 (SPEC §3, §4, GP-1, GP-3), each with its rule id.

Tunable numbers are registered with shop.rules and read through ``shop.rules.setting``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shop.constants import ProductSource, ServiceCode, ShopKind
from shop.rules import register

# SPEC §3: services a shop toggles in 权益中心 (实在宝 is opened by the streamer, SZB-3).
SHOP_SERVICES: list[str] = [c for c in ServiceCode.values if c != ServiceCode.SHIZAIBAO]

# TP-2: what every labelled product provides.
TRUST_BASE_SERVICES: list[str] = [
    ServiceCode.SEVEN_DAY_RETURN,
    ServiceCode.FAST_REFUND,
    ServiceCode.FAKE_PAY_NINE,
]

# TP-1: only regular shops, only own products (not 有赞 / 魔筷 / 淘宝).
TRUST_SHOP_KINDS: list[str] = [ShopKind.REGULAR]
TRUST_SOURCES: list[str] = [ProductSource.OWN]

# GP-1: a global shop's mandatory services.
GLOBAL_MANDATORY_SERVICES: list[str] = [
    ServiceCode.AUTHENTIC_GUARANTEE,
    ServiceCode.LOCAL_RETURN,
    ServiceCode.DAMAGE_RETURN,
]

# GP-1 / API.md blocked_reasons codes this app produces.
REASON_MANDATORY_MISSING = "mandatory_services_missing"
REASON_ADDRESS_MISSING = "return_address_missing"

# TP-1 exclusion codes (why a product can never carry the label, whatever its services).
EXCLUDED_SHOP_KIND = "shop_kind"
EXCLUDED_SOURCE = "third_party_source"

# TP-5: the one-time guide prompt, shown verbatim (a proper name of the platform feature).
TRUST_GUIDE_PROMPT = _("直播间上线信任购专场服务")

SERVICE_DESCRIPTIONS: dict[str, object] = {
    ServiceCode.SEVEN_DAY_RETURN: _("Buyers may return goods within 7 days without giving a reason. 信任购 base."),
    ServiceCode.FAST_REFUND: _("Refunds are paid at once for eligible after-sales requests. 信任购 base."),
    ServiceCode.FAKE_PAY_NINE: _("A counterfeit is compensated nine times its price. 信任购 base."),
    ServiceCode.RETURN_FREIGHT: _("Return postage is compensated. Required for 信任购 in categories that need it."),
    ServiceCode.ALLERGY_RETURN: _("Returns accepted for allergic reactions. Industry service."),
    ServiceCode.DAMAGE_RETURN: _("Returns accepted for goods damaged in transit. Mandatory for global shops."),
    ServiceCode.BROKEN_RETURN: _("Returns accepted when the item breaks. Industry service."),
    ServiceCode.AUTHENTIC_GUARANTEE: _(
        "Authenticity guaranteed, counterfeit pays ten times. Mandatory for global shops."
    ),
    ServiceCode.LOCAL_RETURN: _("Returns go to an address in the buyer's region. Mandatory for global shops."),
    ServiceCode.SHIZAIBAO: _("Streamer-level truthful-description guarantee, opened by the streamer."),
}

register(
    "trust.shop_badge_min_pct",
    60,
    rule="TP-6",
    description="Minimum percentage for both shop-badge ratios (trust orders over 14 days, labelled sold products).",
)
register("trust.shop_badge_window_days", 14, rule="TP-6", description="Window of the trust-order ratio, in days.")
register(
    "trust.sync_recompute_max_products",
    50_000,
    rule="TP-3",
    description="A shop with at most this many products gets its labels recomputed inside the request; "
    "larger shops are recomputed by a Celery task right after commit.",
)
register(
    "trust.report_sample_size",
    100,
    rule="TP-3",
    description="How many wrong product ids the nightly full recompute keeps in its report.",
)
