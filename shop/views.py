"""Merchant/streamer web shell: home, notifications, safe upload serving, error pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import hooks
from .api_common import role_of
from .models import Notification, Upload

# Other apps register (user, upload) -> bool to let a counterpart see evidence they hold.
upload_access_checks: list[Callable[[Any, Upload], bool]] = []


def role_required(*roles: str) -> Callable:
    """Page decorator: login required, and the user's role must be one of ``roles`` (else 403)."""

    def deco(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if role_of(request.user) not in roles:
                return HttpResponseForbidden(render(request, "403.html", status=403).content)
            return view(request, *args, **kwargs)

        return wrapped

    return deco


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_staff and role_of(request.user) == "reviewer":
        return redirect("admin:index")
    return render(request, "shop/home.html", {})


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(Notification.objects.filter(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "shop/notification_list.html", {"page": page})


@require_POST
@login_required
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(Notification, pk=pk, user=request.user)
    Notification.objects.filter(pk=note.pk).update(read=True)
    if note.link and note.link.startswith("/") and not note.link.startswith("//"):
        return redirect(note.link)
    return redirect("notifications")


@login_required
def upload_file(request: HttpRequest, pk: int) -> FileResponse:
    """Serve an upload only to its owner, staff, or a party a later app vouches for."""
    upload = get_object_or_404(Upload, pk=pk)
    allowed = (
        upload.owner_id == request.user.pk
        or request.user.is_staff
        or any(hooks.run(upload_access_checks, request.user, upload))
    )
    if not allowed:
        raise Http404
    resp = FileResponse(upload.file.open("rb"), content_type=upload.content_type)
    resp["X-Content-Type-Options"] = "nosniff"
    resp["Content-Security-Policy"] = "default-src 'none'; sandbox"
    resp["Cache-Control"] = "private, max-age=3600"
    return resp


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"code": "not_found", "detail": "Not found."}, status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"code": "server_error", "detail": "Internal error."}, status=500)
    return render(request, "500.html", status=500)
