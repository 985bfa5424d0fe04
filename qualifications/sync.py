"""The ``qualification_types`` section of POST /api/v1/platform/sync (API.md, QL-1).

Registered into shop.sync.EXTRA_VALIDATORS / EXTRA_SECTIONS by the AppConfig."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from shop.sync import ItemError

from .constants import NUMBER_FIELD_NAMES, FieldKind
from .models import QualificationClass, QualificationField, QualificationType


class FieldIn(serializers.Serializer):
    name = serializers.RegexField(r"^[\w\-]{1,64}$", max_length=64)
    kind = serializers.ChoiceField(choices=FieldKind.choices)
    required = serializers.BooleanField(default=True)
    validity_end = serializers.BooleanField(default=False)


class QualificationTypeIn(serializers.Serializer):
    code = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=200)
    fields = FieldIn(many=True, allow_empty=False)

    def validate(self, attrs: dict) -> dict:
        items = attrs["fields"]
        names = [f["name"] for f in items]
        if len(set(names)) != len(names):
            raise serializers.ValidationError({"fields": [_("Field names must be unique.")]})
        ends = [f for f in items if f["validity_end"]]
        if len(ends) > 1:
            raise serializers.ValidationError({"fields": [_("At most one field is the validity end date.")]})
        if ends and ends[0]["kind"] != FieldKind.DATE:
            raise serializers.ValidationError({"fields": [_("The validity end field must be a date.")]})
        return attrs


# "class" is a Python keyword: declare the serializer field under that name after the fact.
QualificationTypeIn._declared_fields["class"] = serializers.CharField(max_length=64)


def _number_field(items: list[dict]) -> str | None:
    for f in items:
        if f["kind"] == FieldKind.TEXT and f["name"] in NUMBER_FIELD_NAMES:
            return f["name"]
    return next((f["name"] for f in items if f["kind"] == FieldKind.TEXT and f["required"]), None)


def apply_qualification_type(d: dict, actor: Any) -> bool:
    """Upsert one type by code; its fields are replaced when they differ. Returns changed."""
    klass_key = d["class"].strip()
    if not klass_key:
        raise ItemError("invalid", _("A class is required."), {"class": [_("This field is required.")]})
    klass = (
        QualificationClass.objects.filter(code=klass_key).first()
        or QualificationClass.objects.filter(name=klass_key).first()
    )
    changed = False
    if klass is None:
        klass = QualificationClass.objects.create(code=klass_key, name=klass_key)
        changed = True
    qtype = QualificationType.objects.select_for_update().filter(code=d["code"]).first()
    if qtype is None:
        qtype = QualificationType.objects.create(code=d["code"], name=d["name"], klass=klass)
        changed = True
    elif qtype.name != d["name"] or qtype.klass_id != klass.pk:
        qtype.name, qtype.klass = d["name"], klass
        qtype.save(update_fields=["name", "klass", "updated_at"])
        changed = True
    number = _number_field(d["fields"])
    wanted = [
        (f["name"], f["kind"], f["required"], f["validity_end"], f["name"] == number, i)
        for i, f in enumerate(d["fields"])
    ]
    have = [
        (f.name, f.kind, f.required, f.validity_end, f.is_number, f.position)
        for f in qtype.fields.order_by("position", "id")
    ]
    if have != wanted:
        labels = dict(qtype.fields.values_list("name", "label"))
        qtype.fields.all().delete()
        QualificationField.objects.bulk_create(
            [
                QualificationField(
                    type=qtype,
                    name=name,
                    label=labels.get(name, ""),
                    kind=kind,
                    required=required,
                    validity_end=end,
                    is_number=is_number,
                    position=pos,
                )
                for name, kind, required, end, is_number, pos in wanted
            ]
        )
        changed = True
    return changed
