"""Tunable rule numbers (SPEC: 'every number is a default staff can change').

Each app declares its keys with the SPEC default and rule id via ``register``; staff override
any of them in admin (RuleSetting). ``setting(key)`` is the one accessor.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache

_CACHE_PREFIX = "rule-setting:"
_CACHE_SECONDS = 30


@dataclass(frozen=True)
class RuleDefault:
    key: str
    default: Any
    rule: str
    description: str


REGISTRY: dict[str, RuleDefault] = {}


def register(key: str, default: Any, *, rule: str, description: str = "") -> None:
    REGISTRY[key] = RuleDefault(key, default, rule, description)


def _coerce(default: Any, value: Any) -> Any:
    if isinstance(default, Decimal):
        return Decimal(str(value))
    if isinstance(default, bool):
        return bool(value)
    if isinstance(default, int):
        return int(value)
    return value


def setting(key: str) -> Any:
    from .models import RuleSetting

    spec = REGISTRY[key]
    cached = cache.get(_CACHE_PREFIX + key)
    if cached is not None:
        return _coerce(spec.default, cached["v"])
    row = RuleSetting.objects.filter(key=key).values_list("value", flat=True).first()
    value = row if row is not None else (str(spec.default) if isinstance(spec.default, Decimal) else spec.default)
    cache.set(_CACHE_PREFIX + key, {"v": value}, _CACHE_SECONDS)
    return _coerce(spec.default, value)


def invalidate(key: str) -> None:
    cache.delete(_CACHE_PREFIX + key)


# Foundation-level numbers.
register("upload.max_bytes", 8 * 1024 * 1024, rule="SZB-9", description="Largest accepted upload in bytes.")
