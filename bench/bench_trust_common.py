"""Shared set-up for the 信任购 benchmarks: Django on a PostgreSQL database of its own, data made
with set-based SQL (generate_series), timing helpers. Not a benchmark itself."""

from __future__ import annotations

import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

from common import ensure_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_trust"


def setup_django() -> None:
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("AXES_ENABLED", "false")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    ensure_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "guarantees", verbosity=0)  # only what the benchmarks need
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("the benchmarks run on PostgreSQL (set DATABASE_URL=postgres://…)")


def sql(statement: str, params: list | None = None) -> int:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(statement, params or [])
        return cur.rowcount


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def rss_mb() -> float:
    """Peak resident set size of this process, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_trust_tables() -> None:
    sql(
        "TRUNCATE guarantees_productoptout, guarantees_shopservice, shop_cartitem, shop_orderevent, shop_order, "
        "shop_product, shop_category, shop_consumer CASCADE"
    )
    sql("DELETE FROM shop_shop WHERE code LIKE 'B%%'")


SERVICES = [
    "seven_day_return",
    "fast_refund",
    "fake_pay_nine",
    "return_freight",
    "allergy_return",
    "damage_return",
    "broken_return",
    "authentic_guarantee",
    "local_return",
]


def make_catalogue(*, shops: int, products: int, categories: int = 200, opt_out_pct: float = 2.0) -> None:
    """Shops (95 % regular), categories (1/4 need 退货补运费, 1/5 an industry service), shop
    toggles (each service on with ~85 % chance), products spread over shops, ~2 % opt-outs."""
    reset_trust_tables()
    sql(
        """INSERT INTO shop_category (code, name, szb_excluded, requires_return_freight, industry_services,
                                      damage_window_hours, required_qualification_types, updated_at)
           SELECT 'bc' || g, 'cat ' || g, false, g %% 4 = 0,
                  CASE WHEN g %% 5 = 0 THEN '["allergy_return"]'::jsonb
                       WHEN g %% 7 = 0 THEN '["broken_return"]'::jsonb ELSE '[]'::jsonb END,
                  72, '[]'::jsonb, now()
           FROM generate_series(1, %s) g""",
        [categories],
    )
    sql(
        """INSERT INTO shop_shop (code, name, kind, experience_score, level, main_industry, regions,
                                  trust_badge_shown, created_at, updated_at)
           SELECT 'B' || g, 'shop ' || g, CASE WHEN g %% 20 = 0 THEN 'cross_border' ELSE 'regular' END,
                  4.5, 3, '', '["CN"]'::jsonb, false, now(), now()
           FROM generate_series(1, %s) g""",
        [shops],
    )
    sql(
        """INSERT INTO guarantees_shopservice (shop_id, code, enabled, changed_at)
           SELECT s.id, c.code, random() < 0.85, now()
           FROM shop_shop s CROSS JOIN unnest(%s::text[]) AS c(code) WHERE s.code LIKE 'B%%'""",
        [SERVICES],
    )
    sql(
        """INSERT INTO shop_product (code, shop_id, title, category_id, price, source, flash_sale, attributes,
                                     trust_label, trust_missing, on_sale, blocked_reasons, created_at, updated_at)
           SELECT 'BP' || g, sh.id, 'product ' || g, c.id, 10.00,
                  CASE WHEN g %% 50 = 0 THEN 'youzan' ELSE 'own' END, false, '{}'::jsonb,
                  false, '[]'::jsonb, true, '[]'::jsonb, now(), now()
           FROM generate_series(1, %s) g
           JOIN (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM shop_shop WHERE code LIKE 'B%%') sh
             ON sh.rn = 1 + (g %% %s)
           JOIN (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM shop_category) c
             ON c.rn = 1 + (g %% %s)""",
        [products, shops, categories],
    )
    sql(
        """INSERT INTO guarantees_productoptout (product_id, code, created_at)
           SELECT id, (ARRAY['fast_refund','seven_day_return','return_freight'])[1 + id %% 3], now()
           FROM shop_product WHERE random() * 100 < %s""",
        [opt_out_pct],
    )
    sql("ANALYZE")
