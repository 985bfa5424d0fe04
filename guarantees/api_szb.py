"""DRF endpoints of API.md for 实在宝 enrolment (SZB-1/2/3) and kick-out rules (KG-1…3)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.api_common import IsReviewer, IsStreamer, validated
from shop.models import Streamer
from shop.netutils import client_ip

from . import kick, shizaibao
from .api import _streamer  # the caller\'s streamer, else 403
from .serializers_szb import (
    EnrolmentStateOut,
    KickIn,
    KickOut,
    KickRulesOut,
    OpenIn,
    RequestIn,
    RequestOut,
)

ERR = OpenApiResponse(description='`{"code", "detail"}` (API.md error shape)')


def _state(streamer: Streamer) -> dict:
    return EnrolmentStateOut(shizaibao.enrolment_state(streamer)).data


class ShizaibaoView(APIView):
    permission_classes = [IsStreamer]

    @extend_schema(responses={200: EnrolmentStateOut}, tags=["streamer: 实在宝"])
    def get(self, request: Request) -> Response:
        return Response(_state(_streamer(request)))


class ShizaibaoOpenView(APIView):
    permission_classes = [IsStreamer]

    @extend_schema(
        request=OpenIn,
        responses={201: EnrolmentStateOut, 200: EnrolmentStateOut, 400: ERR, 403: ERR},
        tags=["streamer: 实在宝"],
        description="立即开通 (SZB-3). 400 agreement_required / agreement_outdated; 403 not_invited / "
        "not_eligible; already open → 200.",
    )
    def post(self, request: Request) -> Response:
        streamer = _streamer(request)
        data = validated(OpenIn, request.data)
        _enrolment, created = shizaibao.szb_open(
            streamer=streamer,
            user=request.user,
            agree=data["agree"],
            agreement_version=data["agreement_version"],
            ip=client_ip(request),
        )
        return Response(_state(streamer), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ShizaibaoRequestView(APIView):
    permission_classes = [IsStreamer]

    @extend_schema(
        request=RequestIn,
        responses={201: RequestOut},
        tags=["streamer: 实在宝"],
        description="Ask to open 实在宝 when not invited or not eligible (SZB-2); one pending request per "
        "streamer, a repeat updates it.",
    )
    def post(self, request: Request) -> Response:
        streamer = _streamer(request)
        data = validated(RequestIn, request.data)
        req = shizaibao.szb_request_create(streamer=streamer, **data)
        return Response(RequestOut(req).data, status=status.HTTP_201_CREATED)


class ReviewInviteView(APIView):
    permission_classes = [IsReviewer]

    @extend_schema(request=None, responses={200: EnrolmentStateOut, 404: ERR}, tags=["review"])
    def post(self, request: Request, code: str) -> Response:
        streamer = get_object_or_404(Streamer, code=code)
        shizaibao.szb_invite(streamer=streamer, actor=request.user)
        return Response(_state(streamer))


class KickView(APIView):
    permission_classes = [IsStreamer]

    @extend_schema(
        request=KickIn,
        responses={200: KickOut, 400: ERR, 403: ERR, 404: ERR},
        tags=["streamer: live"],
        description="KG-1…KG-3. 200 {allowed: true} or 403 kick_forbidden_low_score / "
        "kick_forbidden_recent_buyer; every attempt is logged.",
    )
    def post(self, request: Request, code: str) -> Response:
        streamer = _streamer(request)
        data = validated(KickIn, request.data)
        attempt = kick.kick_attempt(
            streamer=streamer, session_code=code, consumer_code=data["consumer"], actor=request.user
        )
        error = kick.kick_error(attempt)
        if error is not None:
            raise error
        return Response(KickOut(attempt).data)


class KickRulesView(APIView):
    permission_classes = [IsStreamer]

    @extend_schema(responses={200: KickRulesOut}, tags=["streamer: live"])
    def get(self, request: Request) -> Response:
        return Response(KickRulesOut(kick.kick_policy(_streamer(request))).data)
