"""Streamer pages: 权益中心 → 其他权益 → 实在宝服务 (SZB-1/2/3/18/19) and kick-out rules (KG)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shop.constants import SHIZAIBAO_SURFACES, Role, Surface
from shop.errors import DomainError
from shop.models import LiveSession, Streamer
from shop.netutils import client_ip
from shop.rules import setting
from shop.selectors import streamer_for
from shop.views import role_required

from . import kick, shizaibao
from .forms_szb import KickCheckForm, OpenForm, RequestForm
from .models import KickAttempt


def _streamer(request: HttpRequest) -> Streamer:
    streamer = streamer_for(request.user)
    if streamer is None:
        raise Http404
    return streamer


def _sessions_with_coverage(streamer: Streamer, limit: int = 10) -> list[dict]:
    sessions = LiveSession.objects.filter(streamer=streamer).order_by("-started_at", "-id")[:limit]
    return [{"session": s, "covered": shizaibao.session_covered(s)} for s in sessions]


@role_required(Role.STREAMER)
@require_http_methods(["GET", "POST"])
def shizaibao_page(request: HttpRequest) -> HttpResponse:
    streamer = _streamer(request)
    state = shizaibao.enrolment_state(streamer)
    agreement = state["agreement"]
    open_form = OpenForm(initial={"agreement_version": agreement["version"] if agreement else ""})
    if request.method == "POST":
        open_form = OpenForm(request.POST)
        if open_form.is_valid():
            try:
                _enrolment, created = shizaibao.szb_open(
                    streamer=streamer,
                    user=request.user,
                    agree=True,
                    agreement_version=open_form.cleaned_data["agreement_version"],
                    ip=client_ip(request),
                )
            except DomainError as exc:
                open_form.add_error(None, exc.message)
            else:
                if created:
                    messages.success(request, _("实在宝 is open. It takes effect from your next live session."))
                return redirect("szb-page")
    pending = state["request"]
    return render(
        request,
        "guarantees/shizaibao_detail.html",
        {
            "streamer": streamer,
            "state": state,
            "conditions": state["_conditions"],
            "enrolment": state["_enrolment"],
            "open_form": open_form,
            "request_form": RequestForm(),
            "pending_request": pending,
            "sessions": _sessions_with_coverage(streamer),
            "surfaces": [Surface(s).label for s in SHIZAIBAO_SURFACES],
            "support_contact": setting("szb.support_contact"),
            "group_qr_url": setting("szb.group_qr_url"),
            "next_session": shizaibao.next_session_after(streamer, state["effective_from"])
            if state["effective_from"]
            else None,
        },
    )


@role_required(Role.STREAMER)
@require_POST
def shizaibao_request(request: HttpRequest) -> HttpResponse:
    streamer = _streamer(request)
    form = RequestForm(request.POST)
    if form.is_valid():
        shizaibao.szb_request_create(streamer=streamer, **form.cleaned_data)
        messages.success(request, _("Your request was sent. A platform reviewer will contact you."))
    else:
        messages.error(request, _("The request could not be sent: please check the fields."))
    return redirect("szb-page")


@role_required(Role.STREAMER)
@require_http_methods(["GET", "POST"])
def kick_rules_page(request: HttpRequest) -> HttpResponse:
    streamer = _streamer(request)
    sessions = list(LiveSession.objects.filter(streamer=streamer).order_by("-started_at", "-id")[:50])
    form = KickCheckForm(sessions=sessions)
    result = None
    if request.method == "POST":
        form = KickCheckForm(request.POST, sessions=sessions)
        if form.is_valid():
            try:
                result = kick.kick_attempt(
                    streamer=streamer,
                    session_code=form.cleaned_data["session"],
                    consumer_code=form.cleaned_data["consumer"],
                    actor=request.user,
                )
            except DomainError as exc:
                field_errors = exc.extra.get("errors") or {"consumer": [exc.message]}
                for field, errs in field_errors.items():
                    for err in errs:
                        form.add_error(field if field in form.fields else None, err)
    return render(
        request,
        "guarantees/kick_rules.html",
        {
            "streamer": streamer,
            "policy": kick.kick_policy(streamer),
            "industries": setting("kick.industries"),
            "form": form,
            "result": result,
            "attempts": KickAttempt.objects.filter(streamer=streamer).select_related("session", "consumer")[:20],
        },
    )
