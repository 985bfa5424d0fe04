"""DRF endpoints of the claim engine (API.md: Claims, Reviewer, funding, accounts, wallet)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.api_common import HasRole, IsConsumer, IsMerchant, IsPlatform, IsReviewer, IsStreamer, validated
from shop.constants import Role
from shop.errors import ValidationFailed
from shop.models import Shop, Streamer
from shop.selectors import consumer_for, shop_for, streamer_for

from . import engine
from .models import Appeal
from .selectors import claim_details_visible_to, claim_filter, shop_balances, streamer_balances, wallet
from .serializers import (
    AppealDecisionIn,
    AppealIn,
    AppealOut,
    ClaimCreatedOut,
    ClaimIn,
    ClaimInSchema,
    ClaimOut,
    DecisionIn,
    EscalateIn,
    FundIn,
    FundOut,
    MerchantResponseIn,
    ShopAccountOut,
    StreamerAccountOut,
    WalletOut,
)

STANDARD_FIELDS = {"order", "kind", "type", "reason", "evidence"}


def _claim_out(pk: int, user: Any) -> dict[str, Any]:
    claim = claim_details_visible_to(user).get(pk=pk)
    return ClaimOut(claim).data


class ClaimListView(generics.ListAPIView):
    """GET: the claims the caller may see. POST (consumer): file a claim."""

    permission_classes = [HasRole.of(Role.CONSUMER, Role.STREAMER, Role.MERCHANT, Role.REVIEWER)]
    serializer_class = ClaimOut

    def get_permissions(self) -> list:
        if self.request.method == "POST":
            return [IsConsumer()]
        return super().get_permissions()

    def get_queryset(self):
        qs = claim_details_visible_to(self.request.user)
        return claim_filter(qs, self.request.query_params).order_by("-filed_at", "-id")

    @extend_schema(
        tags=["claims"],
        parameters=[
            OpenApiParameter("status", str),
            OpenApiParameter("kind", str),
            OpenApiParameter("type", str),
            OpenApiParameter("order", str),
            OpenApiParameter("q", str),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ClaimInSchema, responses={201: ClaimCreatedOut}, tags=["claims"])
    def post(self, request: Request) -> Response:
        data = validated(ClaimIn, request.data)
        raw = request.data if isinstance(request.data, dict) else {}
        claim = engine.claim_file(
            consumer=consumer_for(request.user),
            actor=request.user,
            order_code=data["order"],
            kind=data["kind"],
            type=data.get("type", ""),
            reason=data["reason"],
            evidence=data.get("evidence", []),
            data={k: v for k, v in raw.items() if k not in STANDARD_FIELDS},
        )
        return Response({"id": claim.pk, "status": claim.status}, status=status.HTTP_201_CREATED)


class ClaimDetailView(APIView):
    permission_classes = [HasRole.of(Role.CONSUMER, Role.STREAMER, Role.MERCHANT, Role.REVIEWER)]

    @extend_schema(responses={200: ClaimOut}, tags=["claims"])
    def get(self, request: Request, pk: int) -> Response:
        claim = get_object_or_404(claim_details_visible_to(request.user), pk=pk)
        return Response(ClaimOut(claim).data)


class MerchantResponseView(APIView):
    permission_classes = [IsMerchant]

    @extend_schema(request=MerchantResponseIn, responses={200: ClaimOut}, tags=["claims"])
    def post(self, request: Request, pk: int) -> Response:
        data = validated(MerchantResponseIn, request.data)
        engine.claim_merchant_respond(
            claim_id=pk, shop=shop_for(request.user), actor=request.user, accept=data["accept"], note=data["note"]
        )
        return Response(_claim_out(pk, request.user))


class EscalateView(APIView):
    permission_classes = [IsConsumer]

    @extend_schema(request=EscalateIn, responses={200: ClaimOut}, tags=["claims"])
    def post(self, request: Request, pk: int) -> Response:
        data = validated(EscalateIn, request.data or {})
        engine.claim_escalate(claim_id=pk, consumer=consumer_for(request.user), actor=request.user, note=data["note"])
        return Response(_claim_out(pk, request.user))


class AppealView(APIView):
    permission_classes = [IsStreamer]

    @extend_schema(request=AppealIn, responses={201: AppealOut}, tags=["claims"])
    def post(self, request: Request, pk: int) -> Response:
        data = validated(AppealIn, request.data)
        appeal = engine.appeal_file(
            claim_id=pk, streamer=streamer_for(request.user), actor=request.user, reason=data["reason"]
        )
        return Response(AppealOut(appeal).data, status=status.HTTP_201_CREATED)


class ClaimDecisionView(APIView):
    permission_classes = [IsReviewer]

    @extend_schema(request=DecisionIn, responses={200: ClaimOut}, tags=["review"])
    def post(self, request: Request, pk: int) -> Response:
        data = validated(DecisionIn, request.data)
        engine.claim_decide(claim_id=pk, reviewer=request.user, **data)
        return Response(_claim_out(pk, request.user))


class AppealDecisionView(APIView):
    permission_classes = [IsReviewer]

    @extend_schema(request=AppealDecisionIn, responses={200: AppealOut}, tags=["review"])
    def post(self, request: Request, pk: int) -> Response:
        data = validated(AppealDecisionIn, request.data)
        engine.appeal_decide(appeal_id=pk, reviewer=request.user, **data)
        return Response(AppealOut(Appeal.objects.get(pk=pk)).data)


class _FundView(APIView):
    permission_classes = [IsPlatform]
    party_model: type = Streamer

    def post(self, request: Request, code: str) -> Response:
        party = get_object_or_404(self.party_model, code=code)
        data = validated(FundIn, request.data)
        created, balance = engine.account_fund(
            party=party, account=data["account"], amount=data["amount"], key=data["key"], actor=request.user
        )
        body = {"key": data["key"], "account": data["account"], "amount": data["amount"], "balance": balance}
        return Response(FundOut(body).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class StreamerFundView(_FundView):
    party_model = Streamer

    @extend_schema(request=FundIn, responses={201: FundOut, 200: FundOut}, tags=["platform"])
    def post(self, request: Request, code: str) -> Response:
        return super().post(request, code)


class ShopFundView(_FundView):
    party_model = Shop

    @extend_schema(request=FundIn, responses={201: FundOut, 200: FundOut}, tags=["platform"])
    def post(self, request: Request, code: str) -> Response:
        return super().post(request, code)


class StreamerAccountView(APIView):
    permission_classes = [IsStreamer]

    @extend_schema(responses={200: StreamerAccountOut}, tags=["streamer"])
    def get(self, request: Request) -> Response:
        streamer = streamer_for(request.user)
        if streamer is None:
            raise ValidationFailed()
        return Response(StreamerAccountOut(streamer_balances(streamer)).data)


class ShopAccountView(APIView):
    permission_classes = [IsMerchant]

    @extend_schema(responses={200: ShopAccountOut}, tags=["merchant"])
    def get(self, request: Request) -> Response:
        shop = shop_for(request.user)
        if shop is None:
            raise ValidationFailed()
        return Response(ShopAccountOut(shop_balances(shop)).data)


class WalletView(APIView):
    permission_classes = [IsConsumer]

    @extend_schema(responses={200: WalletOut}, tags=["consumer"])
    def get(self, request: Request) -> Response:
        consumer = consumer_for(request.user)
        if consumer is None:
            raise ValidationFailed()
        return Response(WalletOut(wallet(consumer)).data)
