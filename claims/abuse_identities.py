"""RF-1 buyer identity data: the ``consumer_identities`` section of POST /api/v1/platform/sync.

Item: ``{consumer: code, identities: [{kind: device|address|phone|payment|name, value}],
replace: false}``. Values are normalised (case, spaces, punctuation; phones keep digits) so that
the same address typed twice links. Identifiers are added idempotently; with ``replace: true``
the consumer's identifiers not listed are removed. ``changed`` counts consumers whose set changed.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from shop.models import Consumer
from shop.sync import ItemError

from .models import ConsumerIdentity, IdentityKind

SECTION = "consumer_identities"
_PUNCT = re.compile(r"[\s\-_,.;:，。；：、#()（）/\\]+")


def normalise(kind: str, value: str) -> str:
    """The comparable form of an identifier (also used for waybill checks)."""
    value = unicodedata.normalize("NFKC", str(value or "")).strip().lower()
    if kind == IdentityKind.PHONE:
        digits = re.sub(r"\D", "", value)
        if digits.startswith("86") and len(digits) == 13:
            digits = digits[2:]
        return digits
    return _PUNCT.sub("", value)[:255]


class IdentityIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=IdentityKind.choices)
    value = serializers.CharField(max_length=255)

    def validate(self, attrs: dict) -> dict:
        attrs["value"] = normalise(attrs["kind"], attrs["value"])
        if not attrs["value"]:
            raise serializers.ValidationError({"value": [_("Empty after normalisation.")]})
        return attrs


class ConsumerIdentitiesIn(serializers.Serializer):
    consumer = serializers.CharField(max_length=64)
    identities = serializers.ListField(child=IdentityIn(), max_length=100)
    replace = serializers.BooleanField(default=False)


def apply_consumer_identities(d: dict, actor: Any) -> bool:
    consumer = Consumer.objects.filter(code=d["consumer"]).first()
    if consumer is None:
        raise ItemError(
            "unknown_reference",
            _("Unknown consumer: %(code)s") % {"code": d["consumer"]},
            {"consumer": [_("Unknown code.")]},
        )
    wanted = {(i["kind"], i["value"]) for i in d["identities"]}
    have = set(ConsumerIdentity.objects.filter(consumer=consumer).values_list("kind", "value"))
    new = wanted - have
    ConsumerIdentity.objects.bulk_create(
        [ConsumerIdentity(consumer=consumer, kind=k, value=v, label=consumer.pk) for k, v in sorted(new)],
        ignore_conflicts=True,
    )
    removed = 0
    if d["replace"]:
        gone = have - wanted
        for kind, value in gone:
            removed += ConsumerIdentity.objects.filter(consumer=consumer, kind=kind, value=value).delete()[0]
    return bool(new) or bool(removed)


def register() -> None:
    from shop import sync

    sync.EXTRA_VALIDATORS[SECTION] = ConsumerIdentitiesIn
    sync.EXTRA_SECTIONS[SECTION] = apply_consumer_identities
