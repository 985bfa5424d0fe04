"""Serializers of the 实在宝 enrolment and kick-out endpoints (API.md streamer/reviewer)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import EnrolmentStatus, KickRule, RequestStatus


@extend_schema_field(OpenApiTypes.ANY)
class AnyValueField(serializers.Field):
    def to_representation(self, value):
        from decimal import Decimal

        return f"{value:.2f}" if isinstance(value, Decimal) else value


class ConditionOut(serializers.Serializer):
    name = serializers.ChoiceField(choices=["fans", "experience_score", "level", "no_recent_violation"])
    value = AnyValueField(help_text="The streamer's value (integer, decimal string or boolean).")
    required = AnyValueField(help_text="The threshold the value is compared with.")
    comparison = serializers.ChoiceField(choices=["gt", "gte", "eq"])
    passed = serializers.BooleanField()


class AgreementOut(serializers.Serializer):
    version = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()


class PendingRequestOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    created_at = serializers.DateTimeField()


class EnrolmentStateOut(serializers.Serializer):
    streamer = serializers.CharField()
    eligible = serializers.BooleanField()
    conditions = ConditionOut(many=True)
    invited = serializers.BooleanField()
    invited_at = serializers.DateTimeField(allow_null=True)
    status = serializers.ChoiceField(choices=EnrolmentStatus.choices)
    opened_at = serializers.DateTimeField(allow_null=True)
    effective_from = serializers.DateTimeField(
        allow_null=True, help_text="While open: live sessions starting strictly after this time are covered."
    )
    suspended_at = serializers.DateTimeField(allow_null=True)
    agreement_version = serializers.CharField(allow_null=True, help_text="The version the streamer agreed to.")
    agreement = AgreementOut(allow_null=True, help_text="The current published agreement.")
    request = PendingRequestOut(allow_null=True)


class OpenIn(serializers.Serializer):
    agree = serializers.BooleanField(required=False, default=False)
    agreement_version = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict) -> dict:
        if attrs["agree"] and not attrs["agreement_version"]:
            raise serializers.ValidationError({"agreement_version": ["This field is required."]})
        return attrs


class RequestIn(serializers.Serializer):
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    contact = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class RequestOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    message = serializers.CharField()
    contact = serializers.CharField()
    created_at = serializers.DateTimeField()


class KickIn(serializers.Serializer):
    consumer = serializers.CharField(max_length=64)


class KickOut(serializers.Serializer):
    allowed = serializers.BooleanField()
    rule = serializers.ChoiceField(choices=KickRule.choices)
    reason = serializers.CharField()
    attempt = serializers.IntegerField(source="pk")


class KickRulesOut(serializers.Serializer):
    industry = serializers.CharField()
    restricted = serializers.BooleanField()
    score = serializers.DecimalField(max_digits=3, decimal_places=2)
    min_score = serializers.DecimalField(max_digits=3, decimal_places=2)
    recent_hours = serializers.IntegerField()
    rule = serializers.ChoiceField(choices=KickRule.choices)
