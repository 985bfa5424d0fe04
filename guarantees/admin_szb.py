"""Reviewer screens for 实在宝 enrolment (SZB-1/2/3/18) and the kick-out log (KG).

Admin actions call the same services as the API (``szb_invite``, ``szb_recheck``,
``szb_request_dismiss``, ``agreement_publish``); enrolments and events are read-only here:
their status changes only through the transition function.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shop.admin import ViewOnlyMixin
from shop.errors import DomainError

from . import shizaibao
from .models import (
    InviteSource,
    KickAttempt,
    RequestStatus,
    ShizaibaoAgreement,
    ShizaibaoCandidate,
    ShizaibaoEnrolment,
    ShizaibaoEvent,
    ShizaibaoRequest,
)


def _invite_streamers(modeladmin, request: HttpRequest, streamers) -> None:
    done = 0
    for streamer in streamers:
        shizaibao.szb_invite(streamer=streamer, actor=request.user, source=InviteSource.REVIEWER)
        done += 1
    modeladmin.message_user(
        request, ngettext("%(n)d streamer invited.", "%(n)d streamers invited.", done) % {"n": done}, messages.SUCCESS
    )


@admin.register(ShizaibaoAgreement)
class ShizaibaoAgreementAdmin(admin.ModelAdmin):
    list_display = ["version", "title", "published_at", "created_at"]
    list_filter = [("published_at", admin.EmptyFieldListFilter)]
    search_fields = ["version", "title", "text"]
    actions = ["publish"]

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        # A published version is what streamers agreed to: its words never change.
        return ["version", "title", "text", "published_at"] if obj and obj.published_at else ["published_at"]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return bool(obj is None or obj.published_at is None) and super().has_delete_permission(request, obj)

    @admin.action(description=_("Publish (becomes the current agreement)"))
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        for agreement in queryset.order_by("id"):
            shizaibao.agreement_publish(agreement_id=agreement.pk, actor=request.user)
        self.message_user(request, _("Published."), messages.SUCCESS)


class ShizaibaoEventInline(admin.TabularInline):
    model = ShizaibaoEvent
    extra = 0
    can_delete = False
    fields = ["at", "kind", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields
    ordering = ["at", "id"]
    verbose_name_plural = _("History (invitations, openings, suspensions, reinstatements)")

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ShizaibaoEnrolment)
class ShizaibaoEnrolmentAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = [
        "streamer",
        "status",
        "invited_at",
        "invite_source",
        "opened_at",
        "agreement_version",
        "opened_ip",
        "status_since",
        "last_check_passed",
        "last_checked_at",
    ]
    list_filter = ["status", "invite_source", "imported", "last_check_passed", "agreement_version"]
    search_fields = ["streamer__code", "streamer__name"]
    list_select_related = ["streamer"]
    date_hierarchy = "invited_at"
    inlines = [ShizaibaoEventInline]
    actions = ["recheck_now"]

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # The change page is needed to see the history inline; every field is read-only.
        return request.user.is_staff

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return [f.name for f in self.model._meta.fields]

    @admin.action(description=_("Re-check eligibility now (SZB-18: suspend / reinstate)"))
    def recheck_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        results = [shizaibao.szb_recheck(enrolment_id=pk) for pk in queryset.values_list("pk", flat=True)]
        changed = [r for r in results if r]
        self.message_user(
            request,
            _("%(n)d checked, %(c)d changed (%(kinds)s).")
            % {"n": len(results), "c": len(changed), "kinds": ", ".join(map(str, changed)) or "-"},
            messages.INFO,
        )


@admin.register(ShizaibaoEvent)
class ShizaibaoEventAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["at", "enrolment", "kind", "from_status", "to_status", "actor", "note"]
    list_filter = ["kind", "to_status"]
    search_fields = ["enrolment__streamer__code", "enrolment__streamer__name", "note"]
    list_select_related = ["enrolment", "actor"]
    date_hierarchy = "at"


@admin.register(ShizaibaoRequest)
class ShizaibaoRequestAdmin(admin.ModelAdmin):
    list_display = ["id", "streamer", "status", "created_at", "contact", "eligible_now", "handled_by", "handled_at"]
    list_filter = ["status", ("handled_at", admin.EmptyFieldListFilter)]
    search_fields = ["streamer__code", "streamer__name", "message", "contact"]
    list_select_related = ["streamer", "handled_by"]
    readonly_fields = ["streamer", "message", "contact", "status", "created_at", "handled_at", "handled_by"]
    fields = [*readonly_fields, "note"]
    ordering = ["status", "created_at"]
    actions = ["invite", "dismiss"]

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(boolean=True, description=_("Eligible now (SZB-1)"))
    def eligible_now(self, obj: ShizaibaoRequest) -> bool:
        return shizaibao.is_eligible(obj.streamer)

    @admin.action(description=_("Invite these streamers (SZB-2)"))
    def invite(self, request: HttpRequest, queryset: QuerySet) -> None:
        _invite_streamers(self, request, [r.streamer for r in queryset.select_related("streamer")])

    @admin.action(description=_("Dismiss (not invited for now)"))
    def dismiss(self, request: HttpRequest, queryset: QuerySet) -> None:
        for req in queryset.filter(status=RequestStatus.PENDING):
            try:
                shizaibao.szb_request_dismiss(request_id=req.pk, actor=request.user, note=req.note)
            except DomainError as exc:
                self.message_user(request, f"#{req.pk}: {exc.message}", messages.WARNING)
        self.message_user(request, _("Dismissed."), messages.SUCCESS)


class EnrolmentStatusFilter(admin.SimpleListFilter):
    title = _("实在宝 status")
    parameter_name = "szb"

    def lookups(self, request, model_admin):
        return [
            ("none", _("Not invited")),
            ("invited", _("Invited, not open")),
            ("open", _("Open")),
            ("suspended", _("Suspended")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.exclude(shizaibao_enrolment__invited_at__isnull=False)
        if value == "invited":
            return queryset.filter(
                shizaibao_enrolment__invited_at__isnull=False, shizaibao_enrolment__status="not_open"
            )
        if value in ("open", "suspended"):
            return queryset.filter(shizaibao_enrolment__status=value)
        return queryset


@admin.register(ShizaibaoCandidate)
class ShizaibaoCandidateAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Every streamer with the SZB-1 facts; reviewers invite from here (SZB-2)."""

    list_display = ["code", "name", "fans", "experience_score", "level", "eligible_now", "enrolment_status"]
    list_filter = [EnrolmentStatusFilter, "level", "main_industry"]
    search_fields = ["code", "name"]
    list_select_related = ["shizaibao_enrolment"]
    actions = ["invite"]

    @admin.display(boolean=True, description=_("Eligible now (SZB-1)"))
    def eligible_now(self, obj) -> bool:
        return shizaibao.is_eligible(obj)

    @admin.display(description=_("实在宝"))
    def enrolment_status(self, obj) -> str:
        enrolment = getattr(obj, "shizaibao_enrolment", None)
        if enrolment is None or enrolment.invited_at is None:
            return "—"
        return enrolment.get_status_display() if enrolment.status != "not_open" else str(_("Invited"))

    @admin.action(description=_("Invite to open 实在宝 (SZB-2)"))
    def invite(self, request: HttpRequest, queryset: QuerySet) -> None:
        _invite_streamers(self, request, list(queryset))


@admin.register(KickAttempt)
class KickAttemptAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["at", "streamer", "session", "consumer", "allowed", "rule", "code", "score", "cart_size"]
    list_filter = ["allowed", "rule", "code", "restricted_industry"]
    search_fields = ["streamer__code", "streamer__name", "session__code", "consumer__code", "reason"]
    list_select_related = ["streamer", "session", "consumer"]
    date_hierarchy = "at"

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_staff and obj is not None and request.method == "GET"

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return [f.name for f in self.model._meta.fields]
