"""Explicit extension points through which later apps take part in shop's writes.

``shop`` must not import later apps (CONVENTIONS: the map). Where a platform-fact write needs a
later app's rule (an order's 实在宝 coverage is decided at intake, an abuse block refuses an
order, an enrolment arrives with a streamer), that app registers a plain function here in its
``AppConfig.ready``; shop's services call the registered functions in order, inside their
transaction, so the flow stays visible and synchronous (no signals).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# (order_doc_resolved: dict) -> None; raise a DomainError (e.g. BuyerBlocked) to refuse the order.
order_intake_checks: list[Callable[..., None]] = []
# (order: Order) -> None; sets fixed-at-placement flags (shizaibao_covered, trust_label) before save.
order_flags: list[Callable[..., None]] = []
# (streamer: Streamer, doc: dict, actor) -> bool changed; handles the `shizaibao` sub-document.
streamer_extras: list[Callable[..., bool]] = []
# (shop_ids: set[int], category_ids: set[int], product_ids: set[int]) -> None; after products,
# shops or categories changed through sync (e.g. badge / sale-state recompute after commit).
facts_changed: list[Callable[..., None]] = []
# (order, event_type) -> None; after an order event is recorded.
order_event_recorded: list[Callable[..., None]] = []


def run(hooks: list[Callable[..., Any]], *args: Any, **kwargs: Any) -> list[Any]:
    return [fn(*args, **kwargs) for fn in hooks]
