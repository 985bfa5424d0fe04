"""Serializers of the RF-3 / RF-4 / GP-3 endpoints (API.md Merchant + Reviewer)."""

from __future__ import annotations

from rest_framework import serializers

from .abuse_measures import ACTIONS
from .models import AbuseReport, ReturnFreightStanding


class AbuseReportIn(serializers.Serializer):
    consumer = serializers.CharField(max_length=64)
    reason = serializers.CharField(max_length=4000)
    evidence = serializers.ListField(child=serializers.IntegerField(), required=False, default=list, max_length=50)


class AbuseReportOut(serializers.ModelSerializer):
    consumer = serializers.CharField(source="consumer.code")
    shop = serializers.CharField(source="shop.code")
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = AbuseReport
        fields = ["id", "status", "consumer", "shop", "reason", "evidence", "created_at", "decided_at", "decision_note"]

    def get_evidence(self, obj: AbuseReport) -> list[int]:
        return sorted(u.pk for u in obj.evidence.all())


class AbuseDecisionIn(serializers.Serializer):
    upheld = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class ReturnFreightActionIn(serializers.Serializer):
    action = serializers.ChoiceField(choices=[(a, a) for a in ACTIONS])
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class StandingEventOut(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    note = serializers.CharField()


class ReturnFreightStandingOut(serializers.ModelSerializer):
    consumer = serializers.CharField(source="consumer.code")
    events = StandingEventOut(many=True, read_only=True)

    class Meta:
        model = ReturnFreightStanding
        fields = ["consumer", "status", "legal_referral", "note", "updated_at", "events"]


class TrailItemOut(serializers.Serializer):
    signal = serializers.CharField()
    consumer_id = serializers.IntegerField()
    claim_id = serializers.IntegerField(allow_null=True)
    order_id = serializers.IntegerField(allow_null=True)
    at = serializers.DateTimeField(allow_null=True)
    detail = serializers.CharField()


class ConsumerAbuseOut(serializers.Serializer):
    consumer = serializers.CharField()
    score = serializers.IntegerField()
    signals = serializers.DictField(child=serializers.IntegerField())
    group = serializers.DictField(allow_null=True)
    scored_at = serializers.DateTimeField(allow_null=True)
    standing = serializers.CharField()
    trail = TrailItemOut(many=True)


class ReturnReceivedIn(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
