"""Tunable rule numbers (SPEC: 'every number is a default staff can change').

Each app declares its keys with the SPEC default and rule id via ``register``; staff override
any of them in admin (RuleSetting). ``setting(key)`` is the one accessor.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache

_CACHE_PREFIX = "rule-setting:"
_CACHE_SECONDS = 30
# Hot paths (claim filing) read several rule numbers per request; a shared-cache round trip each
# would cost more than the rest of the rule logic. settings.RULE_SETTINGS_LOCAL_SECONDS (5 s;
# 0 in tests, which reset the shared cache between cases) bounds how stale a process may be.
_LOCAL: dict[str, tuple[float, Any]] = {}


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
    """The current value: this process's copy if younger than ``RULE_SETTINGS_LOCAL_SECONDS``, else the shared
    cache (Redis in production), else the database. A change made in admin is seen at once by
    the process that made it and by every other process within ``RULE_SETTINGS_LOCAL_SECONDS``."""
    from .models import RuleSetting

    now = time.monotonic()
    local = _LOCAL.get(key)
    if local is not None and local[0] > now:
        return _fresh(local[1])
    spec = REGISTRY[key]
    cached = cache.get(_CACHE_PREFIX + key)
    if cached is not None:
        value = cached["v"]
    else:
        row = RuleSetting.objects.filter(key=key).values_list("value", flat=True).first()
        value = row if row is not None else (str(spec.default) if isinstance(spec.default, Decimal) else spec.default)
        cache.set(_CACHE_PREFIX + key, {"v": value}, _CACHE_SECONDS)
    coerced = _coerce(spec.default, value)
    if settings.RULE_SETTINGS_LOCAL_SECONDS > 0:
        _LOCAL[key] = (now + settings.RULE_SETTINGS_LOCAL_SECONDS, coerced)
    return _fresh(coerced)


def _fresh(value: Any) -> Any:
    # Callers may change a list or dict they were given; the memo keeps its own.
    return copy.deepcopy(value) if isinstance(value, (list, dict)) else value


def invalidate(key: str) -> None:
    _LOCAL.pop(key, None)
    cache.delete(_CACHE_PREFIX + key)


# Foundation-level numbers.
register("upload.max_bytes", 8 * 1024 * 1024, rule="SZB-9", description="Largest accepted upload in bytes.")
