"""Reads of 权益中心 / 信任购 (SPEC §3, §4, GP-1, GP-3): what pages, the API and other apps show."""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from shop.constants import TRUST_SURFACES_DEDICATED, TRUST_SURFACES_ORDINARY, Region, ServiceCode, ShopKind
from shop.models import Category, LiveSession, Order, Product, Shop, Streamer
from shop.rules import setting

from .models import ProductOptOut, ReturnAddress, ShopService
from .rules import (
    EXCLUDED_SHOP_KIND,
    EXCLUDED_SOURCE,
    GLOBAL_MANDATORY_SERVICES,
    SERVICE_DESCRIPTIONS,
    SHOP_SERVICES,
    TRUST_BASE_SERVICES,
    TRUST_SHOP_KINDS,
    TRUST_SOURCES,
)
from .trust import shop_badge_window, toggle_effects

SERVICE_NAMES = dict(ServiceCode.choices)


def service_name(code: str) -> str:
    return str(SERVICE_NAMES.get(code, code))


def is_mandatory(shop: Shop, code: str) -> bool:
    """GP-1: a global shop's three services are locked on."""
    return shop.kind == ShopKind.GLOBAL and code in GLOBAL_MANDATORY_SERVICES


def enabled_services(shop: Shop) -> set[str]:
    return set(ShopService.objects.filter(shop=shop, enabled=True).values_list("code", flat=True))


def shop_services(shop: Shop) -> list[dict[str, Any]]:
    """API.md ``GET /shop/services``: every shop service with its state and who changed it."""
    rows = {s.code: s for s in ShopService.objects.filter(shop=shop).select_related("changed_by")}
    out = []
    for code in SHOP_SERVICES:
        row = rows.get(code)
        out.append(
            {
                "code": code,
                "name": service_name(code),
                "description": str(SERVICE_DESCRIPTIONS.get(code, "")),
                "enabled": bool(row and row.enabled),
                "mandatory": is_mandatory(shop, code),
                "changed_by": row.changed_by.username if row and row.changed_by else None,
                "changed_at": row.changed_at if row else None,
            }
        )
    return out


def required_services(category: Category) -> list[str]:
    """TP-2: the services a product of ``category`` needs for the label, in catalogue order."""
    needed = set(TRUST_BASE_SERVICES) | set(category.industry_services or [])
    if category.requires_return_freight:
        needed.add(ServiceCode.RETURN_FREIGHT)
    return [c for c in SHOP_SERVICES if c in needed]


def trust_excluded(product: Product) -> str | None:
    """TP-1: why a product can never carry the label, or None."""
    if product.shop.kind not in TRUST_SHOP_KINDS:
        return EXCLUDED_SHOP_KIND
    if product.source not in TRUST_SOURCES:
        return EXCLUDED_SOURCE
    return None


def trust_surfaces(product: Product) -> dict[str, list[str]]:
    """TP-4: where the label shows, in a dedicated trust live room and in an ordinary one."""
    if not product.trust_label:
        return {"dedicated": [], "ordinary": []}
    return {"dedicated": list(TRUST_SURFACES_DEDICATED), "ordinary": list(TRUST_SURFACES_ORDINARY)}


@dataclass
class TrustExplanation:
    """BX-4: which rule fails for a product and the single change that would restore the label."""

    label: bool
    excluded: str | None
    rule: str | None
    missing: list[dict[str, str]] = field(default_factory=list)
    fix: str | None = None


def explain_product(product: Product, *, enabled: set[str] | None = None) -> TrustExplanation:
    enabled = enabled_services(product.shop) if enabled is None else enabled
    opted = {o.code for o in product.opt_outs.all()}
    excluded = trust_excluded(product)
    missing = []
    for code in required_services(product.category):
        if code in enabled and code not in opted:
            continue
        cause = "opted_out" if code in enabled else "shop_off"
        missing.append({"code": code, "name": service_name(code), "cause": cause})
    if excluded == EXCLUDED_SHOP_KIND:
        return TrustExplanation(
            False,
            excluded,
            "TP-1",
            missing,
            _("Only regular shops carry 信任购 (not cross-border, auction or global shops); no change restores it."),
        )
    if excluded == EXCLUDED_SOURCE:
        return TrustExplanation(
            False,
            excluded,
            "TP-1",
            missing,
            _("Products from third-party platforms (有赞, 魔筷, 淘宝) never carry 信任购."),
        )
    if not missing:
        return TrustExplanation(True, None, None, [], None)

    def step(m: dict[str, str]) -> str:
        if m["cause"] == "opted_out":
            return _("remove this product's opt-out of %(service)s") % {"service": m["name"]}
        return _("turn on %(service)s in the rights centre") % {"service": m["name"]}

    if len(missing) == 1:
        fix = _("One change restores the label: %(step)s.") % {"step": step(missing[0])}
    else:
        fix = _("%(n)d changes are needed: %(steps)s.") % {"n": len(missing), "steps": "; ".join(map(step, missing))}
    return TrustExplanation(False, None, "TP-2", missing, fix)


def products_for_shop(shop: Shop) -> QuerySet[Product]:
    return (
        Product.objects.filter(shop=shop)
        .select_related("category", "shop")
        .prefetch_related("opt_outs")
        .order_by("code")
    )


def filter_products(qs: QuerySet[Product], params: Any) -> QuerySet[Product]:
    """List filters shared by the API and the page: trust_label, on_sale, q."""
    from shop.errors import ValidationFailed

    for name in ("trust_label", "on_sale"):
        value = params.get(name)
        if value in (None, ""):
            continue
        if value not in ("true", "false"):
            raise ValidationFailed(errors={name: [_("Use true or false.")]})
        qs = qs.filter(**{name: value == "true"})
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(title__icontains=q))
    return qs


# ---- GP-1 / GP-3 ----------------------------------------------------------------------------


def shop_regions(shop: Shop) -> list[str]:
    return sorted(set(shop.regions or [Region.CN]))


def return_addresses(shop: Shop) -> list[dict[str, str]]:
    return [
        {"region": a.region, "name": a.name, "phone": a.phone, "address": a.address}
        for a in ReturnAddress.objects.filter(shop=shop).order_by("region")
    ]


def return_address_for(shop: Shop, region: str) -> dict[str, str] | None:
    """GP-3: the address a return to ``region`` goes to, or None (claims route by order region)."""
    a = ReturnAddress.objects.filter(shop=shop, region=region).first()
    if a is None:
        return None
    return {"region": a.region, "name": a.name, "phone": a.phone, "address": a.address}


def global_setup_state(shop: Shop) -> dict[str, Any]:
    """GP-1: what a global shop still has to set up before its products can go on sale."""
    if shop.kind != ShopKind.GLOBAL:
        return {"applies": False, "ready": True, "services_missing": [], "regions_missing": []}
    on = enabled_services(shop)
    services_missing = [c for c in GLOBAL_MANDATORY_SERVICES if c not in on]
    have = set(ReturnAddress.objects.filter(shop=shop).values_list("region", flat=True))
    regions_missing = [r for r in shop_regions(shop) if r not in have]
    return {
        "applies": True,
        "ready": not services_missing and not regions_missing,
        "services_missing": services_missing,
        "regions_missing": regions_missing,
    }


def gp1_blocks(products: QuerySet[Product]) -> dict[int, list[str]]:
    """sale_state provider (GP-1): global shops' products wait until the shop is set up."""
    from .rules import REASON_ADDRESS_MISSING, REASON_MANDATORY_MISSING

    out: dict[int, list[str]] = {}
    by_shop: dict[int, list[int]] = {}
    for pid, shop_id in products.filter(shop__kind=ShopKind.GLOBAL).values_list("pk", "shop_id"):
        by_shop.setdefault(shop_id, []).append(pid)
    for shop in Shop.objects.filter(pk__in=by_shop):
        state = global_setup_state(shop)
        reasons = []
        if state["services_missing"]:
            reasons.append(REASON_MANDATORY_MISSING)
        if state["regions_missing"]:
            reasons.append(REASON_ADDRESS_MISSING)
        if reasons:
            for pid in by_shop[shop.pk]:
                out[pid] = reasons
    return out


# ---- TP-6 -----------------------------------------------------------------------------------


def shop_badge(shop: Shop) -> dict[str, Any]:
    """API.md ``GET /shop/trust-badge`` plus BX-4 explanation (counts and the change needed)."""
    start, end = shop_badge_window()
    pct = int(setting("trust.shop_badge_min_pct"))
    window = Order.objects.filter(shop=shop, placed_at__gte=start, placed_at__lte=end)
    n14 = window.count()
    t14 = window.filter(trust_label=True).count()
    sold = Order.objects.filter(shop=shop).values("product_id").distinct()
    n_hist = sold.count()
    t_hist = Order.objects.filter(shop=shop, trust_label=True).values("product_id").distinct().count()

    def needed(t: int, n: int) -> int:
        # smallest k with (t + k) * 100 >= pct * (n + k)
        if n and t * 100 >= pct * n:
            return 0
        return max(1, ceil((pct * n - 100 * t) / (100 - pct))) if pct < 100 else 0

    fixes = []
    if shop.kind not in TRUST_SHOP_KINDS:
        fixes.append(_("Only regular shops carry 信任购 (TP-1)."))
    else:
        k = needed(t14, n14)
        if k:
            fixes.append(
                _("%(k)d more 信任购 orders within the %(days)d-day window would lift the order ratio to %(pct)d %%.")
                % {"k": k, "days": setting("trust.shop_badge_window_days"), "pct": pct}
            )
        j = needed(t_hist, n_hist)
        if j:
            fixes.append(
                _("%(k)d more labelled products sold would lift the product ratio to %(pct)d %%.")
                % {"k": j, "pct": pct}
            )
    return {
        "shown": shop.trust_badge_shown,
        "trust_order_ratio_14d": shop.trust_order_ratio_14d,
        "labelled_product_ratio": shop.labelled_product_ratio,
        "computed_at": shop.badge_computed_at,
        "orders_14d": n14,
        "trust_orders_14d": t14,
        "products_sold": n_hist,
        "labelled_products_sold": t_hist,
        "threshold_pct": pct,
        "trust_order_pct": _pct(shop.trust_order_ratio_14d),
        "labelled_product_pct": _pct(shop.labelled_product_ratio),
        "fixes": fixes,
    }


def _pct(ratio: Any) -> str | None:
    return None if ratio is None else f"{ratio * 100:.2f}"


def service_effects(shop: Shop) -> dict[str, dict[str, int]]:
    """BX-4: for each service, the products that gain / lose the label if it is flipped."""
    return toggle_effects(shop_id=shop.pk)


# ---- TP-5 -----------------------------------------------------------------------------------


def sessions_for_streamer(streamer: Streamer) -> QuerySet[LiveSession]:
    return LiveSession.objects.filter(streamer=streamer).order_by("-created_at", "code")


def cart_items(session: LiveSession) -> list[dict[str, Any]]:
    return [
        {
            "product": item.product.code,
            "title": item.product.title,
            "trust_label": item.product.trust_label,
            "flash_sale": item.product.flash_sale,
            "added_at": item.added_at,
        }
        for item in session.cart_items.select_related("product").order_by("added_at", "id")
    ]


def opt_out_codes(product: Product) -> list[str]:
    return sorted(ProductOptOut.objects.filter(product=product).values_list("code", flat=True))
