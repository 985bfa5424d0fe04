"""Input and output shapes of the 巨量星图 API (/api/v1/xingtu/...)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .constants import ContentType, PublishMode, Settlement, TaskType, VideoDuration
from .models import CreatorOrder, CreatorOrderEvent, CreatorProfile, CreatorSelection, Deliverable, Task
from .services.fulfilment import actions_for


# --- certification (XT-1) ----------------------------------------------------------------------
class QualificationStepOut(serializers.Serializer):
    done = serializers.BooleanField()
    status = serializers.CharField(allow_null=True)
    id = serializers.IntegerField(allow_null=True)


class BankStepOut(serializers.Serializer):
    done = serializers.BooleanField()
    status = serializers.CharField()
    company_name = serializers.CharField()
    bank_name = serializers.CharField()
    account = serializers.CharField(help_text="Masked account number.")
    transfer_sent_at = serializers.DateTimeField(allow_null=True)
    attempts_left = serializers.IntegerField()


class AgreementStepOut(serializers.Serializer):
    done = serializers.BooleanField()
    version = serializers.CharField(allow_null=True)
    signed_at = serializers.DateTimeField(allow_null=True)
    current_version = serializers.CharField()
    text = serializers.CharField()


class CertificationOut(serializers.Serializer):
    certified = serializers.BooleanField()
    missing_steps = serializers.ListField(child=serializers.CharField())
    qualification = QualificationStepOut()
    bank_transfer = BankStepOut()
    agreement = AgreementStepOut()


class QualificationIn(serializers.Serializer):
    fields = serializers.DictField(help_text="Fields of the business_license qualification type, by name.")
    images = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)


class QualificationSubmittedOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


class BankAccountIn(serializers.Serializer):
    company_name = serializers.CharField(max_length=200)
    bank_name = serializers.CharField(max_length=200)
    account_number = serializers.CharField(max_length=64)


class AmountIn(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=Decimal("0"))


class TransferRecordIn(serializers.Serializer):
    amount = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("0.99"),
        required=False,
        allow_null=True,
    )


class TransferRecordOut(serializers.Serializer):
    shop = serializers.CharField()
    amount = serializers.DecimalField(max_digits=5, decimal_places=2)
    status = serializers.CharField()


class AgreementIn(serializers.Serializer):
    agree = serializers.BooleanField()
    agreement_version = serializers.CharField(max_length=40)


class UnlockIn(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


# --- creator square (XT-2) ---------------------------------------------------------------------
class CreatorOut(serializers.ModelSerializer):
    code = serializers.CharField(source="streamer.code")
    name = serializers.CharField(source="streamer.name")
    fans = serializers.IntegerField(source="streamer.fans")
    score = serializers.DecimalField(source="streamer.experience_score", max_digits=3, decimal_places=2)
    industry = serializers.CharField(source="streamer.main_industry")
    completed_tasks = serializers.IntegerField(read_only=True, default=0)
    avg_rating = serializers.FloatField(read_only=True, allow_null=True, default=None)

    class Meta:
        model = CreatorProfile
        fields = [
            "code",
            "name",
            "kind",
            "fans",
            "score",
            "industry",
            "content_types",
            "price_short",
            "price_long",
            "bio",
            "completed_tasks",
            "avg_rating",
        ]


class SelectionOut(serializers.ModelSerializer):
    creator = serializers.CharField(source="streamer.code")
    name = serializers.CharField(source="streamer.name")

    class Meta:
        model = CreatorSelection
        fields = ["creator", "name", "added_at"]


class SelectionIn(serializers.Serializer):
    creators = serializers.ListField(child=serializers.CharField(max_length=64), allow_empty=False, max_length=200)


class CreatorProfileIn(serializers.Serializer):
    listed = serializers.BooleanField()
    content_types = serializers.ListField(child=serializers.ChoiceField(choices=ContentType.choices), default=list)
    price_short = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0"))
    price_long = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0"))
    bio = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


# --- tasks and orders (XT-2, XT-3) ------------------------------------------------------------
class TaskIn(serializers.Serializer):
    key = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    task_type = serializers.ChoiceField(choices=TaskType.choices, default=TaskType.DOUYIN_VIDEO)
    title = serializers.CharField(max_length=100)
    brand = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    product_name = serializers.CharField(max_length=200)
    product_link = serializers.URLField(required=False, allow_blank=True, default="")
    publish_from = serializers.DateField()
    publish_until = serializers.DateField()
    video_duration = serializers.ChoiceField(choices=VideoDuration.choices)
    requirements = serializers.CharField(max_length=5000)
    creators = serializers.ListField(
        child=serializers.CharField(max_length=64),
        required=False,
        allow_empty=False,
        help_text="Creator codes; omitted = the 已选达人 list.",
    )
    service_provider = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    settlement = serializers.ChoiceField(choices=Settlement.choices)


class OrderLineOut(serializers.ModelSerializer):
    creator = serializers.CharField(source="streamer.code")
    name = serializers.CharField(source="streamer.name")

    class Meta:
        model = CreatorOrder
        fields = ["id", "creator", "name", "price", "status", "due_at"]


class TaskOut(serializers.ModelSerializer):
    orders = OrderLineOut(many=True, read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "key",
            "task_type",
            "title",
            "brand",
            "product_name",
            "product_link",
            "publish_from",
            "publish_until",
            "video_duration",
            "requirements",
            "service_provider",
            "settlement",
            "total_amount",
            "created_at",
            "orders",
        ]


class DeliverableOut(serializers.ModelSerializer):
    class Meta:
        model = Deliverable
        fields = ["kind", "round", "text", "link", "cover", "submitted_at", "verdict", "comments", "decided_at"]


class EventOut(serializers.ModelSerializer):
    class Meta:
        model = CreatorOrderEvent
        fields = ["at", "action", "from_status", "to_status", "note"]


class OrderOut(serializers.ModelSerializer):
    task = serializers.SerializerMethodField()
    creator = serializers.CharField(source="streamer.code")
    advertiser = serializers.CharField(source="task.advertiser.shop.code")
    rejections_left = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    deliverables = DeliverableOut(many=True, read_only=True)
    timeline = EventOut(source="events", many=True, read_only=True)

    class Meta:
        model = CreatorOrder
        fields = [
            "id",
            "task",
            "advertiser",
            "creator",
            "price",
            "status",
            "due_at",
            "script_rejections",
            "video_rejections",
            "rejections_left",
            "publish_mode",
            "publish_at",
            "published_at",
            "video_url",
            "completed_at",
            "rating",
            "rating_comment",
            "actions",
            "deliverables",
            "timeline",
        ]

    @extend_schema_field({"type": "object", "properties": {"id": {"type": "integer"}, "title": {"type": "string"}}})
    def get_task(self, obj: CreatorOrder) -> dict[str, Any]:
        return {"id": obj.task_id, "title": obj.task.title, "task_type": obj.task.task_type}

    @extend_schema_field(
        {"type": "object", "properties": {"script": {"type": "integer"}, "video": {"type": "integer"}}}
    )
    def get_rejections_left(self, obj: CreatorOrder) -> dict[str, int]:
        from shop.rules import setting

        return {
            "script": max(0, setting("xingtu.max_script_rejections") - obj.script_rejections),
            "video": max(0, setting("xingtu.max_video_rejections") - obj.video_rejections),
        }

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, obj: CreatorOrder) -> list[str]:
        party = self.context.get("party")
        return actions_for(obj, party) if party else []


class OrderListOut(serializers.ModelSerializer):
    task = serializers.SerializerMethodField()
    creator = serializers.CharField(source="streamer.code")
    advertiser = serializers.CharField(source="task.advertiser.shop.code")

    class Meta:
        model = CreatorOrder
        fields = ["id", "task", "advertiser", "creator", "price", "status", "due_at", "published_at", "rating"]

    @extend_schema_field({"type": "object", "properties": {"id": {"type": "integer"}, "title": {"type": "string"}}})
    def get_task(self, obj: CreatorOrder) -> dict[str, Any]:
        return {"id": obj.task_id, "title": obj.task.title}


class ReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class CommentsIn(serializers.Serializer):
    comments = serializers.CharField(max_length=2000, allow_blank=True)


class ScriptIn(serializers.Serializer):
    text = serializers.CharField(max_length=20000, allow_blank=True)
    link = serializers.URLField(required=False, allow_blank=True, default="")
    cover = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="Upload id (image).")


class VideoIn(serializers.Serializer):
    link = serializers.URLField(help_text="Link to the video (videos are not uploaded as files).")
    text = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="", help_text="Caption.")
    cover = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="Upload id (image).")


class PublishIn(serializers.Serializer):
    mode = serializers.ChoiceField(choices=PublishMode.choices)
    at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class RatingIn(serializers.Serializer):
    score = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class VideoDecisionIn(serializers.Serializer):
    approved = serializers.BooleanField()
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
