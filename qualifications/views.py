"""Merchant pages (QL-2…QL-4, QL-7): list, new, detail, edit with impact, product publish."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from shop.constants import Role
from shop.errors import DomainError
from shop.models import Category
from shop.selectors import shop_for
from shop.uploads import upload_create
from shop.views import role_required

from . import selectors, services
from .constants import FieldKind, TypeScope
from .fields import declared_fields
from .forms import FilterForm, PublishForm, qualification_form
from .models import Qualification, QualificationType

DRAFT_KEY = "qualifications.publish_draft"


def _own(request: HttpRequest, pk: int) -> Qualification:
    q = selectors.with_detail_data(selectors.qualifications_for(request.user)).filter(pk=pk).first()
    if q is None:
        raise Http404
    return q


def _form_errors(form: Any, exc: DomainError) -> None:
    errors = exc.extra.get("errors") or {}
    nested = errors.get("fields") if isinstance(errors.get("fields"), dict) else {}
    for name, msgs in {**{k: v for k, v in errors.items() if k != "fields"}, **nested}.items():
        target = name if name in form.fields else None
        for m in msgs if isinstance(msgs, list) else [msgs]:
            form.add_error(target, str(m))
    if not errors:
        form.add_error(None, str(exc.message))


def _values_from(form: Any, qtype: QualificationType, user: Any) -> tuple[dict, list[int]]:
    """Turn cleaned form data into API-shaped values; uploaded files become Upload ids
    (validated and re-encoded by shop.uploads)."""
    values: dict[str, Any] = {}
    for f in declared_fields(qtype):
        value = form.cleaned_data.get(f.name)
        if f.kind == FieldKind.IMAGE:
            if value:
                values[f.name] = upload_create(owner=user, file=value).pk
        elif value not in (None, ""):
            values[f.name] = value.isoformat() if f.kind == FieldKind.DATE else str(value)
    extra = form.cleaned_data.get("extra_images")
    images = [upload_create(owner=user, file=extra).pk] if extra else []
    return values, images


@role_required(Role.MERCHANT)
def qualification_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    qs = selectors.qualifications_for(request.user)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        qs = selectors.qualifications_filtered(
            qs, status=d["status"], type_code=d["type"], expires_before=d["expires_before"], q=d["q"]
        )
    page = Paginator(selectors.with_list_data(qs).order_by("-updated_at", "-id"), 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "qualifications/qualification_list.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@role_required(Role.MERCHANT)
def qualification_new(request: HttpRequest) -> HttpResponse:
    """新增资质 / 新建资质: pick class and type, fill the type's fields, upload images."""
    types = list(selectors.qualification_types(scope=None))
    code = request.GET.get("type") or request.POST.get("type")
    back = request.GET.get("return") or request.POST.get("return") or ""
    qtype = next((t for t in types if t.code == code), None)
    if qtype is None:
        classes: dict[Any, list[QualificationType]] = {}
        for t in types:
            classes.setdefault(t.klass, []).append(t)
        return render(request, "qualifications/qualification_new.html", {"classes": classes, "back": back})
    Form = qualification_form(qtype)
    form = Form(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            values, images = _values_from(form, qtype, request.user)
            q = services.qualification_submit(
                actor=request.user, qtype=qtype, values=values, images=images, shop=shop_for(request.user)
            )
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Submitted: automatic checks run first, then a reviewer decides."))
            if back == "publish":
                return redirect(f"{reverse('qualifications:publish')}?added={q.pk}")
            return redirect("qualifications:detail", pk=q.pk)
    return render(
        request, "qualifications/qualification_new.html", {"qtype": qtype, "form": form, "back": back, "types": types}
    )


@role_required(Role.MERCHANT)
def qualification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    q = _own(request, pk)
    labels = {f.name: f for f in declared_fields(q.type)}
    revisions = list(q.revisions.all())
    rows = []
    for rev in revisions:
        rows.append(
            {
                "rev": rev,
                "values": [
                    (labels.get(k).display if k in labels else k, v, labels.get(k)) for k, v in rev.fields.items()
                ],
            }
        )
    return render(
        request,
        "qualifications/qualification_detail.html",
        {
            "q": q,
            "in_force": q.is_in_force(),
            "revisions": rows,
            "events": list(q.events.all()),
            "products": [link.product for link in q.product_links.all()],
        },
    )


@role_required(Role.MERCHANT)
def qualification_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """QL-4 edit / QL-5 renewal: linked products are shown before saving; saving starts a new
    revision under review while products keep the last approved one."""
    q = _own(request, pk)
    impact = selectors.impact(q)
    latest = q.latest_revision
    Form = qualification_form(q.type, editing=True)
    initial = {
        f.name: (latest.fields.get(f.name) if latest else None)
        for f in declared_fields(q.type)
        if f.kind != FieldKind.IMAGE
    }
    form = Form(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if impact and not form.cleaned_data.get("confirm_impact"):
            form.add_error("confirm_impact", _("Confirm that you have seen the linked products."))
        else:
            try:
                values, images = _values_from(form, q.type, request.user)
                for f in declared_fields(q.type):
                    if f.kind != FieldKind.IMAGE and f.name not in values:
                        values[f.name] = None  # cleared on the form
                images = (list(latest.images) if latest else []) + images
                services.qualification_revise(
                    qualification_id=q.pk,
                    actor=request.user,
                    values=values,
                    images=images,
                    scope=selectors.qualifications_for(request.user),
                )
            except DomainError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Saved as a new revision under review."))
                return redirect("qualifications:detail", pk=q.pk)
    return render(
        request,
        "qualifications/qualification_edit.html",
        {"q": q, "form": form, "impact": impact, "in_force": q.is_in_force()},
    )


@role_required(Role.MERCHANT)
def product_publish(request: HttpRequest) -> HttpResponse:
    """QL-3: publish a product, picking qualifications of the category's required types, or
    adding one inline: the product form is kept in the session while the merchant does so."""
    shop = shop_for(request.user)
    draft = request.session.get(DRAFT_KEY) or {}
    added = request.GET.get("added")
    if request.method == "POST":
        data = request.POST
    elif draft:
        data = draft
    else:
        data = None
    form = PublishForm(data)
    picked = [
        str(x)
        for x in (
            data.getlist("qualifications") if hasattr(data, "getlist") else (data or {}).get("qualifications", [])
        )
    ]
    if added and added.isdigit() and added not in picked:
        picked.append(added)
    category = None
    raw_cat = (data or {}).get("category") if data else request.GET.get("category")
    if raw_cat and str(raw_cat).isdigit():
        category = Category.objects.filter(pk=int(raw_cat)).first()
    required = list(category.required_qualification_types) if category else []
    choices = selectors.approved_for_types(shop=shop, type_codes=required) if required else []
    types = {t.code: t for t in QualificationType.objects.filter(code__in=required, scope=TypeScope.PRODUCT)}

    if request.method == "POST":
        action = request.POST.get("action", "publish")
        if action.startswith("add:"):
            code = action[4:]
            request.session[DRAFT_KEY] = {
                **{k: request.POST.get(k, "") for k in ("code", "title", "category", "price")},
                "qualifications": picked,
            }
            return redirect(f"{reverse('qualifications:new')}?type={code}&return=publish")
        if action == "refresh":
            request.session[DRAFT_KEY] = {
                **{k: request.POST.get(k, "") for k in ("code", "title", "category", "price")},
                "qualifications": picked,
            }
            return redirect("qualifications:publish")
        if form.is_valid():
            try:
                product = services.product_publish(
                    shop=shop,
                    actor=request.user,
                    code=form.cleaned_data["code"],
                    title=form.cleaned_data["title"],
                    category=form.cleaned_data["category"],
                    price=form.cleaned_data["price"],
                    qualification_ids=[int(x) for x in picked if x.isdigit()],
                )
            except DomainError as exc:
                _form_errors(form, exc)
            else:
                request.session.pop(DRAFT_KEY, None)
                if product.on_sale:
                    messages.success(request, _("Product %(code)s published and on sale.") % {"code": product.code})
                else:
                    messages.warning(
                        request,
                        _("Product %(code)s saved but not on sale yet: %(reasons)s")
                        % {"code": product.code, "reasons": ", ".join(product.blocked_reasons)},
                    )
                nxt = request.POST.get("next", "")
                if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
                    return redirect(nxt)
                return redirect("qualifications:publish")
    return render(
        request,
        "qualifications/product_publish.html",
        {
            "form": form,
            "category": category,
            "required": [(code, types.get(code)) for code in required],
            "choices": choices,
            "picked": picked,
        },
    )
