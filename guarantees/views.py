"""Merchant pages (权益中心, return addresses, products) and the streamer's 小黄车管理 (TP-5)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shop.constants import Region, Role
from shop.errors import DomainError
from shop.models import LiveSession
from shop.selectors import shop_for, streamer_for
from shop.views import role_required

from . import selectors, services
from .forms import BulkOptOutForm, CartAddForm, ProductOptOutForm, ReturnAddressForm, ServiceToggleForm, TrustOnlyForm
from .rules import SHOP_SERVICES, TRUST_GUIDE_PROMPT
from .trust import toggle_impact_ids

merchant_only = role_required(Role.MERCHANT)


def _error_text(exc: DomainError) -> str:
    errors = exc.extra.get("errors")
    if errors:
        flat = [f"{k}: {', '.join(map(str, v))}" for k, v in errors.items()]
        return f"{exc.message} ({'; '.join(flat)})"
    return str(exc.message)


# ---- 权益中心 -------------------------------------------------------------------------------


@merchant_only
def rights_centre(request: HttpRequest) -> HttpResponse:
    shop = shop_for(request.user)
    effects = selectors.service_effects(shop)
    rows = []
    for s in selectors.shop_services(shop):
        e = effects[s["code"]]
        s["gain"] = e["gain_if_on"] if not s["enabled"] else e["gain_if_off"]
        s["lose"] = e["lose_if_off"] if s["enabled"] else e["lose_if_on"]
        rows.append(s)
    return render(
        request,
        "guarantees/service_list.html",
        {
            "shop": shop,
            "services": rows,
            "totals": effects["_shop"],
            "badge": selectors.shop_badge(shop),
            "setup": selectors.global_setup_state(shop),
        },
    )


@merchant_only
def service_toggle(request: HttpRequest, code: str) -> HttpResponse:
    """BX-4: confirm a toggle after seeing which products gain / lose the label."""
    shop = shop_for(request.user)
    if code not in SHOP_SERVICES:
        raise Http404
    row = next(s for s in selectors.shop_services(shop) if s["code"] == code)
    form = ServiceToggleForm(request.POST or {"enabled": "0" if row["enabled"] else "1"})
    if not form.is_valid():
        messages.error(request, _("The request is not valid."))
        return redirect("trust-rights")
    enabled = form.cleaned_data["enabled"]
    if request.method == "POST" and form.cleaned_data["confirm"]:
        try:
            services.service_toggle(shop=shop, code=code, enabled=enabled, actor=request.user)
        except DomainError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(
                request,
                (_("%(service)s is on.") if enabled else _("%(service)s is off.")) % {"service": row["name"]},
            )
        return redirect("trust-rights")
    gain, lose = toggle_impact_ids(shop_id=shop.pk, code=code, enabled=enabled)
    flag = "on" if enabled else "off"
    return render(
        request,
        "guarantees/service_confirm.html",
        {
            "service": row,
            "enabled": enabled,
            "gain": len(gain),
            "lose": len(lose),
            "gain_url": reverse("trust-products") + "?" + urlencode({"impact": f"{code}:{flag}:gain"}),
            "lose_url": reverse("trust-products") + "?" + urlencode({"impact": f"{code}:{flag}:lose"}),
            "form_enabled": "1" if enabled else "0",
        },
    )


# ---- GP-3 return addresses ------------------------------------------------------------------


@merchant_only
def return_addresses(request: HttpRequest) -> HttpResponse:
    shop = shop_for(request.user)
    form = ReturnAddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_address_set(shop=shop, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("Return address saved."))
            return redirect("trust-return-addresses")
    have = {a["region"]: a for a in selectors.return_addresses(shop)}
    regions = [
        {"code": code, "label": label, "needed": code in selectors.shop_regions(shop), "address": have.get(code)}
        for code, label in Region.choices
    ]
    return render(
        request,
        "guarantees/return_address_list.html",
        {"form": form, "regions": regions, "setup": selectors.global_setup_state(shop)},
    )


# ---- products -------------------------------------------------------------------------------


def _filtered_products(request: HttpRequest, shop: Any) -> tuple[Any, dict[str, str]]:
    params = {k: request.GET.get(k, "") for k in ("badge", "on_sale", "q", "impact")}
    api_params = {"trust_label": {"on": "true", "off": "false"}.get(params["badge"], ""), "q": params["q"]}
    if params["on_sale"] in ("true", "false"):
        api_params["on_sale"] = params["on_sale"]
    qs = selectors.filter_products(selectors.products_for_shop(shop), api_params)
    if params["impact"]:
        parts = params["impact"].split(":")
        if len(parts) != 3 or parts[0] not in SHOP_SERVICES or parts[1] not in ("on", "off"):
            raise Http404
        gain, lose = toggle_impact_ids(shop_id=shop.pk, code=parts[0], enabled=parts[1] == "on")
        qs = qs.filter(pk__in=gain if parts[2] == "gain" else lose)
    return qs, params


@merchant_only
def product_list(request: HttpRequest) -> HttpResponse:
    shop = shop_for(request.user)
    qs, params = _filtered_products(request, shop)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    enabled = selectors.enabled_services(shop)
    rows = [(p, selectors.explain_product(p, enabled=enabled)) for p in page]
    query = urlencode({k: v for k, v in params.items() if v})
    return render(
        request,
        "guarantees/product_list.html",
        {"page": page, "rows": rows, "params": params, "query": query, "bulk_form": BulkOptOutForm()},
    )


def _csv_safe(value: Any) -> str:
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value: str) -> str:
        return value


@merchant_only
def product_export(request: HttpRequest) -> StreamingHttpResponse:
    """BX-7: CSV of the product list with badge state, with the page's filters applied."""
    shop = shop_for(request.user)
    qs, _params = _filtered_products(request, shop)
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield "\ufeff"
        yield writer.writerow(
            [
                "code",
                "title",
                "category",
                "source",
                "flash_sale",
                "trust_label",
                "trust_missing",
                "on_sale",
                "blocked_reasons",
            ]
        )
        for p in qs.prefetch_related(None).iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    _csv_safe(p.code),
                    _csv_safe(p.title),
                    _csv_safe(p.category.code),
                    p.source,
                    int(p.flash_sale),
                    int(p.trust_label),
                    " ".join(p.trust_missing),
                    int(p.on_sale),
                    " ".join(p.blocked_reasons),
                ]
            )

    resp = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = 'attachment; filename="products.csv"'
    return resp


@require_POST
@merchant_only
def product_bulk_opt_out(request: HttpRequest) -> HttpResponse:
    shop = shop_for(request.user)
    form = BulkOptOutForm(request.POST)
    selected = request.POST.getlist("selected")
    back = reverse("trust-products") + ("?" + request.POST["query"] if request.POST.get("query") else "")
    if not form.is_valid():
        messages.error(request, _("Pick a service and an action."))
        return redirect(back)
    try:
        changed = services.opt_outs_bulk(
            shop=shop,
            product_codes=selected,
            code=form.cleaned_data["service"],
            opted_out=form.cleaned_data["action"] == "out",
            actor=request.user,
        )
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("%(n)d products changed.") % {"n": changed})
    return redirect(back)


@merchant_only
def product_detail(request: HttpRequest, code: str) -> HttpResponse:
    shop = shop_for(request.user)
    product = get_object_or_404(selectors.products_for_shop(shop), code=code)
    form = ProductOptOutForm(request.POST or None, initial={"opt_outs": selectors.opt_out_codes(product)})
    if request.method == "POST" and form.is_valid():
        try:
            services.product_opt_outs_set(product=product, codes=form.cleaned_data["opt_outs"], actor=request.user)
        except DomainError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("Opt-outs saved."))
            return redirect("trust-product", code=product.code)
    return render(
        request,
        "guarantees/product_detail.html",
        {
            "product": product,
            "explanation": selectors.explain_product(product),
            "surfaces": selectors.trust_surfaces(product),
            "required": [selectors.service_name(c) for c in selectors.required_services(product.category)],
            "form": form,
        },
    )


# ---- TP-5 小黄车管理 ------------------------------------------------------------------------


@role_required(Role.STREAMER, Role.MERCHANT)
def live_sessions(request: HttpRequest) -> HttpResponse:
    streamer = streamer_for(request.user)
    if streamer is None:
        return render(request, "guarantees/live_session_list.html", {"no_streamer": True})
    sessions = list(selectors.sessions_for_streamer(streamer)[:50])
    current = None
    code = request.GET.get("session")
    if code:
        current = get_object_or_404(LiveSession, streamer=streamer, code=code)
    elif sessions:
        current = sessions[0]
    return render(
        request,
        "guarantees/live_session_list.html",
        {
            "sessions": sessions,
            "current": current,
            "cart": selectors.cart_items(current) if current else [],
            "cart_form": CartAddForm(initial={"session": current.code}) if current else None,
        },
    )


def _back_to(session_code: str) -> HttpResponse:
    return redirect(reverse("trust-live") + "?" + urlencode({"session": session_code}))


@require_POST
@role_required(Role.STREAMER)
def live_trust_only(request: HttpRequest) -> HttpResponse:
    form = TrustOnlyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The request is not valid."))
        return redirect("trust-live")
    code = form.cleaned_data["session"]
    try:
        _session, show_guide, removed = services.live_session_set_trust_only(
            streamer=streamer_for(request.user),
            session_code=code,
            trust_only=form.cleaned_data["trust_only"],
            actor=request.user,
        )
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, _error_text(exc))
        return _back_to(code)
    if show_guide:
        messages.info(request, TRUST_GUIDE_PROMPT)
    if removed:
        messages.warning(request, _("Removed from the cart: %(codes)s") % {"codes": ", ".join(removed)})
    messages.success(request, _("Saved."))
    return _back_to(code)


@require_POST
@role_required(Role.STREAMER)
def live_cart_add(request: HttpRequest) -> HttpResponse:
    form = CartAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a product code."))
        return redirect("trust-live")
    code = form.cleaned_data["session"]
    try:
        services.cart_add(
            streamer=streamer_for(request.user),
            session_code=code,
            product_code=form.cleaned_data["product"].strip(),
            actor=request.user,
        )
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Added to the cart."))
    return _back_to(code)


@require_POST
@role_required(Role.STREAMER)
def live_cart_remove(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("session", "")
    try:
        services.cart_remove(
            streamer=streamer_for(request.user),
            session_code=code,
            product_code=request.POST.get("product", ""),
            actor=request.user,
        )
    except DomainError:
        raise Http404 from None
    messages.success(request, _("Removed from the cart."))
    return _back_to(code)
