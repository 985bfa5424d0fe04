"""POST /api/v1/platform/sync — idempotent upsert of platform facts by code (SPEC §2).

The whole document is applied in one transaction, section by section in API.md's order.
Every item is validated (fields with DRF serializers, references against what exists or
was applied earlier in the same document); any item error rolls everything back and the
answer lists each error by section and index. Sending the same document twice changes
nothing (``changed`` all zero).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import serializers

from . import hooks
from .constants import ProductSource, Region, Role, ShopKind
from .errors import DomainError
from .models import Category, Consumer, LiveSession, Order, Product, Shop, Streamer

SECTIONS = (
    "qualification_types",
    "categories",
    "shops",
    "streamers",
    "consumers",
    "users",
    "products",
    "live_sessions",
    "orders",
)
MAX_ITEMS = 10_000

# qualification_types belong to the qualifications app, which registers its applier here.
EXTRA_SECTIONS: dict[str, Callable[[dict, Any], bool]] = {}
EXTRA_VALIDATORS: dict[str, type[serializers.Serializer]] = {}


class ItemError(Exception):
    def __init__(self, code: str, detail: str, fields: dict | None = None) -> None:
        super().__init__(detail)
        self.code, self.detail, self.fields = code, detail, fields


class InvalidSync(DomainError):
    code = "invalid_sync"
    status = 400


SCORE = {"max_digits": 3, "decimal_places": 2, "min_value": Decimal("0"), "max_value": Decimal("5")}
MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0")}


class CategoryIn(serializers.Serializer):
    code = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=200)
    parent = serializers.CharField(max_length=64, allow_null=True, required=False, default=None)
    szb_excluded = serializers.BooleanField(default=False)
    requires_return_freight = serializers.BooleanField(default=False)
    industry_services = serializers.ListField(child=serializers.CharField(max_length=40), default=list)
    damage_window_hours = serializers.IntegerField(min_value=1, max_value=24 * 365, default=72)
    required_qualification_types = serializers.ListField(child=serializers.CharField(max_length=64), default=list)


class ShopIn(serializers.Serializer):
    code = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=ShopKind.choices, default=ShopKind.REGULAR)
    experience_score = serializers.DecimalField(**SCORE, default=Decimal("0"))
    level = serializers.IntegerField(min_value=1, max_value=5, default=1)
    main_industry = serializers.CharField(max_length=64, allow_blank=True, default="")
    regions = serializers.ListField(
        child=serializers.ChoiceField(choices=Region.choices), default=lambda: [Region.CN], allow_empty=False
    )


class StreamerIn(serializers.Serializer):
    code = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=200)
    fans = serializers.IntegerField(min_value=0, default=0)
    experience_score = serializers.DecimalField(**SCORE, default=Decimal("0"))
    level = serializers.IntegerField(min_value=1, max_value=5, default=1)
    main_industry = serializers.CharField(max_length=64, allow_blank=True, default="")
    shizaibao = serializers.DictField(required=False, allow_null=True)


class ConsumerIn(serializers.Serializer):
    code = serializers.CharField(max_length=64)
    wallet_enabled = serializers.BooleanField(default=False)
    risk = serializers.BooleanField(default=False)


class UserIn(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(min_length=8, max_length=128)
    role = serializers.ChoiceField(choices=Role.choices)
    shop = serializers.CharField(max_length=64, required=False, allow_null=True)
    streamer = serializers.CharField(max_length=64, required=False, allow_null=True)
    consumer = serializers.CharField(max_length=64, required=False, allow_null=True)


class ProductIn(serializers.Serializer):
    code = serializers.CharField(max_length=64)
    shop = serializers.CharField(max_length=64)
    title = serializers.CharField(max_length=300)
    category = serializers.CharField(max_length=64)
    price = serializers.DecimalField(**MONEY)
    source = serializers.ChoiceField(choices=ProductSource.choices, default=ProductSource.OWN)
    flash_sale = serializers.BooleanField(default=False)
    attributes = serializers.DictField(default=dict)


class LiveSessionIn(serializers.Serializer):
    code = serializers.CharField(max_length=64)
    streamer = serializers.CharField(max_length=64)
    started_at = serializers.DateTimeField(allow_null=True, default=None)
    ended_at = serializers.DateTimeField(allow_null=True, default=None)
    trust_only = serializers.BooleanField(default=False)

    def validate(self, attrs: dict) -> dict:
        if attrs["ended_at"] and (not attrs["started_at"] or attrs["ended_at"] < attrs["started_at"]):
            raise serializers.ValidationError({"ended_at": [_("A session ends after it starts.")]})
        return attrs


class OrderIn(serializers.Serializer):
    code = serializers.CharField(max_length=64)
    consumer = serializers.CharField(max_length=64)
    shop = serializers.CharField(max_length=64)
    product = serializers.CharField(max_length=64)
    live_session = serializers.CharField(max_length=64, allow_null=True, default=None)
    streamer = serializers.CharField(max_length=64, allow_null=True, default=None)
    paid_amount = serializers.DecimalField(**MONEY)
    postage = serializers.DecimalField(**MONEY, default=Decimal("0.00"))
    region = serializers.ChoiceField(choices=Region.choices, default=Region.CN)
    placed_at = serializers.DateTimeField()


VALIDATORS: dict[str, type[serializers.Serializer]] = {
    "categories": CategoryIn,
    "shops": ShopIn,
    "streamers": StreamerIn,
    "consumers": ConsumerIn,
    "users": UserIn,
    "products": ProductIn,
    "live_sessions": LiveSessionIn,
    "orders": OrderIn,
}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        try:
            return Decimal(str(a)) == Decimal(str(b))
        except ArithmeticError:
            return False
    return a == b


def upsert(model: type, lookup: dict, values: dict) -> tuple[Any, bool]:
    """Create or update one row; ``changed`` is False when every value already matched."""
    obj = model.objects.select_for_update().filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        return obj, True
    dirty = [name for name, value in values.items() if not _same(getattr(obj, name), value)]
    if not dirty:
        return obj, False
    for name in dirty:
        setattr(obj, name, values[name])
    obj.save(update_fields=[*dirty, *(["updated_at"] if hasattr(obj, "updated_at") else [])])
    return obj, True


def _ref(model: type, code: str | None, fieldname: str) -> Any:
    if code is None:
        return None
    obj = model.objects.filter(code=code).first()
    if obj is None:
        raise ItemError(
            "unknown_reference",
            _("Unknown %(field)s: %(code)s") % {"field": fieldname, "code": code},
            {fieldname: [_("Unknown code.")]},
        )
    return obj


@dataclass
class Touched:
    shops: set[int] = field(default_factory=set)
    categories: set[int] = field(default_factory=set)
    products: set[int] = field(default_factory=set)


# ---- section appliers: (validated item, actor, touched) -> changed --------------------------


def _apply_category(d: dict, actor: Any, t: Touched) -> bool:
    from .services import known_service_codes

    unknown = [c for c in d["industry_services"] if c not in known_service_codes()]
    if unknown:
        raise ItemError("invalid", _("Unknown service codes."), {"industry_services": unknown})
    parent = _ref(Category, d["parent"], "parent")
    values = {
        k: d[k]
        for k in (
            "name",
            "szb_excluded",
            "requires_return_freight",
            "industry_services",
            "damage_window_hours",
            "required_qualification_types",
        )
    }
    values["parent"] = parent
    existing = Category.objects.filter(code=d["code"]).first()
    if parent is not None and existing is not None:
        node = parent
        while node is not None:
            if node.pk == existing.pk:
                raise ItemError("invalid", _("A category cannot be its own ancestor."), {"parent": [d["parent"]]})
            node = node.parent
    obj, changed = upsert(Category, {"code": d["code"]}, values)
    if changed:
        t.categories.add(obj.pk)
    return changed


def _apply_shop(d: dict, actor: Any, t: Touched) -> bool:
    values = {k: d[k] for k in ("name", "kind", "experience_score", "level", "main_industry")}
    values["regions"] = sorted(set(d["regions"]))
    obj, changed = upsert(Shop, {"code": d["code"]}, values)
    if changed:
        t.shops.add(obj.pk)
    return changed


def _apply_streamer(d: dict, actor: Any, t: Touched) -> bool:
    values = {k: d[k] for k in ("name", "fans", "experience_score", "level", "main_industry")}
    obj, changed = upsert(Streamer, {"code": d["code"]}, values)
    if d.get("shizaibao"):
        if not hooks.streamer_extras:
            raise ItemError("invalid", _("实在宝 enrolments cannot be imported."), {"shizaibao": ["unsupported"]})
        changed = any(hooks.run(hooks.streamer_extras, obj, d["shizaibao"], actor)) or changed
    return changed


def _apply_consumer(d: dict, actor: Any, t: Touched) -> bool:
    _obj, changed = upsert(Consumer, {"code": d["code"]}, {"wallet_enabled": d["wallet_enabled"], "risk": d["risk"]})
    return changed


def _apply_user(d: dict, actor: Any, t: Touched) -> bool:
    from .services import user_upsert

    try:
        return user_upsert(**d)[1]
    except DomainError as exc:
        raise ItemError(exc.code, str(exc.message), exc.extra.get("errors")) from None


def _apply_product(d: dict, actor: Any, t: Touched) -> bool:
    shop = _ref(Shop, d["shop"], "shop")
    category = _ref(Category, d["category"], "category")
    existing = Product.objects.filter(code=d["code"]).only("shop_id").first()
    if existing is not None and existing.shop_id != shop.pk:
        raise ItemError("invalid", _("A product cannot move to another shop."), {"shop": [d["shop"]]})
    values = {
        "shop": shop,
        "category": category,
        **{k: d[k] for k in ("title", "price", "source", "flash_sale", "attributes")},
    }
    obj, changed = upsert(Product, {"code": d["code"]}, values)
    if changed:
        t.products.add(obj.pk)
        t.shops.add(shop.pk)
    return changed


def _apply_live_session(d: dict, actor: Any, t: Touched) -> bool:
    streamer = _ref(Streamer, d["streamer"], "streamer")
    values = {"streamer": streamer, **{k: d[k] for k in ("started_at", "ended_at", "trust_only")}}
    _obj, changed = upsert(LiveSession, {"code": d["code"]}, values)
    return changed


def _apply_order(d: dict, actor: Any, t: Touched) -> bool:
    consumer = _ref(Consumer, d["consumer"], "consumer")
    shop = _ref(Shop, d["shop"], "shop")
    product = _ref(Product, d["product"], "product")
    session = _ref(LiveSession, d["live_session"], "live_session")
    streamer = _ref(Streamer, d["streamer"], "streamer")
    if product.shop_id != shop.pk:
        raise ItemError("invalid", _("The product is not sold by this shop."), {"product": [d["product"]]})
    if session is not None:
        if streamer is None:
            streamer = session.streamer
        elif session.streamer_id != streamer.pk:
            raise ItemError(
                "invalid", _("The live session belongs to another streamer."), {"live_session": [d["live_session"]]}
            )
    values = {
        "consumer": consumer,
        "shop": shop,
        "product": product,
        "live_session": session,
        "streamer": streamer,
        "paid_amount": d["paid_amount"],
        "postage": d["postage"],
        "region": d["region"],
        "placed_at": d["placed_at"],
    }
    existing = Order.objects.select_for_update().filter(code=d["code"]).first()
    if existing is None:
        try:
            hooks.run(hooks.order_intake_checks, order_values=values)
        except DomainError as exc:
            raise ItemError(exc.code, str(exc.message)) from None
        order = Order(code=d["code"], **values)
        hooks.run(hooks.order_flags, order)
        order.save()
        return True
    if existing.shipped_at and existing.placed_at != d["placed_at"]:
        raise ItemError("invalid", _("An order's placement cannot change after it shipped."), {"placed_at": ["fixed"]})
    _obj, changed = upsert(Order, {"code": d["code"]}, values)
    return changed


APPLIERS: dict[str, Callable[[dict, Any, Touched], bool]] = {
    "categories": _apply_category,
    "shops": _apply_shop,
    "streamers": _apply_streamer,
    "consumers": _apply_consumer,
    "users": _apply_user,
    "products": _apply_product,
    "live_sessions": _apply_live_session,
    "orders": _apply_order,
}


class _Rollback(Exception):
    pass


def platform_sync(*, document: Any, actor: Any = None) -> dict:
    """Apply a sync document atomically. Returns ``{"applied", "changed"}``; raises InvalidSync."""
    if not isinstance(document, dict):
        raise InvalidSync(_("The sync document must be a JSON object."), errors={})
    # Sections registered by later apps that are not in SECTIONS run after them (e.g. RF-1's
    # consumer_identities, registered by claims).
    order = (*SECTIONS, *(name for name in EXTRA_SECTIONS if name not in SECTIONS))
    unknown = sorted(set(document) - set(order))
    top_errors: dict[str, Any] = {}
    for name in unknown:
        top_errors[name] = {"-": {"code": "unknown_section", "detail": _("Unknown section.")}}
    for name in order:
        if name in document and (not isinstance(document[name], list) or len(document[name]) > MAX_ITEMS):
            top_errors[name] = {
                "-": {"code": "invalid", "detail": _("A section is a list of at most %(n)d items.") % {"n": MAX_ITEMS}}
            }
    if top_errors:
        raise InvalidSync(_("The sync document is not valid; nothing was applied."), errors=top_errors)

    applied = {name: len(document[name]) for name in order if name in document}
    changed = dict.fromkeys(applied, 0)
    errors: dict[str, dict[str, Any]] = {}
    touched = Touched()
    try:
        with transaction.atomic():
            for name in order:
                if name not in document:
                    continue
                validator = VALIDATORS.get(name) or EXTRA_VALIDATORS.get(name)
                applier = APPLIERS.get(name) or EXTRA_SECTIONS.get(name)
                if validator is None or applier is None:
                    errors[name] = {"-": {"code": "unsupported", "detail": _("This section is not supported.")}}
                    continue
                for index, item in enumerate(document[name]):
                    ser = validator(data=item)
                    if not isinstance(item, dict) or not ser.is_valid():
                        fields = ser.errors if isinstance(item, dict) else {"non_field_errors": ["not an object"]}
                        errors.setdefault(name, {})[str(index)] = {
                            "code": "invalid",
                            "detail": _("Invalid item."),
                            "fields": {
                                k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in fields.items()
                            },
                        }
                        continue
                    try:
                        with transaction.atomic():
                            if (
                                applier(ser.validated_data, actor, touched)
                                if name in APPLIERS
                                else applier(ser.validated_data, actor)
                            ):
                                changed[name] += 1
                    except ItemError as exc:
                        entry = {"code": exc.code, "detail": exc.detail}
                        if exc.fields:
                            entry["fields"] = exc.fields
                        errors.setdefault(name, {})[str(index)] = entry
            if errors:
                raise _Rollback
            if touched.shops or touched.categories or touched.products:
                hooks.run(
                    hooks.facts_changed,
                    shop_ids=touched.shops,
                    category_ids=touched.categories,
                    product_ids=touched.products,
                )
    except _Rollback:
        raise InvalidSync(_("The sync document has invalid items; nothing was applied."), errors=errors) from None
    return {"applied": applied, "changed": changed}
