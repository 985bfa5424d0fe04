"""Reads of the qualifications app: tenant-scoped querysets, filters, impact."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from shop.models import Product, Upload
from shop.selectors import shop_for

from .constants import QualificationStatus, RevisionStatus, TypeScope
from .models import Qualification, QualificationEvent, QualificationRevision, QualificationType


def qualification_types(*, scope: str | None = None) -> QuerySet[QualificationType]:
    qs = QualificationType.objects.filter(active=True).select_related("klass").prefetch_related("fields")
    if scope:
        qs = qs.filter(scope=scope)
    return qs.order_by("klass__position", "klass__code", "code")


def qualifications_for(user: Any) -> QuerySet[Qualification]:
    """The qualifications of the user's shop (anything else answers 404)."""
    shop = shop_for(user)
    if shop is None:
        return Qualification.objects.none()
    return Qualification.objects.filter(shop=shop)


def qualifications_filtered(
    qs: QuerySet[Qualification],
    *,
    status: str | None = None,
    type_code: str | None = None,
    expires_before: dt.date | None = None,
    q: str | None = None,
) -> QuerySet[Qualification]:
    """QL-7: filter by status, type, expiry (validity end strictly before the date) and search
    (certificate number, type name or code, id)."""
    if status:
        qs = qs.filter(status=status)
    if type_code:
        qs = qs.filter(type__code=type_code)
    if expires_before:
        qs = qs.filter(valid_until__lt=expires_before)
    if q:
        q = q.strip()[:100]
        cond = Q(certificate_number__icontains=q) | Q(type__name__icontains=q) | Q(type__code__iexact=q)
        if q.lstrip("#").isdigit():
            cond |= Q(pk=int(q.lstrip("#")))
        qs = qs.filter(cond)
    return qs


def with_list_data(qs: QuerySet[Qualification]) -> QuerySet[Qualification]:
    return qs.select_related("type__klass", "latest_revision", "approved_revision").annotate(
        product_count=Count("product_links", distinct=True)
    )


def with_detail_data(qs: QuerySet[Qualification]) -> QuerySet[Qualification]:
    return qs.select_related("type__klass", "latest_revision", "approved_revision", "shop").prefetch_related(
        "type__fields",
        Prefetch("revisions", queryset=QualificationRevision.objects.order_by("-number").prefetch_related("uploads")),
        Prefetch(
            "events", queryset=QualificationEvent.objects.select_related("actor", "revision").order_by("at", "id")
        ),
        Prefetch("product_links__product"),
    )


def impact(qualification: Qualification) -> list[str]:
    """QL-4: the products relying on this qualification (shown before an edit)."""
    return list(
        Product.objects.filter(qualification_links__qualification=qualification)
        .order_by("code")
        .values_list("code", flat=True)
    )


def approved_for_types(*, shop: Any, type_codes: list[str]) -> QuerySet[Qualification]:
    """QL-3: qualifications a product of a category needing these types can pick: approved
    ones in force first, then ones still under review (which keep the product waiting)."""
    return (
        Qualification.objects.filter(shop=shop, type__code__in=type_codes, type__scope=TypeScope.PRODUCT)
        .filter(Q(in_force=True) | Q(status=QualificationStatus.PENDING))
        .select_related("type", "approved_revision")
        .order_by("type__code", "-in_force", "-id")
    )


def awaiting_review() -> QuerySet[Qualification]:
    return Qualification.objects.filter(latest_revision__status=RevisionStatus.PENDING)


def upload_visible_to_colleague(user: Any, upload: Upload) -> bool:
    """shop.views.upload_access_checks: a merchant's colleagues see their shop's qualification
    images (the uploader may be another member of the same shop)."""
    shop = shop_for(user)
    if shop is None:
        return False
    return QualificationRevision.objects.filter(uploads=upload, qualification__shop=shop).exists()
