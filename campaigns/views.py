"""巨量星图 pages (/xingtu/): the advertiser's (role merchant) certification, creator square,
order form and tasks; the creator's (role streamer) 我的任务. Views validate with a form, call
one service, and show the domain error's message when it refuses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shop.api_common import role_of
from shop.constants import Role
from shop.errors import DomainError
from shop.netutils import client_ip
from shop.selectors import shop_for, streamer_for
from shop.uploads import upload_create
from shop.views import role_required

from . import forms as f
from . import qualification_link, selectors, services
from .constants import Party
from .models import Advertiser, CreatorProfile

MERCHANT, STREAMER = Role.MERCHANT, Role.STREAMER


def _advertiser(request: HttpRequest) -> Advertiser:
    shop = shop_for(request.user)
    if shop is None:
        raise Http404
    return services.advertiser_ensure(shop=shop)


def _refused(request: HttpRequest, exc: DomainError, form: forms.Form | None = None) -> None:
    messages.error(request, str(exc.message))
    for field, errs in (exc.extra.get("errors") or {}).items():
        if form is not None and field in form.fields:
            for e in errs:
                form.add_error(field, str(e))
        else:
            for e in errs:
                messages.error(request, f"{field}: {e}")


def _upload(request: HttpRequest, form: forms.Form) -> int | None:
    file = form.cleaned_data.get("cover")
    return upload_create(owner=request.user, file=file).pk if file else None


# --- index -------------------------------------------------------------------------------------


@role_required(MERCHANT, STREAMER)
def index(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) == STREAMER:
        return my_tasks(request)
    advertiser = _advertiser(request)
    state = services.certification_state(advertiser=advertiser)
    tasks = Paginator(selectors.tasks_of(advertiser), 20).get_page(request.GET.get("page"))
    orders = selectors.orders_visible_to(request.user).filter(
        status__in=["script_review", "video_client_review", "awaiting_publish", "published"]
    )[:20]
    return render(
        request, "campaigns/task_list.html", {"cert": state, "page": tasks, "todo": orders, "now": timezone.now()}
    )


def my_tasks(request: HttpRequest) -> HttpResponse:
    """Creator: 我的星图 → 我的任务."""
    qs = selectors.orders_visible_to(request.user)
    status = request.GET.get("status") or ""
    if status:
        qs = qs.filter(status=status)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    profile = CreatorProfile.objects.filter(streamer=streamer_for(request.user)).first()
    return render(
        request,
        "campaigns/order_mine.html",
        {"page": page, "status": status, "profile": profile, "now": timezone.now(), "statuses": _status_choices()},
    )


def _status_choices() -> list[tuple[str, str]]:
    from .constants import OrderStatus

    return list(OrderStatus.choices)


# --- XT-1 certification ----------------------------------------------------------------------------

FIELD_WIDGETS = {
    "text": lambda label, req: forms.CharField(label=label, required=req, max_length=500),
    "number": lambda label, req: forms.DecimalField(label=label, required=req),
    "date": lambda label, req: forms.DateField(
        label=label, required=req, widget=forms.DateInput(attrs={"type": "date"})
    ),
    "image": lambda label, req: forms.ImageField(label=label, required=req),
}


def _qualification_form(data: Any = None, files: Any = None) -> forms.Form | None:
    """A form built from the business_license type's declared fields (QL-1), or None."""
    from qualifications.models import QualificationType

    qtype = QualificationType.objects.filter(code=qualification_link.BUSINESS_LICENSE, active=True).first()
    if qtype is None:
        return None
    form = forms.Form(data, files, prefix="q")
    for field in qtype.fields.all():
        form.fields[field.name] = FIELD_WIDGETS[field.kind](field.label or field.name, field.required)
    form.kinds = {fl.name: fl.kind for fl in qtype.fields.all()}  # type: ignore[attr-defined]
    return form


@role_required(MERCHANT)
def certification(request: HttpRequest) -> HttpResponse:
    advertiser = _advertiser(request)
    step = request.POST.get("step") if request.method == "POST" else None
    post, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    qual_form = _qualification_form(
        post if step == "qualification" else None, files if step == "qualification" else None
    )
    bank_form = f.BankAccountForm(post if step == "bank_account" else None)
    amount_form = f.AmountForm(post if step == "verify" else None)
    state = services.certification_state(advertiser=advertiser)
    agreement_form = f.AgreementForm(
        post if step == "agreement" else None, initial={"agreement_version": state["agreement"]["current_version"]}
    )
    done = False
    try:
        if step == "qualification" and qual_form is not None and qual_form.is_valid():
            values, images = {}, []
            for name, value in qual_form.cleaned_data.items():
                if qual_form.kinds[name] == "image" and value:
                    values[name] = upload_create(owner=request.user, file=value).pk
                elif value not in (None, ""):
                    values[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
            services.qualification_submit(advertiser=advertiser, actor=request.user, fields=values, images=images)
            messages.success(request, _("Qualification submitted for review."))
            done = True
        elif step == "bank_account" and bank_form.is_valid():
            services.bank_account_submit(advertiser_id=advertiser.pk, actor=request.user, **bank_form.cleaned_data)
            messages.success(request, _("Account saved: the platform will send a small amount to it."))
            done = True
        elif step == "verify" and amount_form.is_valid():
            services.bank_transfer_verify(
                advertiser_id=advertiser.pk, actor=request.user, amount=amount_form.cleaned_data["amount"]
            )
            messages.success(request, _("Bank transfer check passed."))
            done = True
        elif step == "agreement" and agreement_form.is_valid():
            services.agreement_sign(
                advertiser_id=advertiser.pk,
                actor=request.user,
                agree=agreement_form.cleaned_data["agree"],
                version=agreement_form.cleaned_data["agreement_version"],
                ip=client_ip(request),
            )
            messages.success(request, _("Agreement signed."))
            done = True
    except DomainError as exc:
        form_for = {
            "qualification": qual_form,
            "bank_account": bank_form,
            "verify": amount_form,
            "agreement": agreement_form,
        }
        _refused(request, exc, form_for.get(step or ""))
        if step == "verify":
            return redirect("campaigns:certification")  # wrong attempts count; show the fresh state
    if done:
        return redirect("campaigns:certification")
    advertiser.refresh_from_db()
    return render(
        request,
        "campaigns/advertiser_certification.html",
        {
            "advertiser": advertiser,
            "cert": services.certification_state(advertiser=advertiser),
            "qual_form": qual_form,
            "bank_form": bank_form,
            "amount_form": amount_form,
            "agreement_form": agreement_form,
        },
        status=400 if request.method == "POST" else 200,
    )


# --- XT-2 creator square, order form -----------------------------------------------------------


@role_required(MERCHANT)
def creator_square(request: HttpRequest) -> HttpResponse:
    advertiser = _advertiser(request)
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                services.selection_remove(advertiser=advertiser, creator=request.POST["remove"])
            else:
                services.selection_add(advertiser=advertiser, creators=request.POST.getlist("creators"))
                messages.success(request, _("Added to 已选达人."))
        except DomainError as exc:
            _refused(request, exc)
        return redirect(request.get_full_path())
    filters = f.SquareFilterForm(request.GET or None)
    params = filters.cleaned_data if filters.is_valid() else {}
    page = Paginator(selectors.creator_square(params), 20).get_page(request.GET.get("page"))
    selection = list(selectors.selection_of(advertiser))
    return render(
        request,
        "campaigns/creator_square.html",
        {
            "filters": filters,
            "page": page,
            "selection": selection,
            "selected_ids": {s.streamer_id for s in selection},
            "industries": selectors.industries(),
        },
    )


@role_required(MERCHANT)
def task_new(request: HttpRequest) -> HttpResponse:
    advertiser = _advertiser(request)
    form = f.TaskForm(request.POST or None, initial={"key": timezone.now().strftime("web-%Y%m%d%H%M%S%f")})
    selection = list(selectors.selection_of(advertiser))
    duration = request.POST.get("video_duration") or "short"
    lines = [
        (s.streamer, getattr(s.streamer, "xingtu_profile", None) and s.streamer.xingtu_profile.price_for(duration))
        for s in selection
    ]
    total = sum((p or 0) for _s, p in lines)
    cert = services.certification_state(advertiser=advertiser)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            task, _created = services.task_publish(advertiser=advertiser, actor=request.user, **data)
        except DomainError as exc:
            _refused(request, exc, form)
        else:
            messages.success(request, _("Task published."))
            return redirect("campaigns:task", pk=task.pk)
    return render(
        request,
        "campaigns/task_form.html",
        {"form": form, "lines": lines, "total": total, "cert": cert},
        status=400 if request.method == "POST" else 200,
    )


@role_required(MERCHANT)
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(selectors.tasks_of(selectors.advertiser_of(request.user)), pk=pk)
    orders = task.orders.select_related("streamer").order_by("id")
    return render(request, "campaigns/task_detail.html", {"task": task, "orders": orders, "now": timezone.now()})


# --- XT-3 order page ---------------------------------------------------------------------------

ACTION_FORMS: dict[str, tuple[type[forms.Form] | None, Any, Any]] = {
    # action: (form, service, label)
    "accept": (None, services.order_accept, gettext_lazy("Accept the task (接单)")),
    "decline": (f.ReasonForm, services.order_decline, gettext_lazy("Decline")),
    "cancel": (f.ReasonForm, services.order_cancel, gettext_lazy("Cancel this creator's order")),
    "upload_script": (f.ScriptForm, services.script_upload, gettext_lazy("Upload the script")),
    "confirm_script": (None, services.script_confirm, gettext_lazy("Confirm the script (确认脚本)")),
    "reject_script": (f.CommentsForm, services.script_reject, gettext_lazy("Reject the script (驳回脚本)")),
    "upload_video": (f.VideoForm, services.video_upload, gettext_lazy("Upload the video")),
    "confirm_video": (None, services.video_confirm, gettext_lazy("Confirm the video (确认视频)")),
    "reject_video": (f.CommentsForm, services.video_reject, gettext_lazy("Reject the video (驳回视频)")),
    "publish": (f.PublishForm, services.video_publish, gettext_lazy("Publish (立即发布 / 定时发布)")),
    "accept_video": (None, services.video_accept, gettext_lazy("Accept the published video (确认验收)")),
    "rate": (f.RatingForm, services.order_rate, gettext_lazy("Rate this task")),
}
# transition-table actions that one page form covers
PAGE_ACTION = {"publish_now": "publish", "schedule_publish": "publish"}


def _page_actions(order: Any, party: str) -> list[str]:
    from .services.fulfilment import actions_for

    out: list[str] = []
    for a in actions_for(order, party):
        a = PAGE_ACTION.get(a, a)
        if a in ACTION_FORMS and a not in out:
            out.append(a)
    return out


def _call(request: HttpRequest, order_id: int, action: str, form: forms.Form | None) -> None:
    _form, service, _label = ACTION_FORMS[action]
    data: dict[str, Any] = dict(form.cleaned_data) if form is not None else {}
    if action in ("upload_script", "upload_video"):
        data["cover"] = _upload(request, form)  # type: ignore[arg-type]
    if action == "publish":
        data = {"mode": data["mode"], "at": data.get("at")}
    service(order_id=order_id, actor=request.user, **data)


@role_required(MERCHANT, STREAMER)
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_object_or_404(selectors.orders_visible_to(request.user), pk=pk)
    party = Party.ADVERTISER if role_of(request.user) == MERCHANT else Party.CREATOR
    posted = request.POST.get("action") if request.method == "POST" else None
    actions = _page_actions(order, party)
    forms_by_action: dict[str, forms.Form | None] = {}
    for a in actions:
        form_cls = ACTION_FORMS[a][0]
        bound = posted == a
        forms_by_action[a] = (
            form_cls(request.POST if bound else None, request.FILES if bound else None, prefix=a) if form_cls else None
        )
    if posted:
        if posted not in actions:
            messages.error(request, _("This action is not possible in the current state."))
            return redirect("campaigns:order", pk=pk)
        form = forms_by_action[posted]
        if form is None or form.is_valid():
            try:
                _call(request, pk, posted, form)
            except DomainError as exc:
                _refused(request, exc, form)
            else:
                messages.success(request, _("Done."))
                return redirect("campaigns:order", pk=pk)
    order = (
        selectors.orders_visible_to(request.user).prefetch_related("deliverables__cover", "events__actor").get(pk=pk)
    )
    return render(
        request,
        "campaigns/order_detail.html",
        {
            "order": order,
            "party": party,
            "action_forms": [(a, ACTION_FORMS[a][2], forms_by_action[a]) for a in actions],
            "now": timezone.now(),
        },
        status=400 if posted else 200,
    )


# --- creator card -------------------------------------------------------------------------------


@role_required(STREAMER)
def creator_profile(request: HttpRequest) -> HttpResponse:
    streamer = streamer_for(request.user)
    if streamer is None:
        raise Http404
    profile = CreatorProfile.objects.filter(streamer=streamer).first()
    initial = (
        {
            "listed": profile.listed,
            "content_types": profile.content_types,
            "price_short": profile.price_short,
            "price_long": profile.price_long,
            "bio": profile.bio,
        }
        if profile
        else {"listed": True}
    )
    form = f.CreatorProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.creator_profile_update(streamer=streamer, **form.cleaned_data)
        except DomainError as exc:
            _refused(request, exc, form)
        else:
            messages.success(request, _("Creator card saved."))
            return redirect("campaigns:index")
    return render(request, "campaigns/creator_profile.html", {"form": form, "streamer": streamer})
