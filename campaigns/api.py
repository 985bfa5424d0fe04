"""巨量星图 endpoints (/api/v1/xingtu/...): advertiser = role ``merchant``, creator = role
``streamer``, platform review = role ``reviewer``. Views validate, call one service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.api_common import HasRole, IsMerchant, IsReviewer, IsStreamer, role_of
from shop.constants import Role
from shop.errors import NotFound
from shop.models import Shop
from shop.netutils import client_ip
from shop.selectors import shop_for, streamer_for

from . import selectors, services
from .constants import Party
from .models import Advertiser, CreatorProfile, Task
from .serializers import (
    AgreementIn,
    AmountIn,
    BankAccountIn,
    CertificationOut,
    CommentsIn,
    CreatorOut,
    CreatorProfileIn,
    OrderListOut,
    OrderOut,
    PublishIn,
    QualificationIn,
    QualificationSubmittedOut,
    RatingIn,
    ReasonIn,
    ScriptIn,
    SelectionIn,
    SelectionOut,
    TaskIn,
    TaskOut,
    TransferRecordIn,
    TransferRecordOut,
    UnlockIn,
    VideoDecisionIn,
    VideoIn,
)

TAG = "xingtu"


def _advertiser(request: Request) -> Advertiser:
    shop = shop_for(request.user)
    if shop is None:
        raise NotFound()
    return services.advertiser_ensure(shop=shop)


def _cert(advertiser: Advertiser) -> dict[str, Any]:
    advertiser.refresh_from_db()
    return CertificationOut(services.certification_state(advertiser=advertiser)).data


def _party(user: Any) -> str | None:
    return {Role.MERCHANT: Party.ADVERTISER, Role.STREAMER: Party.CREATOR, Role.REVIEWER: Party.PLATFORM}.get(
        role_of(user)
    )


def _order_out(order_id: int, request: Request, code: int = 200) -> Response:
    order = selectors.orders_visible_to(request.user).prefetch_related("deliverables", "events").get(pk=order_id)
    return Response(OrderOut(order, context={"party": _party(request.user)}).data, status=code)


# --- XT-1 certification ---------------------------------------------------------------------


class CertificationView(APIView):
    permission_classes = [IsMerchant]

    @extend_schema(responses={200: CertificationOut}, tags=[TAG], summary="XT-1 certification steps")
    def get(self, request: Request) -> Response:
        return Response(_cert(_advertiser(request)))


class QualificationSubmitView(APIView):
    permission_classes = [IsMerchant]

    @extend_schema(
        request=QualificationIn,
        responses={201: QualificationSubmittedOut},
        tags=[TAG],
        summary="XT-1 资质提交: submit the business_license qualification for review",
    )
    def post(self, request: Request) -> Response:
        ser = QualificationIn(data=request.data)
        ser.is_valid(raise_exception=True)
        qual = services.qualification_submit(advertiser=_advertiser(request), actor=request.user, **ser.validated_data)
        return Response({"id": qual.pk, "status": "pending"}, status=status.HTTP_201_CREATED)


class BankAccountView(APIView):
    permission_classes = [IsMerchant]

    @extend_schema(
        request=BankAccountIn, responses={200: CertificationOut}, tags=[TAG], summary="XT-1 corporate account"
    )
    def post(self, request: Request) -> Response:
        ser = BankAccountIn(data=request.data)
        ser.is_valid(raise_exception=True)
        advertiser = _advertiser(request)
        services.bank_account_submit(advertiser_id=advertiser.pk, actor=request.user, **ser.validated_data)
        return Response(_cert(advertiser))


class BankVerifyView(APIView):
    permission_classes = [IsMerchant]

    @extend_schema(
        request=AmountIn,
        responses={200: CertificationOut},
        tags=[TAG],
        summary="XT-1 对公打款验证: enter the amount received",
        description="Wrong → 400 amount_mismatch {attempts_left}; at the limit → 409 bank_check_locked.",
    )
    def post(self, request: Request) -> Response:
        ser = AmountIn(data=request.data)
        ser.is_valid(raise_exception=True)
        advertiser = _advertiser(request)
        services.bank_transfer_verify(
            advertiser_id=advertiser.pk, actor=request.user, amount=ser.validated_data["amount"]
        )
        return Response(_cert(advertiser))


class AgreementView(APIView):
    permission_classes = [IsMerchant]

    @extend_schema(
        request=AgreementIn,
        responses={201: CertificationOut, 200: CertificationOut},
        tags=[TAG],
        summary="XT-1 sign the platform service agreement (version, time, IP stored)",
    )
    def post(self, request: Request) -> Response:
        ser = AgreementIn(data=request.data)
        ser.is_valid(raise_exception=True)
        advertiser = _advertiser(request)
        _adv, created = services.agreement_sign(
            advertiser_id=advertiser.pk,
            actor=request.user,
            agree=ser.validated_data["agree"],
            version=ser.validated_data["agreement_version"],
            ip=client_ip(request),
        )
        return Response(_cert(advertiser), status=201 if created else 200)


# --- XT-2 creator square, selection, tasks ------------------------------------------------------

SQUARE_PARAMS = [
    OpenApiParameter("q", str, description="Name, code or introduction"),
    OpenApiParameter("industry", str),
    OpenApiParameter("content_type", str),
    OpenApiParameter("fans_min", int),
    OpenApiParameter("fans_max", int),
    OpenApiParameter("score_min", str),
    OpenApiParameter("price_max", str),
    OpenApiParameter("duration", str, enum=["short", "long"]),
    OpenApiParameter("ordering", str, enum=["-fans", "fans", "-score", "price"]),
]


class CreatorSquareView(generics.ListAPIView):
    permission_classes = [IsMerchant]
    serializer_class = CreatorOut

    def get_queryset(self):
        return selectors.creator_square(self.request.query_params)

    @extend_schema(parameters=SQUARE_PARAMS, tags=[TAG], summary="XT-2 达人广场 → 内容传播达人")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class SelectionView(APIView):
    permission_classes = [IsMerchant]

    @extend_schema(responses={200: SelectionOut(many=True)}, tags=[TAG], summary="XT-2 已选达人 (plain array)")
    def get(self, request: Request) -> Response:
        return Response(SelectionOut(selectors.selection_of(_advertiser(request)), many=True).data)

    @extend_schema(request=SelectionIn, responses={201: SelectionOut(many=True)}, tags=[TAG], summary="XT-2 多选: add")
    def post(self, request: Request) -> Response:
        ser = SelectionIn(data=request.data)
        ser.is_valid(raise_exception=True)
        rows = services.selection_add(advertiser=_advertiser(request), creators=ser.validated_data["creators"])
        return Response(SelectionOut(rows, many=True).data, status=status.HTTP_201_CREATED)


class SelectionRemoveView(APIView):
    permission_classes = [IsMerchant]

    @extend_schema(request=None, responses={200: SelectionOut(many=True)}, tags=[TAG], summary="XT-2 remove a creator")
    def delete(self, request: Request, code: str) -> Response:
        rows = services.selection_remove(advertiser=_advertiser(request), creator=code)
        return Response(SelectionOut(rows, many=True).data)


class TaskListView(generics.ListAPIView):
    permission_classes = [IsMerchant]
    serializer_class = TaskOut

    def get_queryset(self):
        return selectors.tasks_of(selectors.advertiser_of(self.request.user)).prefetch_related("orders__streamer")

    @extend_schema(tags=[TAG], summary="XT-2 my tasks")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=TaskIn,
        responses={201: TaskOut, 200: TaskOut},
        tags=[TAG],
        summary="XT-2 发布任务",
        description="403 certification_incomplete {missing_step, missing_steps} until XT-1 is done; "
        "400 selection_empty; 400 creator_unavailable {creators}. The same key again → 200 with the first task.",
    )
    def post(self, request: Request) -> Response:
        ser = TaskIn(data=request.data)
        ser.is_valid(raise_exception=True)
        task, created = services.task_publish(advertiser=_advertiser(request), actor=request.user, **ser.validated_data)
        task = Task.objects.prefetch_related("orders__streamer").get(pk=task.pk)
        return Response(TaskOut(task).data, status=201 if created else 200)


class TaskDetailView(generics.RetrieveAPIView):
    permission_classes = [IsMerchant]
    serializer_class = TaskOut

    def get_queryset(self):
        return selectors.tasks_of(selectors.advertiser_of(self.request.user)).prefetch_related("orders__streamer")

    @extend_schema(tags=[TAG])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class CreatorProfileView(APIView):
    permission_classes = [IsStreamer]

    def _profile(self, request: Request) -> CreatorProfile:
        streamer = streamer_for(request.user)
        if streamer is None:
            raise NotFound()
        profile = CreatorProfile.objects.filter(streamer=streamer).select_related("streamer").first()
        return profile or CreatorProfile(streamer=streamer, listed=False)

    @extend_schema(responses={200: CreatorOut}, tags=[TAG], summary="XT-2 my creator card")
    def get(self, request: Request) -> Response:
        return Response(CreatorOut(self._profile(request)).data)

    @extend_schema(request=CreatorProfileIn, responses={200: CreatorOut}, tags=[TAG], summary="XT-2 edit my card")
    def put(self, request: Request) -> Response:
        ser = CreatorProfileIn(data=request.data)
        ser.is_valid(raise_exception=True)
        streamer = streamer_for(request.user)
        if streamer is None:
            raise NotFound()
        profile = services.creator_profile_update(streamer=streamer, **ser.validated_data)
        return Response(CreatorOut(profile).data)


# --- XT-3 orders --------------------------------------------------------------------------------

ORDER_ROLES = HasRole.of(Role.MERCHANT, Role.STREAMER)


class OrderListView(generics.ListAPIView):
    permission_classes = [ORDER_ROLES]
    serializer_class = OrderListOut

    def get_queryset(self):
        qs = selectors.orders_visible_to(self.request.user)
        if st := self.request.query_params.get("status"):
            qs = qs.filter(status=st)
        if task := self.request.query_params.get("task"):
            qs = qs.filter(task_id=task) if task.isdigit() else qs.none()
        return qs

    @extend_schema(
        parameters=[OpenApiParameter("status", str), OpenApiParameter("task", int)],
        tags=[TAG],
        summary="XT-3 creator orders (advertiser: its tasks'; creator: 我的任务)",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class OrderDetailView(APIView):
    permission_classes = [ORDER_ROLES]

    @extend_schema(responses={200: OrderOut}, tags=[TAG], summary="XT-3 one creator order with its timeline")
    def get(self, request: Request, pk: int) -> Response:
        get_object_or_404(selectors.orders_visible_to(request.user), pk=pk)
        return _order_out(pk, request)


def _action_view(
    name: str,
    *,
    permission: Any,
    call: Callable[..., Any],
    serializer: type[serializers.Serializer] | None,
    summary: str,
    description: str = "",
) -> type[APIView]:
    """One POST endpoint per XT-3 action: validate the body, call the service, return the order."""

    @extend_schema(request=serializer, responses={200: OrderOut}, tags=[TAG], summary=summary, description=description)
    def post(self: APIView, request: Request, pk: int) -> Response:
        data: dict[str, Any] = {}
        if serializer is not None:
            ser = serializer(data=request.data)
            ser.is_valid(raise_exception=True)
            data = dict(ser.validated_data)
        call(order_id=pk, actor=request.user, **data)
        return _order_out(pk, request)

    return type(name, (APIView,), {"permission_classes": [permission], "post": post})


OrderAcceptView = _action_view(
    "OrderAcceptView",
    permission=IsStreamer,
    call=services.order_accept,
    serializer=None,
    summary="Creator accepts (接单)",
)
OrderDeclineView = _action_view(
    "OrderDeclineView",
    permission=IsStreamer,
    call=services.order_decline,
    serializer=ReasonIn,
    summary="Creator declines",
)
OrderCancelView = _action_view(
    "OrderCancelView", permission=IsMerchant, call=services.order_cancel, serializer=ReasonIn, summary="Client cancels"
)
ScriptUploadView = _action_view(
    "ScriptUploadView", permission=IsStreamer, call=services.script_upload, serializer=ScriptIn, summary="上传脚本"
)
ScriptConfirmView = _action_view(
    "ScriptConfirmView", permission=IsMerchant, call=services.script_confirm, serializer=None, summary="确认脚本"
)
ScriptRejectView = _action_view(
    "ScriptRejectView",
    permission=IsMerchant,
    call=services.script_reject,
    serializer=CommentsIn,
    summary="驳回脚本 with comments",
    description="At most 3 per order (xingtu.max_script_rejections); beyond → 409 too_many_rejections.",
)
VideoUploadView = _action_view(
    "VideoUploadView", permission=IsStreamer, call=services.video_upload, serializer=VideoIn, summary="上传视频 (link)"
)
VideoConfirmView = _action_view(
    "VideoConfirmView",
    permission=IsMerchant,
    call=services.video_confirm,
    serializer=None,
    summary="确认视频",
    description="While the platform reviews the video → 409 video_under_review.",
)
VideoRejectView = _action_view(
    "VideoRejectView",
    permission=IsMerchant,
    call=services.video_reject,
    serializer=CommentsIn,
    summary="驳回视频 with comments",
    description="At most 2 per order (xingtu.max_video_rejections); beyond → 409 too_many_rejections.",
)
VideoPublishView = _action_view(
    "VideoPublishView",
    permission=IsMerchant,
    call=services.video_publish,
    serializer=PublishIn,
    summary="立即发布 / 定时发布",
    description="mode=scheduled needs `at` in the future; a beat job publishes it once when due.",
)
VideoAcceptView = _action_view(
    "VideoAcceptView", permission=IsMerchant, call=services.video_accept, serializer=None, summary="确认验收 → complete"
)
OrderRateView = _action_view(
    "OrderRateView",
    permission=IsMerchant,
    call=services.order_rate,
    serializer=RatingIn,
    summary="评价 1–5 stars",
)


# --- platform review --------------------------------------------------------------------------


class ReviewVideoDecisionView(APIView):
    permission_classes = [IsReviewer]

    @extend_schema(request=VideoDecisionIn, responses={200: OrderOut}, tags=[TAG], summary="Platform video review")
    def post(self, request: Request, pk: int) -> Response:
        ser = VideoDecisionIn(data=request.data)
        ser.is_valid(raise_exception=True)
        services.video_platform_decide(order_id=pk, actor=request.user, **ser.validated_data)
        return _order_out(pk, request)


def _advertiser_by_shop(code: str) -> Advertiser:
    shop = Shop.objects.filter(code=code).first()
    if shop is None:
        raise NotFound()
    return services.advertiser_ensure(shop=shop)


class ReviewTransferView(APIView):
    permission_classes = [IsReviewer]

    @extend_schema(
        request=TransferRecordIn,
        responses={200: TransferRecordOut},
        tags=[TAG],
        summary="XT-1 record the small transfer sent to the advertiser's account",
        description="Without `amount` a random 0.01–0.99 is drawn; the answer shows it once, only a hash is kept.",
    )
    def post(self, request: Request, code: str) -> Response:
        ser = TransferRecordIn(data=request.data)
        ser.is_valid(raise_exception=True)
        advertiser = _advertiser_by_shop(code)
        amount = services.bank_transfer_record(
            advertiser_id=advertiser.pk, actor=request.user, amount=ser.validated_data.get("amount")
        )
        advertiser.refresh_from_db()
        return Response({"shop": code, "amount": f"{amount:.2f}", "status": advertiser.bank_status})


class ReviewUnlockView(APIView):
    permission_classes = [IsReviewer]

    @extend_schema(
        request=UnlockIn, responses={200: CertificationOut}, tags=[TAG], summary="XT-1 unlock a locked check"
    )
    def post(self, request: Request, code: str) -> Response:
        ser = UnlockIn(data=request.data)
        ser.is_valid(raise_exception=True)
        advertiser = _advertiser_by_shop(code)
        services.bank_check_unlock(advertiser_id=advertiser.pk, actor=request.user, note=ser.validated_data["note"])
        return Response(_cert(advertiser))
