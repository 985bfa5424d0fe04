"""信任购 computation in set-based SQL (TP-1, TP-2, TP-3, TP-6).

Every function here writes only the rows whose value changes (``IS DISTINCT FROM``) and never
loads a table into Python. The same SQL runs on PostgreSQL (production) and SQLite (local and
unit tests); the few dialect differences are isolated in ``_Dialect``.

The label rule, in one place (TP-1, TP-2):
    label = shop.kind in TRUST_SHOP_KINDS and product.source in TRUST_SOURCES
            and no required service is missing
    required(product) = TRUST_BASE_SERVICES
                        + [return_freight if category.requires_return_freight]
                        + category.industry_services
    provided(product, s) = shop enabled s and product not opted out of s
``trust_missing`` lists the required services not provided, in catalogue order, whatever the
shop kind or source (so the merchant always sees the service side of the rule, BX-4).
"""

# S608: the SQL below is assembled only from our own catalogue constants (checked by _lit) and
# "%s" placeholders; every value is passed as a parameter.
# ruff: noqa: S608
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from shop.rules import setting

from .rules import SHOP_SERVICES, TRUST_BASE_SERVICES, TRUST_SHOP_KINDS, TRUST_SOURCES

_IDENT = re.compile(r"^[a-z_]+$")


def _lit(value: str) -> str:
    """A catalogue code as an SQL literal (codes are our own identifiers, checked anyway)."""
    if not _IDENT.match(value):
        raise ValueError(value)
    return f"'{value}'"


class _Dialect:
    def __init__(self) -> None:
        self.pg = connection.vendor == "postgresql"

    def contains(self, column: str, code: str) -> str:
        if self.pg:
            return f"({column} @> '[\"{code}\"]'::jsonb)"
        return f"EXISTS (SELECT 1 FROM json_each({column}) AS je WHERE je.value = {_lit(code)})"

    def json_value(self, expr: str) -> str:
        return f"CAST({expr} AS jsonb)" if self.pg else expr

    def json_differs(self, column: str, expr: str) -> str:
        if self.pg:
            return f"{column} IS DISTINCT FROM CAST({expr} AS jsonb)"
        return f"json({column}) IS NOT json({expr})"

    def differs(self, a: str, b: str) -> str:
        return f"{a} IS DISTINCT FROM {b}" if self.pg else f"{a} IS NOT {b}"

    def ratio(self, num: str, den: str) -> str:
        cast = "NUMERIC" if self.pg else "REAL"
        return f"ROUND(CAST({num} AS {cast}) / {den}, 4)"

    def param(self, value: Any) -> Any:
        if isinstance(value, datetime):
            return connection.ops.adapt_datetimefield_value(value)
        return value


# ---- scope ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which products a recompute touches: one shop's, one category's, given ids, or all."""

    shop_ids: tuple[int, ...] | None = None
    category_ids: tuple[int, ...] | None = None
    product_ids: tuple[int, ...] | None = None

    @classmethod
    def of(
        cls,
        *,
        shop_ids: Iterable[int] | None = None,
        category_ids: Iterable[int] | None = None,
        product_ids: Iterable[int] | None = None,
    ) -> Scope:
        def norm(ids: Iterable[int] | None) -> tuple[int, ...] | None:
            return None if ids is None else tuple(sorted({int(i) for i in ids}))

        return cls(norm(shop_ids), norm(category_ids), norm(product_ids))

    @property
    def is_all(self) -> bool:
        return self.shop_ids is None and self.category_ids is None and self.product_ids is None

    @property
    def is_empty(self) -> bool:
        return any(ids == () for ids in (self.shop_ids, self.category_ids, self.product_ids))

    def where(self, alias: str) -> tuple[str, list[Any]]:
        parts: list[str] = []
        params: list[Any] = []
        for column, ids in (("shop_id", self.shop_ids), ("category_id", self.category_ids), ("id", self.product_ids)):
            if ids is not None:
                parts.append(f"{alias}.{column} IN ({', '.join(['%s'] * len(ids))})")
                params.extend(ids)
        return (" AND ".join(parts) or "1 = 1"), params

    def product_filter(self) -> dict[str, Any]:
        """The same scope as ORM lookups on Product."""
        lookups: dict[str, Any] = {}
        if self.shop_ids is not None:
            lookups["shop_id__in"] = self.shop_ids
        if self.category_ids is not None:
            lookups["category_id__in"] = self.category_ids
        if self.product_ids is not None:
            lookups["pk__in"] = self.product_ids
        return lookups


# ---- the label query ------------------------------------------------------------------------


def _required_sql(d: _Dialect, code: str) -> str | None:
    """1/0 expression over category alias ``c``; None when always required (TP-2 base)."""
    if code in TRUST_BASE_SERVICES:
        return None
    cond = d.contains("c.industry_services", code)
    if code == "return_freight":
        cond = f"(c.requires_return_freight OR {cond})"
    return f"CASE WHEN {cond} THEN 1 ELSE 0 END"


def _missing_expr(code: str, enabled: str | None = None) -> str:
    """Boolean: ``code`` is required for the product and not provided."""
    enabled = enabled or f"COALESCE(ss.e_{code}, 0) = 1"
    provided = f"({enabled} AND COALESCE(oo.o_{code}, 0) = 0)"
    if code in TRUST_BASE_SERVICES:
        return f"(NOT {provided})"
    return f"(cat.r_{code} = 1 AND NOT {provided})"


def _label_expr(overrides: dict[str, bool] | None = None) -> str:
    overrides = overrides or {}
    missing = " OR ".join(
        _missing_expr(c, None if c not in overrides else ("1 = 1" if overrides[c] else "1 = 0")) for c in SHOP_SERVICES
    )
    kinds = ", ".join(_lit(k) for k in TRUST_SHOP_KINDS)
    sources = ", ".join(_lit(s) for s in TRUST_SOURCES)
    return f"CASE WHEN s.kind IN ({kinds}) AND p.source IN ({sources}) AND NOT ({missing}) THEN TRUE ELSE FALSE END"


def _missing_json_expr() -> str:
    pieces = " || ".join(f"CASE WHEN {_missing_expr(c)} THEN '\"{c}\",' ELSE '' END" for c in SHOP_SERVICES)
    return f"('[' || RTRIM({pieces}, ',') || ']')"


def _from_sql(d: _Dialect, scope: Scope) -> tuple[str, list[Any]]:
    """FROM … WHERE over products ``p`` with shop ``s``, category requirements ``cat``, shop
    toggles ``ss`` and opt-outs ``oo`` (one aggregated row per shop / product)."""
    where, params = scope.where("p")
    inner_where, inner_params = scope.where("p2")
    enabled_cols = ", ".join(
        f"MAX(CASE WHEN code = {_lit(c)} AND enabled THEN 1 ELSE 0 END) AS e_{c}" for c in SHOP_SERVICES
    )
    opted_cols = ", ".join(f"MAX(CASE WHEN code = {_lit(c)} THEN 1 ELSE 0 END) AS o_{c}" for c in SHOP_SERVICES)
    req_cols = ", ".join(f"{_required_sql(d, c)} AS r_{c}" for c in SHOP_SERVICES if c not in TRUST_BASE_SERVICES)
    if scope.is_all:
        ss_filter, oo_filter, sub_params = "", "", []
    else:
        # Aggregate only the toggles and opt-outs of the products in scope.
        if scope.shop_ids is not None:
            ss_filter = f"WHERE shop_id IN ({', '.join(['%s'] * len(scope.shop_ids))})"
            ss_params: list[Any] = list(scope.shop_ids)
        else:
            ss_filter = f"WHERE shop_id IN (SELECT p2.shop_id FROM shop_product p2 WHERE {inner_where})"
            ss_params = list(inner_params)
        oo_filter = f"WHERE product_id IN (SELECT p2.id FROM shop_product p2 WHERE {inner_where})"
        sub_params = [*ss_params, *inner_params]
    sql = f"""
        FROM shop_product p
        JOIN shop_shop s ON s.id = p.shop_id
        JOIN (SELECT c.id, {req_cols} FROM shop_category c) cat ON cat.id = p.category_id
        LEFT JOIN (SELECT shop_id, {enabled_cols} FROM guarantees_shopservice {ss_filter} GROUP BY shop_id) ss
            ON ss.shop_id = p.shop_id
        LEFT JOIN (SELECT product_id, {opted_cols} FROM guarantees_productoptout {oo_filter} GROUP BY product_id) oo
            ON oo.product_id = p.id
        WHERE {where}
    """
    return sql, [*sub_params, *params]


@dataclass
class RecomputeResult:
    changed: int = 0
    sample_ids: list[int] = field(default_factory=list)


def recompute_labels(*, scope: Scope, sample: int = 0) -> RecomputeResult:
    """TP-3: recompute trust_label / trust_missing for ``scope`` in one UPDATE … FROM.

    Returns how many rows changed; with ``sample`` > 0 also up to that many of their ids
    (the nightly check reports them as rows that were wrong).
    """
    if scope.is_empty:
        return RecomputeResult()
    d = _Dialect()
    from_sql, params = _from_sql(d, scope)
    sql = f"""
        UPDATE shop_product AS t
        SET trust_label = calc.label, trust_missing = {d.json_value("calc.missing")}
        FROM (SELECT p.id AS id, {_label_expr()} AS label, {_missing_json_expr()} AS missing {from_sql}) AS calc
        WHERE t.id = calc.id
          AND ({d.differs("t.trust_label", "calc.label")} OR {d.json_differs("t.trust_missing", "calc.missing")})
    """
    result = RecomputeResult()
    with connection.cursor() as cur:
        if sample > 0:
            cur.execute(sql + (" RETURNING t.id" if d.pg else " RETURNING id"), params)
            while rows := cur.fetchmany(5000):
                result.changed += len(rows)
                room = sample - len(result.sample_ids)
                if room > 0:
                    result.sample_ids.extend(r[0] for r in rows[:room])
        else:
            cur.execute(sql, params)
            result.changed = max(cur.rowcount, 0)
    return result


def toggle_effects(*, shop_id: int) -> dict[str, dict[str, int]]:
    """BX-4: for each shop service, how many of the shop's products would gain / lose the
    label if that one service were flipped. One query over the shop's products."""
    d = _Dialect()
    scope = Scope.of(shop_ids=[shop_id])
    from_sql, params = _from_sql(d, scope)
    now = _label_expr()
    cols = [f"SUM(CASE WHEN ({now}) THEN 1 ELSE 0 END) AS labelled", "COUNT(*) AS total"]
    for c in SHOP_SERVICES:
        for flip in (True, False):
            after = _label_expr({c: flip})
            cols.append(
                f"SUM(CASE WHEN ({after}) AND NOT ({now}) THEN 1 ELSE 0 END) AS gain_{c}_{int(flip)}, "
                f"SUM(CASE WHEN ({now}) AND NOT ({after}) THEN 1 ELSE 0 END) AS lose_{c}_{int(flip)}"
            )
    with connection.cursor() as cur:
        cur.execute(f"SELECT {', '.join(cols)} {from_sql}", params)
        row = cur.fetchone()
        names = [col[0] for col in cur.description]
    values = {name: int(v or 0) for name, v in zip(names, row, strict=True)}
    out: dict[str, dict[str, int]] = {"_shop": {"labelled": values["labelled"], "total": values["total"]}}
    for c in SHOP_SERVICES:
        out[c] = {
            "gain_if_on": values[f"gain_{c}_1"],
            "lose_if_on": values[f"lose_{c}_1"],
            "gain_if_off": values[f"gain_{c}_0"],
            "lose_if_off": values[f"lose_{c}_0"],
        }
    return out


def toggle_impact_ids(*, shop_id: int, code: str, enabled: bool) -> tuple[list[int], list[int]]:
    """BX-4: ids of the shop's products that would gain / lose the label if ``code`` became
    ``enabled``."""
    d = _Dialect()
    from_sql, params = _from_sql(d, Scope.of(shop_ids=[shop_id]))
    now, after = _label_expr(), _label_expr({code: enabled})
    sql = f"""SELECT p.id, CASE WHEN ({after}) THEN 1 ELSE 0 END AS gains {from_sql}
              AND (({after}) AND NOT ({now}) OR ({now}) AND NOT ({after})) ORDER BY p.id"""
    gain: list[int] = []
    lose: list[int] = []
    with connection.cursor() as cur:
        cur.execute(sql, params)
        for pid, gains in cur.fetchall():
            (gain if gains else lose).append(pid)
    return gain, lose


# ---- TP-6 shop badge ------------------------------------------------------------------------


def shop_badge_window(now: datetime | None = None) -> tuple[datetime, datetime]:
    """TP-6: the past N × 24 h up to ``now``, both ends included."""
    now = now or timezone.now()
    return now - timedelta(days=setting("trust.shop_badge_window_days")), now


def recompute_shop_badges(*, shop_ids: Iterable[int] | None = None, now: datetime | None = None) -> int:
    """TP-6 for all shops (or some): both ratios ≥ the threshold → shown; no orders → hidden.

    Ratios are stored rounded to 4 places for display; ``shown`` compares exact integers
    (trust × 100 ≥ pct × all), so 59.99 % never rounds up into the badge.
    """
    d = _Dialect()
    now = now or timezone.now()
    start, end = shop_badge_window(now)
    pct = int(setting("trust.shop_badge_min_pct"))
    kinds = ", ".join(_lit(k) for k in TRUST_SHOP_KINDS)
    shop_where, shop_params = "1 = 1", []
    order_filter, order_params = "", []
    if shop_ids is not None:
        ids = sorted({int(i) for i in shop_ids})
        if not ids:
            return 0
        marks = ", ".join(["%s"] * len(ids))
        shop_where, shop_params = f"s.id IN ({marks})", ids
        order_filter, order_params = f"AND o.shop_id IN ({marks})", ids
    sql = f"""
        WITH w AS (
            SELECT o.shop_id, COUNT(*) AS n, SUM(CASE WHEN o.trust_label THEN 1 ELSE 0 END) AS t
            FROM shop_order o WHERE o.placed_at >= %s AND o.placed_at <= %s {order_filter}
            GROUP BY o.shop_id
        ), h AS (
            SELECT x.shop_id, COUNT(*) AS n, SUM(x.l) AS t FROM (
                SELECT o.shop_id, o.product_id, MAX(CASE WHEN o.trust_label THEN 1 ELSE 0 END) AS l
                FROM shop_order o WHERE o.placed_at <= %s {order_filter} GROUP BY o.shop_id, o.product_id
            ) x GROUP BY x.shop_id
        ), calc AS (
            SELECT s.id,
                CASE WHEN s.kind IN ({kinds}) AND w.n > 0 AND h.n > 0
                          AND w.t * 100 >= %s * w.n AND h.t * 100 >= %s * h.n
                     THEN TRUE ELSE FALSE END AS shown,
                CASE WHEN w.n > 0 THEN {d.ratio("w.t", "w.n")} END AS r14,
                CASE WHEN h.n > 0 THEN {d.ratio("h.t", "h.n")} END AS rh
            FROM shop_shop s LEFT JOIN w ON w.shop_id = s.id LEFT JOIN h ON h.shop_id = s.id
            WHERE {shop_where}
        )
        UPDATE shop_shop AS t
        SET trust_badge_shown = calc.shown, trust_order_ratio_14d = calc.r14,
            labelled_product_ratio = calc.rh, badge_computed_at = %s
        FROM calc
        WHERE t.id = calc.id AND ({d.differs("t.trust_badge_shown", "calc.shown")}
            OR {d.differs("t.trust_order_ratio_14d", "calc.r14")}
            OR {d.differs("t.labelled_product_ratio", "calc.rh")}
            OR t.badge_computed_at IS NULL)
    """
    params = [
        d.param(start),
        d.param(end),
        *order_params,
        d.param(end),
        *order_params,
        pct,
        pct,
        *shop_params,
        d.param(now),
    ]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return max(cur.rowcount, 0)
