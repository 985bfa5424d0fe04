"""Claim pages: streamers see claims against them, their balances (BX-2), deadlines (BX-3) and
appeal (SZB-17); consumers and merchants get a read-only view. Reviewers use Django admin."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shop.api_common import role_of
from shop.errors import DomainError
from shop.selectors import streamer_for
from shop.views import role_required

from . import engine
from .forms import AppealForm
from .models import ClaimStatus
from .selectors import claim_details_visible_to, claim_filter, claims_visible_to, payout_state, streamer_balances

ROLES = ("streamer", "consumer", "merchant")


@role_required(*ROLES)
def claim_list(request: HttpRequest) -> HttpResponse:
    role = role_of(request.user)
    if role == "merchant":
        # Merchants answer claims on the after-sales pages (claims/views_abuse.py).
        return redirect(reverse("claims-merchant"))
    from django.core.paginator import Paginator

    qs = claim_filter(claims_visible_to(request.user), request.GET).order_by("-filed_at", "-id")
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    balances = streamer_balances(streamer_for(request.user)) if role == "streamer" else None
    return render(
        request,
        "claims/claim_list.html",
        {"page": page, "balances": balances, "statuses": ClaimStatus.choices, "current": request.GET.get("status", "")},
    )


def _claim_or_404(request: HttpRequest, pk: int):
    claim = claim_details_visible_to(request.user).filter(pk=pk).first()
    if claim is None:
        raise Http404
    return claim


@role_required(*ROLES)
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_or_404(request, pk)
    role = role_of(request.user)
    try:
        appeal = claim.appeal
    except claim._meta.model.appeal.RelatedObjectDoesNotExist:
        appeal = None
    can_appeal = (
        role == "streamer"
        and appeal is None
        and claim.decision == "upheld"
        and claim.status in ("upheld", "paid")
        and claim.appeal_due_at is not None
        and timezone.now() <= claim.appeal_due_at
    )
    ctx = {
        "claim": claim,
        "role": role,
        "appeal": appeal,
        "payout": payout_state(claim),
        "form": AppealForm() if can_appeal else None,
        "balances": streamer_balances(streamer_for(request.user)) if role == "streamer" else None,
        "now": timezone.now(),
    }
    return render(request, "claims/claim_detail.html", ctx)


@require_POST
@role_required("streamer")
def claim_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_or_404(request, pk)
    form = AppealForm(request.POST)
    if form.is_valid():
        try:
            engine.appeal_file(
                claim_id=claim.pk,
                streamer=streamer_for(request.user),
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Your appeal was filed; a reviewer will decide it."))
            return redirect("claims-detail", pk=claim.pk)
    else:
        messages.error(request, _("Please give the reason of your appeal."))
    return redirect("claims-detail", pk=claim.pk)
