"""Writes of 权益中心 / 信任购 (SPEC §3, TP-1…TP-7, GP-1, GP-3, BX-1, BX-7).

Every function is keyword-only, runs in one transaction, locks what it changes and raises a
DomainError carrying the API.md code. Labels are recomputed by set-based SQL
(guarantees.trust) in the same transaction when the shop is small enough, else right after
commit by a Celery task through the transactional outbox (TP-3).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shop.audit import audit
from shop.constants import ProductSource, Region, ShopKind
from shop.errors import NotFound, ValidationFailed, domain_error
from shop.models import Category, LiveSession, Order, Product, Shop, Streamer
from shop.notify import notify
from shop.outbox import enqueue
from shop.rules import setting

from .models import ProductOptOut, ReturnAddress, ShopService, TrustGuideShown, TrustRecomputeRun
from .rules import SHOP_SERVICES
from .sale_state import product_qualification_handlers, refresh_sale_state
from .selectors import is_mandatory, service_name
from .trust import RecomputeResult, Scope, recompute_labels, recompute_shop_badges

log = logging.getLogger(__name__)

ServiceMandatory = domain_error(
    "service_mandatory",
    409,
    gettext_lazy("This service is mandatory for global shops and cannot be turned off (GP-1)."),
)
InvalidRegion = domain_error("invalid_region", 400, gettext_lazy("Unknown region: use CN, HK or TW."))
SessionStarted = domain_error(
    "session_started", 409, gettext_lazy("The live session has started; its trust-only setting is fixed (TP-5).")
)
FlashSaleNotAllowed = domain_error(
    "flash_sale_not_allowed", 409, gettext_lazy("Flash-sale (闪电购) products cannot join a 信任购专场 (TP-5).")
)
NotTrustLabelled = domain_error(
    "not_trust_labelled", 409, gettext_lazy("Only 信任购 products can join a 信任购专场 (TP-5).")
)
SessionEnded = domain_error("invalid_state", 409, gettext_lazy("The live session has ended."))


# ---- label recompute (TP-3) -----------------------------------------------------------------

RECOMPUTE_TASK = "guarantees.trust_recompute"


def labels_refresh(*, scope: Scope, sample: int = 0) -> RecomputeResult:
    """Recompute the labels of ``scope`` and drop products that lost theirs from trust-only
    carts (TP-5)."""
    result = recompute_labels(scope=scope, sample=sample)
    if result.changed:
        cart_sweep(scope=scope)
    return result


def shop_labels_changed(*, shop: Shop) -> bool:
    """A change to one shop touches that shop's products only. Returns True when recomputed
    inline (the answer already shows the new state), False when queued after commit."""
    if Product.objects.filter(shop=shop).count() <= setting("trust.sync_recompute_max_products"):
        labels_refresh(scope=Scope.of(shop_ids=[shop.pk]))
        return True
    enqueue(RECOMPUTE_TASK, dedupe_key=f"trust:shop:{shop.pk}", shop_id=shop.pk)
    return False


def on_facts_changed(*, shop_ids: set[int], category_ids: set[int], product_ids: set[int]) -> None:
    """shop.hooks.facts_changed (platform sync): the synced products now, inside the sync
    transaction; whole shops and categories by a task after commit (TP-3, GP-1)."""
    if product_ids:
        labels_refresh(scope=Scope.of(product_ids=product_ids))
        refresh_sale_state(product_ids=product_ids)
    for shop_id in sorted(shop_ids):
        enqueue(RECOMPUTE_TASK, dedupe_key=f"trust:shop:{shop_id}", shop_id=shop_id, sale_state=True)
    for category_id in sorted(category_ids):
        enqueue(RECOMPUTE_TASK, dedupe_key=f"trust:category:{category_id}", category_id=category_id)


def order_trust_flag(order: Order) -> None:
    """shop.hooks.order_flags: the order keeps the product's label as it is at placement
    (computed now, so a product created in the same sync document is judged correctly)."""
    recompute_labels(scope=Scope.of(product_ids=[order.product_id]))
    order.trust_label = bool(Product.objects.filter(pk=order.product_id).values_list("trust_label", flat=True).first())


# ---- 权益中心 toggles (SPEC §3, GP-1) ----------------------------------------------------------


def _service_code(code: str) -> str:
    if code not in SHOP_SERVICES:
        raise NotFound(_("Unknown service."))
    return code


@transaction.atomic
def service_toggle(*, shop: Shop, code: str, enabled: bool, actor: Any) -> ShopService:
    """Turn a shop service on or off for all the shop's products, recorded with who and when."""
    code = _service_code(code)
    shop = Shop.objects.select_for_update().get(pk=shop.pk)
    if not enabled and is_mandatory(shop, code):
        raise ServiceMandatory()
    row, _created = ShopService.objects.select_for_update().get_or_create(shop=shop, code=code)
    if row.enabled == enabled and not _created:
        return row
    before = {"enabled": row.enabled} if not _created else None
    row.enabled = enabled
    row.changed_by = actor if getattr(actor, "is_authenticated", False) else None
    row.changed_at = timezone.now()
    row.save()
    audit(actor=actor, action="service_toggle", obj=row, before=before, after={"code": code, "enabled": enabled})
    shop_labels_changed(shop=shop)
    if shop.kind == ShopKind.GLOBAL:
        refresh_sale_state(shop_ids=[shop.pk])  # GP-1 only concerns global shops
    return row


def _validate_opt_out_codes(shop: Shop, codes: Iterable[str]) -> list[str]:
    codes = list(dict.fromkeys(codes))
    unknown = [c for c in codes if c not in SHOP_SERVICES]
    if unknown:
        raise ValidationFailed(errors={"opt_outs": [_("Unknown service: %(code)s") % {"code": c} for c in unknown]})
    locked = [c for c in codes if is_mandatory(shop, c)]
    if locked:
        raise ServiceMandatory(
            _("%(service)s is mandatory for global shops; a product cannot opt out of it (GP-1).")
            % {"service": service_name(locked[0])}
        )
    return codes


def _opt_outs_write(*, product: Product, codes: list[str], actor: Any) -> bool:
    current = set(ProductOptOut.objects.filter(product=product).values_list("code", flat=True))
    wanted = set(codes)
    if current == wanted:
        return False
    ProductOptOut.objects.filter(product=product, code__in=current - wanted).delete()
    user = actor if getattr(actor, "is_authenticated", False) else None
    ProductOptOut.objects.bulk_create(
        [ProductOptOut(product=product, code=c, created_by=user) for c in sorted(wanted - current)]
    )
    audit(actor=actor, action="product_opt_outs", obj=product, before=sorted(current), after=sorted(wanted))
    return True


@transaction.atomic
def product_opt_outs_set(*, product: Product, codes: Iterable[str], actor: Any) -> Product:
    """Replace a product's opt-outs (SPEC §3); the label follows at once (TP-3)."""
    product = Product.objects.select_for_update().select_related("shop").get(pk=product.pk)
    codes = _validate_opt_out_codes(product.shop, codes)
    if _opt_outs_write(product=product, codes=codes, actor=actor):
        labels_refresh(scope=Scope.of(product_ids=[product.pk]))
    product.refresh_from_db()
    return product


@transaction.atomic
def opt_outs_bulk(*, shop: Shop, product_codes: Iterable[str], code: str, opted_out: bool, actor: Any) -> int:
    """BX-7: opt many of the shop's products in or out of one service. Unknown or other shops'
    codes are refused whole (nothing half-applied). Returns how many products changed."""
    code = _service_code(code)
    if opted_out:
        _validate_opt_out_codes(shop, [code])
    product_codes = list(dict.fromkeys(product_codes))
    if not product_codes:
        raise ValidationFailed(errors={"products": [_("Select at least one product.")]})
    products = list(Product.objects.select_for_update().filter(shop=shop, code__in=product_codes).order_by("pk"))
    found = {p.code for p in products}
    missing = [c for c in product_codes if c not in found]
    if missing:
        raise ValidationFailed(errors={"products": [_("Unknown product: %(code)s") % {"code": c} for c in missing]})
    ids = [p.pk for p in products]
    already = set(ProductOptOut.objects.filter(product_id__in=ids, code=code).values_list("product_id", flat=True))
    user = actor if getattr(actor, "is_authenticated", False) else None
    if opted_out:
        todo = [pid for pid in ids if pid not in already]
        ProductOptOut.objects.bulk_create([ProductOptOut(product_id=pid, code=code, created_by=user) for pid in todo])
    else:
        todo = sorted(already)
        ProductOptOut.objects.filter(product_id__in=todo, code=code).delete()
    if todo:
        audit(
            actor=actor,
            action="product_opt_outs_bulk",
            obj=shop,
            before=None,
            after={"code": code, "opted_out": opted_out, "products": [p.code for p in products if p.pk in set(todo)]},
        )
        labels_refresh(scope=Scope.of(product_ids=todo))
    return len(todo)


# ---- products (API.md merchant section) -----------------------------------------------------

PRODUCT_FIELDS = ("title", "category", "price", "source", "flash_sale")


def _category(code: str) -> Category:
    category = Category.objects.filter(code=code).first()
    if category is None:
        raise ValidationFailed(errors={"category": [_("Unknown category.")]})
    return category


def _hand_qualifications(*, product: Product, qualification_ids: list[int] | None, actor: Any) -> None:
    if qualification_ids is None:
        return
    for handler in product_qualification_handlers:
        handler(product=product, qualification_ids=list(qualification_ids), actor=actor)


def _after_product_write(product: Product) -> None:
    labels_refresh(scope=Scope.of(product_ids=[product.pk]))
    refresh_sale_state(product_ids=[product.pk])


@transaction.atomic
def product_create(
    *,
    shop: Shop,
    code: str,
    title: str,
    category: str,
    price: Decimal,
    source: str = ProductSource.OWN,
    flash_sale: bool = False,
    opt_outs: Iterable[str] = (),
    qualifications: list[int] | None = None,
    actor: Any,
) -> tuple[Product, bool]:
    """Create a product of the merchant's shop. Returns (product, created); sending the same
    product again answers the existing one (idempotent repeat)."""
    cat = _category(category)
    opt_codes = _validate_opt_out_codes(shop, opt_outs)
    existing = Product.objects.select_for_update().filter(code=code).first()
    if existing is not None:
        same = (
            existing.shop_id == shop.pk
            and existing.title == title
            and existing.category_id == cat.pk
            and existing.price == price
            and existing.source == source
            and existing.flash_sale == flash_sale
            and set(ProductOptOut.objects.filter(product=existing).values_list("code", flat=True)) == set(opt_codes)
        )
        if not same:
            raise ValidationFailed(errors={"code": [_("A product with this code already exists.")]})
        return existing, False
    product = Product(
        shop=shop, code=code, title=title, category=cat, price=price, source=source, flash_sale=flash_sale
    )
    product.full_clean(validate_unique=False, validate_constraints=False)
    product.save()
    _opt_outs_write(product=product, codes=opt_codes, actor=actor)
    _hand_qualifications(product=product, qualification_ids=qualifications, actor=actor)
    audit(actor=actor, action="product_create", obj=product, after={"code": code, "category": category})
    _after_product_write(product)
    product.refresh_from_db()
    return product, True


@transaction.atomic
def product_update(*, product: Product, actor: Any, **changes: Any) -> Product:
    """PATCH any of title, category, price, flash_sale, qualifications, opt_outs (API.md)."""
    product = Product.objects.select_for_update().select_related("shop", "category").get(pk=product.pk)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    if "category" in changes:
        cat = _category(changes.pop("category"))
        if cat.pk != product.category_id:
            before["category"], after["category"] = product.category.code, cat.code
            product.category = cat
    for name in ("title", "price", "flash_sale"):
        if name in changes:
            value = changes.pop(name)
            if getattr(product, name) != value:
                before[name], after[name] = str(getattr(product, name)), str(value)
                setattr(product, name, value)
    opt_outs = changes.pop("opt_outs", None)
    qualifications = changes.pop("qualifications", None)
    if changes:
        raise ValidationFailed(errors={k: [_("This field cannot be changed.")] for k in changes})
    if opt_outs is not None:
        opt_outs = _validate_opt_out_codes(product.shop, opt_outs)
    if after:
        product.full_clean(validate_unique=False, validate_constraints=False)
        product.save(update_fields=[*after.keys(), "updated_at"])
        audit(actor=actor, action="product_update", obj=product, before=before, after=after)
    if opt_outs is not None:
        _opt_outs_write(product=product, codes=opt_outs, actor=actor)
    _hand_qualifications(product=product, qualification_ids=qualifications, actor=actor)
    _after_product_write(product)
    if "flash_sale" in after:
        cart_sweep(scope=Scope.of(product_ids=[product.pk]))
    product.refresh_from_db()
    return product


# ---- GP-3 return addresses ------------------------------------------------------------------


@transaction.atomic
def return_address_set(*, shop: Shop, region: str, name: str, phone: str, address: str, actor: Any) -> ReturnAddress:
    """GP-3: set the shop's return address for one region; GP-1 sale state follows."""
    if region not in Region.values:
        raise InvalidRegion()
    shop = Shop.objects.select_for_update().get(pk=shop.pk)
    row = ReturnAddress.objects.select_for_update().filter(shop=shop, region=region).first()
    values = {"name": name.strip(), "phone": phone.strip(), "address": address.strip()}
    errors = {k: [_("This field is required.")] for k, v in values.items() if not v}
    if errors:
        raise ValidationFailed(errors=errors)
    if row is not None and all(getattr(row, k) == v for k, v in values.items()):
        return row
    before = {k: getattr(row, k) for k in values} if row else None
    user = actor if getattr(actor, "is_authenticated", False) else None
    if row is None:
        row = ReturnAddress(shop=shop, region=region)
    for k, v in values.items():
        setattr(row, k, v)
    row.updated_by, row.updated_at = user, timezone.now()
    row.full_clean(validate_unique=False, validate_constraints=False)
    row.save()
    audit(actor=actor, action="return_address_set", obj=row, before=before, after={"region": region, **values})
    refresh_sale_state(shop_ids=[shop.pk])
    return row


# ---- TP-5 dedicated trust live rooms --------------------------------------------------------


def _session_of(streamer: Streamer, code: str, *, lock: bool = False) -> LiveSession:
    qs = LiveSession.objects.filter(streamer=streamer, code=code)
    session = (qs.select_for_update() if lock else qs).first()
    if session is None:
        raise NotFound()
    return session


@transaction.atomic
def live_session_set_trust_only(
    *, streamer: Streamer, session_code: str, trust_only: bool, actor: Any
) -> tuple[LiveSession, bool, list[str]]:
    """TP-5: switch a session to / from 信任购专场 before it starts.

    Returns (session, show_guide, removed product codes): ``show_guide`` is True the first
    time this streamer turns it on (the one-time guide prompt); turning it on removes cart
    products that may not stay (flash sale, not labelled).
    """
    session = _session_of(streamer, session_code, lock=True)
    if session.is_started:
        raise SessionStarted()
    show_guide = False
    removed: list[str] = []
    if session.trust_only != trust_only:
        session.trust_only = trust_only
        session.save(update_fields=["trust_only"])
        audit(actor=actor, action="live_session_trust_only", obj=session, before=not trust_only, after=trust_only)
    if trust_only:
        _guide, show_guide = TrustGuideShown.objects.get_or_create(streamer=streamer)
        removed = cart_sweep(session_ids=[session.pk])
    return session, show_guide, removed


@transaction.atomic
def cart_add(*, streamer: Streamer, session_code: str, product_code: str, actor: Any) -> tuple[Any, bool]:
    """TP-5: add a product to a session's cart (小黄车). In a trust-only session a flash-sale
    product is refused first, then a product without the label. Returns (item, created)."""
    session = _session_of(streamer, session_code, lock=True)
    if session.ended_at is not None:
        raise SessionEnded()
    product = Product.objects.filter(code=product_code).first()
    if product is None:
        raise ValidationFailed(errors={"product": [_("Unknown product.")]})
    existing = session.cart_items.filter(product=product).first()
    if existing is not None:
        return existing, False
    if session.trust_only:
        if product.flash_sale:
            raise FlashSaleNotAllowed()
        recompute_labels(scope=Scope.of(product_ids=[product.pk]))
        product.refresh_from_db(fields=["trust_label", "trust_missing"])
        if not product.trust_label:
            raise NotTrustLabelled(missing=product.trust_missing)
    item = session.cart_items.create(product=product)
    return item, True


@transaction.atomic
def cart_remove(*, streamer: Streamer, session_code: str, product_code: str, actor: Any) -> None:
    session = _session_of(streamer, session_code, lock=True)
    deleted, _rows = session.cart_items.filter(product__code=product_code).delete()
    if not deleted:
        raise NotFound()


def cart_sweep(*, scope: Scope | None = None, session_ids: Iterable[int] | None = None) -> list[str]:
    """TP-5: products that may not stay in a trust-only session that has not ended (lost the
    label, or flash sale) leave the cart; the streamer is told why. Returns product codes."""
    from shop.models import CartItem

    items = CartItem.objects.filter(session__trust_only=True, session__ended_at__isnull=True).filter(_not_allowed_q())
    if session_ids is not None:
        items = items.filter(session_id__in=list(session_ids))
    if scope is not None and not scope.is_all:
        items = items.filter(**{f"product__{k}": v for k, v in scope.product_filter().items()})
    items = list(items.select_related("product", "session"))
    if not items:
        return []
    users = get_user_model().objects.filter(profile__streamer_id__in={i.session.streamer_id for i in items})
    by_streamer: dict[int, list[Any]] = {}
    for u in users.select_related("profile"):
        by_streamer.setdefault(u.profile.streamer_id, []).append(u)
    for item in items:
        p = item.product
        if p.flash_sale:
            why = _("flash-sale products cannot be sold in a 信任购专场")
        else:
            missing = ", ".join(service_name(c) for c in p.trust_missing) or _("not eligible (TP-1)")
            why = _("it lost the 信任购 label (missing: %(missing)s)") % {"missing": missing}
        notify(
            users=by_streamer.get(item.session.streamer_id, []),
            kind="cart_removed",
            text=_("%(product)s left the cart of 信任购专场 %(session)s: %(why)s.")
            % {"product": p.title, "session": item.session.code, "why": why},
            link=f"/live/?session={item.session.code}",
            dedupe_key=f"cart_removed:{item.pk}",
        )
    CartItem.objects.filter(pk__in=[i.pk for i in items]).delete()
    return [i.product.code for i in items]


def _not_allowed_q() -> Any:
    from django.db.models import Q

    return Q(product__trust_label=False) | Q(product__flash_sale=True)


# ---- beat jobs ------------------------------------------------------------------------------


def full_recompute_report() -> TrustRecomputeRun:
    """TP-3 nightly: recompute every label; any row that changed was wrong — log and audit it."""
    run = TrustRecomputeRun.objects.create(kind=TrustRecomputeRun.Kind.PRODUCT_LABELS)
    with transaction.atomic():
        result = labels_refresh(scope=Scope.of(), sample=int(setting("trust.report_sample_size")))
    run.changed, run.sample_ids, run.finished_at = result.changed, result.sample_ids, timezone.now()
    run.save(update_fields=["changed", "sample_ids", "finished_at"])
    if result.changed:
        log.warning("trust full recompute corrected %d product labels, e.g. %s", result.changed, result.sample_ids[:10])
        audit(
            actor=None,
            action="trust_labels_corrected",
            obj=run,
            after={"changed": result.changed, "sample_ids": result.sample_ids},
            note=_("Rows whose 信任购 label was wrong before the nightly recompute."),
        )
    return run


def shop_badges_refresh(*, shop_ids: Iterable[int] | None = None) -> TrustRecomputeRun:
    """TP-6: recompute shop badges (hourly beat)."""
    run = TrustRecomputeRun.objects.create(kind=TrustRecomputeRun.Kind.SHOP_BADGES)
    with transaction.atomic():
        changed = recompute_shop_badges(shop_ids=shop_ids)
    run.changed, run.finished_at = changed, timezone.now()
    run.save(update_fields=["changed", "finished_at"])
    return run
