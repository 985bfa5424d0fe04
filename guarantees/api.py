"""DRF endpoints of API.md for 权益中心 / 信任购 (merchant: services, products, trust badge,
return addresses; streamer: trust-only live sessions and carts; buyers: product label, TP-4/7)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.api_common import HasRole, IsMerchant, IsStreamer, role_of, validated
from shop.constants import TRUST_SURFACES_DEDICATED, TRUST_SURFACES_ORDINARY, Role
from shop.errors import ValidationFailed
from shop.models import LiveSession, Product, Shop, Streamer
from shop.rules import setting
from shop.selectors import consumer_for, shop_for, streamer_for

from . import selectors, services
from .rules import TRUST_GUIDE_PROMPT
from .serializers import (
    BulkOptOutIn,
    BulkOptOutOut,
    CartAddIn,
    CartItemOut,
    LiveSessionOut,
    LiveSessionPatchIn,
    LiveSessionPatchOut,
    ProductCreateIn,
    ProductOut,
    ProductPatchIn,
    PublicProductOut,
    ReturnAddressIn,
    ReturnAddressOut,
    ServiceImpactOut,
    ServiceOut,
    ServiceToggleIn,
    ServiceToggleOut,
    TrustBadgeOut,
)
from .trust import toggle_impact_ids

ERR = OpenApiResponse(description='`{"code", "detail"}` (API.md error shape)')
BOOL_FILTER = [
    OpenApiParameter("trust_label", bool, description="true / false"),
    OpenApiParameter("on_sale", bool, description="true / false"),
    OpenApiParameter("q", str, description="code or title contains"),
]


def _shop(request: Request) -> Shop:
    shop = shop_for(request.user)
    if shop is None:
        raise PermissionDenied()
    return shop


def _streamer(request: Request) -> Streamer:
    streamer = streamer_for(request.user)
    if streamer is None:
        raise PermissionDenied()
    return streamer


def _service_row(shop: Shop, code: str) -> dict[str, Any]:
    return next(s for s in selectors.shop_services(shop) if s["code"] == code)


# ---- merchant: 权益中心 -----------------------------------------------------------------------


class ServiceListView(APIView):
    permission_classes = [IsMerchant]

    @extend_schema(responses={200: ServiceOut(many=True)}, tags=["merchant: rights centre"])
    def get(self, request: Request) -> Response:
        return Response(ServiceOut(selectors.shop_services(_shop(request)), many=True).data)


class ServiceDetailView(APIView):
    permission_classes = [IsMerchant]

    @extend_schema(
        request=ServiceToggleIn,
        responses={200: ServiceToggleOut, 400: ERR, 404: ERR, 409: ERR},
        tags=["merchant: rights centre"],
        description="Turn a service on or off for all the shop's products (SPEC §3). "
        "A global shop's mandatory services cannot be turned off: 409 service_mandatory (GP-1).",
    )
    def put(self, request: Request, code: str) -> Response:
        shop = _shop(request)
        services._service_code(code)
        data = validated(ServiceToggleIn, request.data)
        services.service_toggle(shop=shop, code=code, enabled=data["enabled"], actor=request.user)
        row = _service_row(shop, code)
        row["labels_current"] = Product.objects.filter(shop=shop).count() <= setting(
            "trust.sync_recompute_max_products"
        )
        return Response(ServiceToggleOut(row).data)


class ServiceImpactView(APIView):
    permission_classes = [IsMerchant]

    @extend_schema(
        parameters=[OpenApiParameter("enabled", bool, required=True)],
        responses={200: ServiceImpactOut, 400: ERR, 404: ERR},
        tags=["merchant: rights centre"],
        description="BX-4: which products would gain or lose the 信任购 label if this service became `enabled`.",
    )
    def get(self, request: Request, code: str) -> Response:
        shop = _shop(request)
        services._service_code(code)
        value = request.query_params.get("enabled")
        if value not in ("true", "false"):
            raise ValidationFailed(errors={"enabled": ["Use true or false."]})
        gain, lose = toggle_impact_ids(shop_id=shop.pk, code=code, enabled=value == "true")
        codes = dict(Product.objects.filter(pk__in=[*gain[:100], *lose[:100]]).values_list("pk", "code"))
        return Response(
            ServiceImpactOut(
                {
                    "code": code,
                    "enabled": value == "true",
                    "gain": len(gain),
                    "lose": len(lose),
                    "gain_products": [codes[i] for i in gain[:100]],
                    "lose_products": [codes[i] for i in lose[:100]],
                }
            ).data
        )


# ---- merchant: products ---------------------------------------------------------------------


class ProductListView(generics.GenericAPIView):
    permission_classes = [IsMerchant]
    serializer_class = ProductOut
    queryset = Product.objects.none()  # for the schema; get() scopes to the caller's shop

    def get_serializer_context(self) -> dict[str, Any]:
        ctx = super().get_serializer_context()
        ctx["enabled"] = selectors.enabled_services(_shop(self.request))
        return ctx

    @extend_schema(parameters=BOOL_FILTER, responses={200: ProductOut(many=True)}, tags=["merchant: products"])
    def get(self, request: Request) -> Response:
        qs = selectors.filter_products(selectors.products_for_shop(_shop(request)), request.query_params)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=ProductCreateIn,
        responses={201: ProductOut, 200: ProductOut, 400: ERR, 409: ERR},
        tags=["merchant: products"],
    )
    def post(self, request: Request) -> Response:
        shop = _shop(request)
        data = validated(ProductCreateIn, request.data)
        product, created = services.product_create(shop=shop, actor=request.user, **data)
        product = selectors.products_for_shop(shop).get(pk=product.pk)
        return Response(
            self.get_serializer(product).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class ProductDetailView(generics.GenericAPIView):
    permission_classes = [IsMerchant]
    serializer_class = ProductOut

    def get_serializer_context(self) -> dict[str, Any]:
        ctx = super().get_serializer_context()
        ctx["enabled"] = selectors.enabled_services(_shop(self.request))
        return ctx

    def _product(self, request: Request, code: str) -> Product:
        return get_object_or_404(selectors.products_for_shop(_shop(request)), code=code)

    @extend_schema(responses={200: ProductOut, 404: ERR}, tags=["merchant: products"])
    def get(self, request: Request, code: str) -> Response:
        return Response(self.get_serializer(self._product(request, code)).data)

    @extend_schema(request=ProductPatchIn, responses={200: ProductOut, 400: ERR, 404: ERR}, tags=["merchant: products"])
    def patch(self, request: Request, code: str) -> Response:
        product = self._product(request, code)
        data = validated(ProductPatchIn, request.data)
        services.product_update(product=product, actor=request.user, **data)
        return Response(self.get_serializer(self._product(request, code)).data)


class BulkOptOutView(APIView):
    permission_classes = [IsMerchant]

    @extend_schema(
        request=BulkOptOutIn,
        responses={200: BulkOptOutOut, 400: ERR, 409: ERR},
        tags=["merchant: products"],
        description="BX-7: opt many products in or out of one service at once (all or nothing).",
    )
    def post(self, request: Request) -> Response:
        data = validated(BulkOptOutIn, request.data)
        changed = services.opt_outs_bulk(
            shop=_shop(request),
            product_codes=data["products"],
            code=data["service"],
            opted_out=data["opted_out"],
            actor=request.user,
        )
        return Response({"changed": changed})


class TrustBadgeView(APIView):
    permission_classes = [IsMerchant]

    @extend_schema(responses={200: TrustBadgeOut}, tags=["merchant: rights centre"])
    def get(self, request: Request) -> Response:
        return Response(TrustBadgeOut(selectors.shop_badge(_shop(request))).data)


# ---- merchant: GP-3 return addresses --------------------------------------------------------


class ReturnAddressListView(APIView):
    permission_classes = [IsMerchant]

    @extend_schema(responses={200: ReturnAddressOut(many=True)}, tags=["merchant: return addresses"])
    def get(self, request: Request) -> Response:
        return Response(ReturnAddressOut(selectors.return_addresses(_shop(request)), many=True).data)


class ReturnAddressView(APIView):
    permission_classes = [IsMerchant]

    @extend_schema(
        request=ReturnAddressIn, responses={200: ReturnAddressOut, 400: ERR}, tags=["merchant: return addresses"]
    )
    def put(self, request: Request, region: str) -> Response:
        shop = _shop(request)
        if region not in ("CN", "HK", "TW"):
            raise services.InvalidRegion()
        data = validated(ReturnAddressIn, request.data)
        services.return_address_set(shop=shop, region=region, actor=request.user, **data)
        return Response(ReturnAddressOut(selectors.return_address_for(shop, region)).data)


# ---- streamer: TP-5 -------------------------------------------------------------------------


class LiveSessionListView(generics.ListAPIView):
    permission_classes = [IsStreamer]
    serializer_class = LiveSessionOut

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LiveSession.objects.none()
        return selectors.sessions_for_streamer(_streamer(self.request))

    @extend_schema(tags=["streamer: live"])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class LiveSessionView(APIView):
    permission_classes = [IsStreamer]

    @extend_schema(responses={200: LiveSessionOut, 404: ERR}, tags=["streamer: live"])
    def get(self, request: Request, code: str) -> Response:
        session = get_object_or_404(LiveSession, streamer=_streamer(request), code=code)
        return Response(LiveSessionOut(session).data)

    @extend_schema(
        request=LiveSessionPatchIn,
        responses={200: LiveSessionPatchOut, 400: ERR, 404: ERR, 409: ERR},
        tags=["streamer: live"],
        description="TP-5: 信任购专场 on/off before the session starts (409 session_started after). "
        "`guide_prompt` is set the first time the streamer turns it on.",
    )
    def patch(self, request: Request, code: str) -> Response:
        streamer = _streamer(request)
        get_object_or_404(LiveSession, streamer=streamer, code=code)
        data = validated(LiveSessionPatchIn, request.data)
        session, show_guide, removed = services.live_session_set_trust_only(
            streamer=streamer, session_code=code, trust_only=data["trust_only"], actor=request.user
        )
        out = LiveSessionOut(session).data
        out["guide_prompt"] = str(TRUST_GUIDE_PROMPT) if show_guide else None
        out["removed_from_cart"] = removed
        return Response(out)


class CartView(APIView):
    permission_classes = [IsStreamer]

    @extend_schema(responses={200: CartItemOut(many=True), 404: ERR}, tags=["streamer: live"])
    def get(self, request: Request, code: str) -> Response:
        session = get_object_or_404(LiveSession, streamer=_streamer(request), code=code)
        return Response(CartItemOut(selectors.cart_items(session), many=True).data)

    @extend_schema(
        request=CartAddIn,
        responses={201: CartItemOut, 200: CartItemOut, 400: ERR, 404: ERR, 409: ERR},
        tags=["streamer: live"],
        description="TP-5: in a trust-only session a flash-sale product → 409 flash_sale_not_allowed "
        "(checked first), a product without the label → 409 not_trust_labelled.",
    )
    def post(self, request: Request, code: str) -> Response:
        streamer = _streamer(request)
        get_object_or_404(LiveSession, streamer=streamer, code=code)
        data = validated(CartAddIn, request.data)
        item, created = services.cart_add(
            streamer=streamer, session_code=code, product_code=data["product"], actor=request.user
        )
        p = item.product
        body = {
            "product": p.code,
            "title": p.title,
            "trust_label": p.trust_label,
            "flash_sale": p.flash_sale,
            "added_at": item.added_at,
        }
        return Response(CartItemOut(body).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class CartItemView(APIView):
    permission_classes = [IsStreamer]

    @extend_schema(request=None, responses={204: None, 404: ERR}, tags=["streamer: live"])
    def delete(self, request: Request, code: str, product: str) -> Response:
        services.cart_remove(streamer=_streamer(request), session_code=code, product_code=product, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---- buyers: TP-4 / TP-7 --------------------------------------------------------------------


class PublicProductView(APIView):
    permission_classes = [HasRole.of(Role.CONSUMER, Role.MERCHANT, Role.STREAMER, Role.REVIEWER)]

    @extend_schema(
        parameters=[OpenApiParameter("live_session", str, description="the live session the buyer is in")],
        responses={200: PublicProductOut, 404: ERR},
        tags=["buyers"],
        description="TP-4: the 信任购 label and the surfaces it shows on (dedicated trust room or ordinary); "
        "TP-7: a risk consumer is never shown the label.",
    )
    def get(self, request: Request, code: str) -> Response:
        product = get_object_or_404(Product.objects.select_related("shop"), code=code)
        consumer = consumer_for(request.user) if role_of(request.user) == Role.CONSUMER else None
        risk = bool(consumer and consumer.risk)
        session_code = request.query_params.get("live_session")
        dedicated = bool(session_code and LiveSession.objects.filter(code=session_code, trust_only=True).exists())
        label = product.trust_label and not risk
        surfaces = (TRUST_SURFACES_DEDICATED if dedicated else TRUST_SURFACES_ORDINARY) if label else []
        return Response(
            PublicProductOut(
                {
                    "code": product.code,
                    "title": product.title,
                    "price": product.price,
                    "trust_label": label,
                    "surfaces": list(surfaces),
                    "shop_trust_badge": product.shop.trust_badge_shown and not risk,
                }
            ).data
        )
