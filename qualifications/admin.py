"""Reviewer screens (QL-1 catalogue, QL-2 review queue). Actions call the same services as
the API, so admin and API can never decide differently."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from shop.errors import DomainError

from . import services
from .constants import FieldKind, RevisionStatus
from .models import (
    ProductQualification,
    Qualification,
    QualificationClass,
    QualificationEvent,
    QualificationField,
    QualificationRevision,
    QualificationType,
)


@admin.register(QualificationClass)
class QualificationClassAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "position"]
    list_filter = ["types__scope"]
    search_fields = ["code", "name"]


class QualificationFieldInline(admin.TabularInline):
    model = QualificationField
    extra = 1
    fields = ["position", "name", "label", "kind", "required", "validity_end", "is_number"]


@admin.register(QualificationType)
class QualificationTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "klass", "scope", "active", "field_summary"]
    list_filter = ["klass", "scope", "active"]
    search_fields = ["code", "name"]
    inlines = [QualificationFieldInline]

    @admin.display(description=_lazy("fields"))
    def field_summary(self, obj: QualificationType) -> str:
        return ", ".join(
            f"{f.name}:{f.kind}{'*' if f.required else ''}{' (end)' if f.validity_end else ''}"
            for f in obj.fields.all()
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("klass").prefetch_related("fields")


@admin.register(QualificationField)
class QualificationFieldAdmin(admin.ModelAdmin):
    list_display = ["type", "name", "label", "kind", "required", "validity_end", "is_number"]
    list_filter = ["kind", "required", "validity_end", "type__klass"]
    search_fields = ["name", "label", "type__code", "type__name"]


def _previews(rev: QualificationRevision | None) -> str:
    if rev is None:
        return "-"
    ids = [u.pk for u in rev.uploads.all()]
    if not ids:
        return "-"
    return format_html_join(
        " ",
        '<a href="/files/{0}/" target="_blank" rel="noopener"><img src="/files/{0}/" alt="#{0}" '
        'style="max-height:120px;max-width:180px;border:1px solid #ddd"></a>',
        ((i,) for i in ids),
    )


class AwaitingReviewFilter(admin.SimpleListFilter):
    title = _lazy("review queue")
    parameter_name = "queue"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("review", _lazy("Awaiting review")), ("checking", _lazy("Automatic checks running"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "review":
            return queryset.filter(latest_revision__status=RevisionStatus.PENDING)
        if self.value() == "checking":
            return queryset.filter(latest_revision__status=RevisionStatus.CHECKING)
        return queryset


class RejectForm(forms.Form):
    reason = forms.CharField(label=_lazy("Reason shown to the merchant"), widget=forms.Textarea, max_length=2000)


class RevisionInline(admin.StackedInline):
    model = QualificationRevision
    extra = 0
    can_delete = False
    fields = ["number", "status", "source", "fields", "images_preview", "check_errors", "reason", "decided_by"]
    readonly_fields = fields
    show_change_link = True

    @admin.display(description=_lazy("images"))
    def images_preview(self, obj: QualificationRevision) -> str:
        return _previews(obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventInline(admin.TabularInline):
    model = QualificationEvent
    extra = 0
    can_delete = False
    fields = ["at", "revision", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Qualification)
class QualificationAdmin(admin.ModelAdmin):
    """The reviewer queue: filter 'Awaiting review', open one, look at the images, then
    approve or reject (with a reason) from the action menu."""

    list_display = [
        "id",
        "shop",
        "type",
        "certificate_number",
        "status",
        "in_force",
        "valid_until",
        "revision_no",
        "latest_fields",
        "image_previews",
        "updated_at",
    ]
    list_filter = [AwaitingReviewFilter, "status", "in_force", "type__klass", "type"]
    search_fields = ["certificate_number", "shop__code", "shop__name", "type__code", "type__name", "=id"]
    list_select_related = ["shop", "type", "latest_revision"]
    readonly_fields = [
        "shop",
        "owner_type",
        "owner_id",
        "type",
        "status",
        "certificate_number",
        "valid_until",
        "in_force",
        "latest_revision",
        "approved_revision",
        "created_by",
        "created_at",
        "latest_images",
    ]
    fields = readonly_fields
    inlines = [RevisionInline, EventInline]
    actions = ["approve_selected", "reject_selected"]
    date_hierarchy = "updated_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("latest_revision__uploads")

    @admin.display(description=_lazy("revision"))
    def revision_no(self, obj: Qualification) -> Any:
        rev = obj.latest_revision
        return f"r{rev.number} · {rev.get_status_display()}" if rev else "-"

    @admin.display(description=_lazy("values"))
    def latest_fields(self, obj: Qualification) -> str:
        rev = obj.latest_revision
        if rev is None:
            return "-"
        kinds = {f.name: f.kind for f in obj.type.fields.all()}
        return format_html_join(
            "", "<div>{}: {}</div>", ((k, v) for k, v in rev.fields.items() if kinds.get(k) != FieldKind.IMAGE)
        )

    @admin.display(description=_lazy("images"))
    def image_previews(self, obj: Qualification) -> str:
        return _previews(obj.latest_revision)

    @admin.display(description=_lazy("images of the newest revision"))
    def latest_images(self, obj: Qualification) -> str:
        return _previews(obj.latest_revision)

    def _decide(self, request: HttpRequest, queryset: QuerySet, *, approved: bool, reason: str = "") -> None:
        done, refused = 0, []
        for q in queryset:
            try:
                services.qualification_decide(
                    qualification_id=q.pk, reviewer=request.user, approved=approved, reason=reason
                )
                done += 1
            except DomainError as exc:
                refused.append(f"#{q.pk}: {exc.message}")
        if done:
            self.message_user(request, _("%(n)d qualification(s) decided.") % {"n": done}, messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.WARNING)

    @admin.action(description=_lazy("Approve the revision awaiting review"))
    def approve_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(request, queryset, approved=True)

    @admin.action(description=_lazy("Reject the revision awaiting review (with a reason)…"))
    def reject_selected(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        if "apply" in request.POST:
            form = RejectForm(request.POST)
            if form.is_valid():
                self._decide(request, queryset, approved=False, reason=form.cleaned_data["reason"])
                return None
        else:
            form = RejectForm()
        return TemplateResponse(
            request,
            "qualifications/admin_reject.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Reject qualifications"),
                "form": form,
                "queryset": queryset,
                "action": "reject_selected",
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(QualificationRevision)
class QualificationRevisionAdmin(admin.ModelAdmin):
    list_display = ["id", "qualification", "number", "status", "source", "valid_until", "submitted_at", "decided_at"]
    list_filter = ["status", "source", "qualification__type"]
    search_fields = ["certificate_number", "qualification__shop__code", "=qualification__id"]
    readonly_fields = [f.name for f in QualificationRevision._meta.fields] + ["previews"]
    exclude = ["uploads"]

    @admin.display(description=_lazy("images"))
    def previews(self, obj: QualificationRevision) -> str:
        return _previews(obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(QualificationEvent)
class QualificationEventAdmin(admin.ModelAdmin):
    list_display = ["at", "qualification", "revision", "from_status", "to_status", "actor", "note"]
    list_filter = ["to_status", "from_status"]
    search_fields = ["=qualification__id", "note", "actor__username"]
    readonly_fields = ["qualification", "revision", "at", "actor", "from_status", "to_status", "note", "data"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ProductQualification)
class ProductQualificationAdmin(admin.ModelAdmin):
    list_display = ["product", "qualification", "source", "linked_at", "linked_by"]
    list_filter = ["source"]
    search_fields = ["product__code", "qualification__certificate_number", "=qualification__id"]
    raw_id_fields = ["product", "qualification"]
    list_select_related = ["product", "qualification__type"]
