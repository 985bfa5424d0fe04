"""DRF serializers of API.md's Qualifications and reviewer decision endpoints."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .constants import QualificationStatus
from .models import Qualification, QualificationEvent, QualificationField, QualificationRevision, QualificationType

# ---- catalogue ------------------------------------------------------------------------------


class QualificationFieldOut(serializers.ModelSerializer):
    class Meta:
        model = QualificationField
        fields = ["name", "label", "kind", "required", "validity_end"]


class QualificationTypeOut(serializers.ModelSerializer):
    # API.md: `class` is the class's name (a Python keyword, hence the mapping below).
    fields = QualificationFieldOut(many=True, read_only=True)
    class_code = serializers.CharField(source="klass.code", read_only=True)
    scope = serializers.CharField(read_only=True)

    class Meta:
        model = QualificationType
        fields = ["code", "name", "class_code", "scope", "fields"]


QualificationTypeOut._declared_fields["class"] = serializers.CharField(source="klass.name", read_only=True)
QualificationTypeOut.Meta.fields = ["code", "name", "class", "class_code", "scope", "fields"]


# ---- merchant endpoints ---------------------------------------------------------------------


class QualificationSubmitIn(serializers.Serializer):
    type = serializers.CharField(max_length=64)
    fields = serializers.DictField(help_text=_("Field name → value; an image field's value is an upload id."))
    images = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list)


class QualificationPatchIn(serializers.Serializer):
    fields = serializers.DictField(required=False, help_text=_("Fields to change (merged over the newest revision)."))
    images = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)


class QualificationCreatedOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=QualificationStatus.choices)


class QualificationPatchOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=QualificationStatus.choices)
    in_force = serializers.BooleanField()
    affected_products = serializers.ListField(child=serializers.CharField())


class QualificationImpactOut(serializers.Serializer):
    products = serializers.ListField(child=serializers.CharField())


class QualificationRevisionOut(serializers.ModelSerializer):
    class Meta:
        model = QualificationRevision
        fields = [
            "number",
            "status",
            "source",
            "fields",
            "images",
            "certificate_number",
            "valid_until",
            "check_errors",
            "reason",
            "submitted_at",
            "decided_at",
        ]


class QualificationEventOut(serializers.ModelSerializer):
    revision = serializers.IntegerField(source="revision.number")
    actor = serializers.SerializerMethodField()

    class Meta:
        model = QualificationEvent
        fields = ["at", "revision", "from_status", "to_status", "actor", "note"]

    @extend_schema_field(serializers.CharField(allow_null=True))  # null: a system event (checks, expiry)
    def get_actor(self, obj: QualificationEvent) -> str | None:
        return obj.actor.get_username() if obj.actor_id else None


class QualificationOut(serializers.ModelSerializer):
    """One qualification. ``status`` is the newest revision's; ``fields`` / ``images`` are the
    newest revision's values; ``approved`` is what linked products rely on (QL-4)."""

    type = serializers.CharField(source="type.code")
    type_name = serializers.CharField(source="type.name")
    in_force = serializers.SerializerMethodField()
    fields = serializers.SerializerMethodField(method_name="field_values")
    images = serializers.SerializerMethodField()
    revision = serializers.SerializerMethodField()
    reason = serializers.SerializerMethodField()
    check_errors = serializers.SerializerMethodField()
    approved = serializers.SerializerMethodField()

    class Meta:
        model = Qualification
        fields = [
            "id",
            "type",
            "type_name",
            "status",
            "in_force",
            "certificate_number",
            "valid_until",
            "fields",
            "images",
            "revision",
            "reason",
            "check_errors",
            "approved",
            "created_at",
            "updated_at",
        ]

    def get_in_force(self, obj: Qualification) -> bool:
        return obj.is_in_force()

    @extend_schema_field(OpenApiTypes.OBJECT)
    def field_values(self, obj: Qualification) -> dict[str, Any]:
        return obj.latest_revision.fields if obj.latest_revision_id else {}

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_images(self, obj: Qualification) -> list[int]:
        return obj.latest_revision.images if obj.latest_revision_id else []

    def get_revision(self, obj: Qualification) -> int | None:
        return obj.latest_revision.number if obj.latest_revision_id else None

    def get_reason(self, obj: Qualification) -> str:
        return obj.latest_revision.reason if obj.latest_revision_id else ""

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_check_errors(self, obj: Qualification) -> dict:
        return obj.latest_revision.check_errors if obj.latest_revision_id else {}

    @extend_schema_field(QualificationRevisionOut(allow_null=True))
    def get_approved(self, obj: Qualification) -> dict | None:
        return QualificationRevisionOut(obj.approved_revision).data if obj.approved_revision_id else None


class QualificationDetailOut(QualificationOut):
    revisions = QualificationRevisionOut(many=True, read_only=True)
    history = QualificationEventOut(source="events", many=True, read_only=True)
    products = serializers.SerializerMethodField()

    class Meta(QualificationOut.Meta):
        fields = [*QualificationOut.Meta.fields, "products", "revisions", "history"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_products(self, obj: Qualification) -> list[str]:
        return sorted(link.product.code for link in obj.product_links.all())


class QualificationFilterIn(serializers.Serializer):
    status = serializers.ChoiceField(choices=QualificationStatus.choices, required=False)
    type = serializers.CharField(required=False, max_length=64)
    expires_before = serializers.DateField(required=False)
    q = serializers.CharField(required=False, max_length=100, allow_blank=True)


# ---- reviewer -------------------------------------------------------------------------------


class QualificationDecisionIn(serializers.Serializer):
    approved = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
