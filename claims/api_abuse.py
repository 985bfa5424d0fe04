"""DRF endpoints of RF-3 / RF-4 (API.md) and GP-3's return receipt.

- ``GET|POST /shop/abuse-reports``, ``GET /shop/abuse-reports/{id}`` (merchant)
- ``POST /review/abuse-reports/{id}/decision`` (reviewer)
- ``POST /review/consumers/{code}/return-freight`` (reviewer): freeze | unfreeze | revoke
  (| legal_referral)
- ``GET /review/consumers/{code}/abuse`` (reviewer): RF-2 score, signals and evidence trail
- ``POST /claims/{id}/return-received`` (merchant): a 本地退货 return arrived → refund
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.api_common import IsMerchant, IsReviewer, validated
from shop.models import Consumer
from shop.selectors import shop_for

from . import abuse_measures, abuse_reports, abuse_returns
from .abuse_scoring import COUNTS, trail_for_consumer
from .models import AbuseReport, ConsumerRisk, LinkedGroup, ReturnFreightStanding
from .serializers import ClaimOut
from .serializers_abuse import (
    AbuseDecisionIn,
    AbuseReportIn,
    AbuseReportOut,
    ConsumerAbuseOut,
    ReturnFreightActionIn,
    ReturnFreightStandingOut,
    ReturnReceivedIn,
)


class ShopAbuseReportsView(generics.ListAPIView):
    permission_classes = [IsMerchant]
    serializer_class = AbuseReportOut

    def get_queryset(self):
        qs = AbuseReport.objects.filter(shop=shop_for(self.request.user)).select_related("consumer", "shop")
        if self.request.query_params.get("status"):
            qs = qs.filter(status=self.request.query_params["status"])
        return qs.prefetch_related("evidence")

    @extend_schema(tags=["abuse"], operation_id="shop_abuse_reports_list")
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=AbuseReportIn, responses={201: AbuseReportOut}, tags=["abuse"])
    def post(self, request: Request) -> Response:
        data = validated(AbuseReportIn, request.data)
        report = abuse_reports.report_file(
            shop=shop_for(request.user),
            user=request.user,
            consumer_code=data["consumer"],
            reason=data["reason"],
            evidence=data["evidence"],
        )
        return Response(AbuseReportOut(report).data, status=status.HTTP_201_CREATED)


class ShopAbuseReportDetailView(generics.RetrieveAPIView):
    permission_classes = [IsMerchant]
    serializer_class = AbuseReportOut

    def get_queryset(self):
        return AbuseReport.objects.filter(shop=shop_for(self.request.user)).select_related("consumer", "shop")

    @extend_schema(tags=["abuse"])
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class ReviewAbuseReportDecisionView(APIView):
    permission_classes = [IsReviewer]

    @extend_schema(request=AbuseDecisionIn, responses={200: AbuseReportOut}, tags=["review"])
    def post(self, request: Request, pk: int) -> Response:
        data = validated(AbuseDecisionIn, request.data)
        report = abuse_reports.report_decide(report_id=pk, reviewer=request.user, **data)
        return Response(AbuseReportOut(report).data)


class ReviewReturnFreightView(APIView):
    permission_classes = [IsReviewer]

    @extend_schema(request=ReturnFreightActionIn, responses={200: ReturnFreightStandingOut}, tags=["review"])
    def post(self, request: Request, code: str) -> Response:
        data = validated(ReturnFreightActionIn, request.data)
        standing = abuse_measures.standing_transition(
            consumer_code=code, action=data["action"], actor=request.user, note=data["note"]
        )
        standing = ReturnFreightStanding.objects.select_related("consumer").get(pk=standing.pk)
        return Response(ReturnFreightStandingOut(standing).data)


class ReviewConsumerAbuseView(APIView):
    permission_classes = [IsReviewer]

    @extend_schema(responses={200: ConsumerAbuseOut}, tags=["review"])
    def get(self, request: Request, code: str) -> Response:
        consumer = get_object_or_404(Consumer, code=code)
        risk = ConsumerRisk.objects.filter(consumer=consumer).first() or ConsumerRisk(consumer=consumer)
        group = LinkedGroup.objects.filter(key=risk.group_key).first() if risk.group_key else None
        return Response(
            ConsumerAbuseOut(
                {
                    "consumer": consumer.code,
                    "score": risk.score,
                    "signals": {k: getattr(risk, k) for k in COUNTS},
                    "group": {"key": group.key, "size": group.size, "score": group.score} if group else None,
                    "scored_at": risk.scored_at,
                    "standing": abuse_measures.standing_of(consumer),
                    "trail": [t.__dict__ for t in trail_for_consumer(risk)] if risk.scored_at else [],
                }
            ).data
        )


class ReturnReceivedView(APIView):
    permission_classes = [IsMerchant]

    @extend_schema(request=ReturnReceivedIn, responses={200: ClaimOut}, tags=["claims"])
    def post(self, request: Request, pk: int) -> Response:
        data = validated(ReturnReceivedIn, request.data)
        claim = abuse_returns.local_return_received(
            claim_id=pk, shop=shop_for(request.user), actor=request.user, note=data["note"]
        )
        return Response(ClaimOut(claim).data)
