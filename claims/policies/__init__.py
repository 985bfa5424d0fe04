"""One small policy module per claim kind (CONVENTIONS: claims). The engine looks policies up
in REGISTRY by kind; a kind registers itself by importing its module here.

Each import is guarded so that a kind whose module is not there yet does not break the others.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .base import ClaimPolicy

log = logging.getLogger(__name__)

REGISTRY: dict[str, ClaimPolicy] = {}


def register(policy: ClaimPolicy) -> ClaimPolicy:
    REGISTRY[policy.kind] = policy
    return policy


def get(kind: str) -> ClaimPolicy | None:
    return REGISTRY.get(kind)


POLICY_MODULES = ("shizaibao", "authentic", "damage", "local_return", "return_freight")

for _name in POLICY_MODULES:
    try:
        importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as exc:  # a kind not written yet
        if exc.name != f"{__name__}.{_name}":
            raise
        log.debug("claim policy module %s not present", _name)
