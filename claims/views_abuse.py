"""Merchant after-sales pages: claims waiting for the merchant's answer (deadline with
countdown, accept / refuse with a note, CSV export with the filters applied, BX-3, BX-7),
本地退货 receipt (GP-3) and abuse reports (RF-4)."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shop.constants import Role
from shop.errors import DomainError
from shop.selectors import shop_for
from shop.uploads import upload_create
from shop.views import role_required

from . import abuse_reports, abuse_returns
from .engine.decisions import claim_merchant_respond
from .forms_abuse import AbuseReportForm, ClaimFilterForm, MerchantResponseForm, ReturnReceivedForm
from .models import AbuseReport, Claim, ClaimKind, ClaimStatus

PAGE = 50


def _countdown(due: Any) -> dict[str, Any] | None:
    if due is None:
        return None
    secs = int((due - timezone.now()).total_seconds())
    overdue = secs < 0
    secs = abs(secs)
    return {"due": due, "overdue": overdue, "hours": secs // 3600, "minutes": (secs % 3600) // 60}


def _shop_claims(request: HttpRequest):
    return Claim.objects.filter(shop=shop_for(request.user)).select_related("order", "consumer")


def _filtered(request: HttpRequest):
    form = ClaimFilterForm(request.GET or None)
    qs = _shop_claims(request)
    status = ""
    if form.is_valid():
        status = form.cleaned_data["status"]
        if form.cleaned_data["kind"]:
            qs = qs.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["q"]:
            qs = qs.filter(order__code__icontains=form.cleaned_data["q"])
    if status == "":
        qs = qs.filter(status=ClaimStatus.SUBMITTED).order_by("answer_due_at", "id")
    elif status != "all":
        qs = qs.filter(status=status)
    return form, qs


@role_required(Role.MERCHANT)
def merchant_claims(request: HttpRequest) -> HttpResponse:
    form, qs = _filtered(request)
    if request.GET.get("format") == "csv":
        return _csv(qs)
    rows = [{"claim": c, "countdown": _countdown(c.answer_due_at)} for c in qs[:PAGE]]
    return render(
        request,
        "claims/merchant_claim_list.html",
        {"form": form, "rows": rows, "total": qs.count(), "query": request.GET.urlencode()},
    )


def _csv(qs) -> HttpResponse:
    resp = HttpResponse(content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = 'attachment; filename="claims.csv"'
    resp.write("\ufeff")  # Excel opens UTF-8 Chinese correctly with a BOM
    w = csv.writer(resp)
    w.writerow(["id", "order", "kind", "type", "status", "amount", "filed_at", "answer_due_at", "decision"])
    for c in qs.iterator(chunk_size=1000):
        w.writerow(
            [
                c.pk,
                c.order.code,
                c.kind,
                c.type,
                c.status,
                c.amount,
                timezone.localtime(c.filed_at).isoformat(),
                timezone.localtime(c.answer_due_at).isoformat() if c.answer_due_at else "",
                c.decision or "",
            ]
        )
    return resp


@role_required(Role.MERCHANT)
@require_http_methods(["GET", "POST"])
def merchant_claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(_shop_claims(request), pk=pk)
    form = MerchantResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            claim_merchant_respond(
                claim_id=claim.pk,
                shop=shop_for(request.user),
                actor=request.user,
                accept=form.cleaned_data["accept"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Your answer was recorded."))
            return redirect("claims-merchant-detail", pk=claim.pk)
    awaiting_return = (
        claim.kind == ClaimKind.LOCAL_RETURN
        and claim.status == ClaimStatus.UPHELD
        and not claim.extra.get("return_received_at")
    )
    return render(
        request,
        "claims/merchant_claim_detail.html",
        {
            "claim": claim,
            "form": form if claim.status == ClaimStatus.SUBMITTED else None,
            "countdown": _countdown(claim.answer_due_at) if claim.status == ClaimStatus.SUBMITTED else None,
            "evidence": claim.evidence.select_related("upload"),
            "events": claim.events.all(),
            "awaiting_return": awaiting_return,
            "received_form": ReturnReceivedForm() if awaiting_return else None,
        },
    )


@role_required(Role.MERCHANT)
@require_POST
def merchant_return_received(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(_shop_claims(request), pk=pk)
    form = ReturnReceivedForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        abuse_returns.local_return_received(
            claim_id=claim.pk, shop=shop_for(request.user), actor=request.user, note=note
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Receipt confirmed: the refund is on its way to the buyer."))
    return redirect("claims-merchant-detail", pk=claim.pk)


@role_required(Role.MERCHANT)
@require_http_methods(["GET", "POST"])
def abuse_report_list(request: HttpRequest) -> HttpResponse:
    shop = shop_for(request.user)
    form = AbuseReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                uploads = [upload_create(owner=request.user, file=f) for f in form.cleaned_data["evidence"]]
                report = abuse_reports.report_file(
                    shop=shop,
                    user=request.user,
                    consumer_code=form.cleaned_data["consumer"],
                    reason=form.cleaned_data["reason"],
                    evidence=[u.pk for u in uploads],
                )
        except DomainError as exc:
            errors = exc.extra.get("errors") or {}
            for field, msgs in errors.items():
                form.add_error(field if field in form.fields else None, [str(m) for m in msgs])
            if not errors:
                form.add_error(
                    "evidence" if exc.code in {"evidence_required", "invalid_image"} else None, str(exc.message)
                )
        else:
            messages.success(request, _("Report #%(id)s was sent to the platform for review.") % {"id": report.pk})
            return redirect("claims-abuse-report", pk=report.pk)
    reports = AbuseReport.objects.filter(shop=shop).select_related("consumer")[:200]
    return render(request, "claims/abuse_report_list.html", {"form": form, "reports": reports})


@role_required(Role.MERCHANT)
def abuse_report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        AbuseReport.objects.filter(shop=shop_for(request.user)).select_related("consumer"), pk=pk
    )
    return render(
        request,
        "claims/abuse_report_detail.html",
        {"report": report, "evidence": report.evidence.all(), "events": report.events.all()},
    )
