"""DRF endpoints of API.md: Qualifications (merchant) and the reviewer decision."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.api_common import IsMerchant, IsReviewer, validated
from shop.errors import NotFound, ValidationFailed
from shop.selectors import shop_for

from . import selectors, services
from .models import Qualification, QualificationType
from .serializers import (
    QualificationCreatedOut,
    QualificationDecisionIn,
    QualificationDetailOut,
    QualificationFilterIn,
    QualificationImpactOut,
    QualificationOut,
    QualificationPatchIn,
    QualificationPatchOut,
    QualificationSubmitIn,
    QualificationTypeOut,
)


class QualificationTypeListView(APIView):
    permission_classes = [IsMerchant]

    @extend_schema(responses={200: QualificationTypeOut(many=True)}, tags=["qualifications"])
    def get(self, request: Request) -> Response:
        """QL-1 catalogue: a plain array of types with their declared fields."""
        return Response(QualificationTypeOut(selectors.qualification_types(), many=True).data)


class QualificationListView(generics.GenericAPIView):
    permission_classes = [IsMerchant]
    serializer_class = QualificationOut

    def get_queryset(self) -> QuerySet[Qualification]:
        return selectors.qualifications_for(self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=["pending", "approved", "rejected", "expired"]),
            OpenApiParameter("type", str, description="qualification type code"),
            OpenApiParameter("expires_before", OpenApiTypes.DATE, description="ISO date; validity end strictly before"),
            OpenApiParameter("q", str, description="search: certificate number, type name or code, id"),
        ],
        responses={200: QualificationOut(many=True)},
        tags=["qualifications"],
    )
    def get(self, request: Request) -> Response:
        """QL-7: list with filters and search (paginated)."""
        f = validated(QualificationFilterIn, request.query_params)
        qs = selectors.qualifications_filtered(
            self.get_queryset(),
            status=f.get("status"),
            type_code=f.get("type"),
            expires_before=f.get("expires_before"),
            q=f.get("q"),
        )
        page = self.paginate_queryset(selectors.with_list_data(qs).order_by("-updated_at", "-id"))
        return self.get_paginated_response(QualificationOut(page, many=True).data)

    @extend_schema(request=QualificationSubmitIn, responses={201: QualificationCreatedOut}, tags=["qualifications"])
    def post(self, request: Request) -> Response:
        """QL-2: submit a new qualification → pending (automatic checks, then review)."""
        data = validated(QualificationSubmitIn, request.data)
        qtype = QualificationType.objects.filter(code=data["type"], active=True).first()
        if qtype is None:
            raise ValidationFailed(errors={"type": [_("Unknown qualification type.")]})
        q = services.qualification_submit(
            actor=request.user, qtype=qtype, values=data["fields"], images=data["images"], shop=shop_for(request.user)
        )
        return Response({"id": q.pk, "status": q.status}, status=status.HTTP_201_CREATED)


class QualificationDetailView(APIView):
    permission_classes = [IsMerchant]

    def _get(self, request: Request, pk: int) -> Qualification:
        q = selectors.with_detail_data(selectors.qualifications_for(request.user)).filter(pk=pk).first()
        if q is None:
            raise NotFound()
        return q

    @extend_schema(responses={200: QualificationDetailOut}, tags=["qualifications"])
    def get(self, request: Request, pk: int) -> Response:
        return Response(QualificationDetailOut(self._get(request, pk)).data)

    @extend_schema(request=QualificationPatchIn, responses={200: QualificationPatchOut}, tags=["qualifications"])
    def patch(self, request: Request, pk: int) -> Response:
        """QL-4 / QL-5: an edit (or renewal) becomes a new revision under review; linked products
        keep the last approved revision meanwhile."""
        data = validated(QualificationPatchIn, request.data)
        if "fields" not in data and "images" not in data:
            raise ValidationFailed(errors={"fields": [_("Give fields or images to change.")]})
        q, affected = services.qualification_revise(
            qualification_id=pk,
            actor=request.user,
            values=data.get("fields"),
            images=data.get("images"),
            scope=selectors.qualifications_for(request.user),
        )
        return Response({"id": q.pk, "status": q.status, "in_force": q.is_in_force(), "affected_products": affected})


class QualificationImpactView(APIView):
    permission_classes = [IsMerchant]

    @extend_schema(responses={200: QualificationImpactOut}, tags=["qualifications"])
    def get(self, request: Request, pk: int) -> Response:
        """QL-4: the products linked to this qualification, shown before an edit."""
        q = selectors.qualifications_for(request.user).filter(pk=pk).first()
        if q is None:
            raise NotFound()
        return Response({"products": selectors.impact(q)})


class QualificationDecisionView(APIView):
    permission_classes = [IsReviewer]

    @extend_schema(request=QualificationDecisionIn, responses={200: QualificationDetailOut}, tags=["review"])
    def post(self, request: Request, pk: int) -> Response:
        """Approve or reject the revision awaiting review (409 invalid_state while the automatic
        checks run or once decided)."""
        data = validated(QualificationDecisionIn, request.data)
        services.qualification_decide(
            qualification_id=pk, reviewer=request.user, approved=data["approved"], reason=data["reason"]
        )
        q = selectors.with_detail_data(Qualification.objects.filter(pk=pk)).get()
        return Response(QualificationDetailOut(q).data)
