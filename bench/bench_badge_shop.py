"""Benchmark (issue 3): TP-6 shop badges over N shops and M orders, against the single
hand-written aggregate query (same data, same run).

  * ours: guarantees.trust.recompute_shop_badges() — aggregate + UPDATE of the changed shops,
  * hand: one hand-written aggregate SELECT computing both ratios per shop (no write).
Each timed run first clears the stored badges so ours rewrites every shop (worst case).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_trust python bench/bench_badge_shop.py \
        [--shops 50000] [--orders 5000000]
"""

from __future__ import annotations

import argparse

from bench_trust_common import reset_trust_tables, setup_django, sql, timed

HAND_SQL = """
SELECT count(*), sum(COALESCE(q.r14, 0) + COALESCE(q.rh, 0)) FROM (  -- use the ratios so no join is pruned
    SELECT s.id,
           w.t::numeric / NULLIF(w.n, 0) AS r14,
           h.t::numeric / NULLIF(h.n, 0) AS rh
    FROM shop_shop s
    LEFT JOIN (SELECT shop_id, count(*) AS n, count(*) FILTER (WHERE trust_label) AS t
               FROM shop_order WHERE placed_at >= now() - interval '14 days' AND placed_at <= now()
               GROUP BY shop_id) w ON w.shop_id = s.id
    LEFT JOIN (SELECT shop_id, count(*) AS n, count(*) FILTER (WHERE l) AS t
               FROM (SELECT shop_id, product_id, bool_or(trust_label) AS l FROM shop_order
                     WHERE placed_at <= now() GROUP BY shop_id, product_id) x
               GROUP BY shop_id) h ON h.shop_id = s.id
) q
"""


def make_orders(shops: int, orders: int, products_per_shop: int = 10) -> None:
    reset_trust_tables()
    sql(
        """INSERT INTO shop_shop (code, name, kind, experience_score, level, main_industry, regions,
                                  trust_badge_shown, created_at, updated_at)
           SELECT 'B' || g, 'shop ' || g, 'regular', 4.5, 3, '', '["CN"]'::jsonb, false, now(), now()
           FROM generate_series(1, %s) g""",
        [shops],
    )
    sql("""INSERT INTO shop_category (code, name, szb_excluded, requires_return_freight, industry_services,
                                      damage_window_hours, required_qualification_types, updated_at)
           VALUES ('bc1', 'cat', false, false, '[]'::jsonb, 72, '[]'::jsonb, now())""")
    sql("""INSERT INTO shop_consumer (code, wallet_enabled, risk, created_at, updated_at)
           SELECT 'BC' || g, true, false, now(), now() FROM generate_series(1, 1000) g""")
    sql(
        """INSERT INTO shop_product (code, shop_id, title, category_id, price, source, flash_sale, attributes,
                                     trust_label, trust_missing, on_sale, blocked_reasons, created_at, updated_at)
           SELECT 'BP' || s.id || '-' || k, s.id, 'p', (SELECT id FROM shop_category WHERE code = 'bc1'), 1,
                  'own', false, '{}'::jsonb, k %% 3 <> 0, '[]'::jsonb, true, '[]'::jsonb, now(), now()
           FROM shop_shop s CROSS JOIN generate_series(0, %s - 1) k WHERE s.code LIKE 'B%%'""",
        [products_per_shop],
    )
    # Orders: spread over 60 days; each on a product of its shop; label as the product had it.
    sql("ALTER TABLE shop_order DISABLE TRIGGER ALL")
    sql(
        """INSERT INTO shop_order (code, consumer_id, shop_id, product_id, paid_amount, postage, region, placed_at,
                                   shizaibao_covered, trust_label, created_at)
           SELECT 'BO' || g, c.min_id + g %% 1000, s.id, p.id, 10, 0, 'CN',
                  now() - (g %% 86400 * 60) * interval '1 second', false,
                  (g %% 10) < 7, now()
           FROM generate_series(1, %s) g
           JOIN (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM shop_shop WHERE code LIKE 'B%%') s
             ON s.rn = 1 + g %% %s
           JOIN LATERAL (SELECT id FROM shop_product WHERE shop_id = s.id ORDER BY id
                         OFFSET (g / %s) %% %s LIMIT 1) p ON true
           CROSS JOIN (SELECT min(id) AS min_id FROM shop_consumer) c""",
        [orders, shops, shops, products_per_shop],
    )
    sql("ALTER TABLE shop_order ENABLE TRIGGER ALL")
    sql("ANALYZE")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shops", type=int, default=50_000)
    ap.add_argument("--orders", type=int, default=5_000_000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--reuse", action="store_true", help="keep the data of the previous run")
    args = ap.parse_args()
    setup_django()
    from django.db import transaction

    from guarantees.trust import recompute_shop_badges

    if not args.reuse:
        t_gen, _ = timed(lambda: make_orders(args.shops, args.orders))
        print(f"data: {args.shops:,} shops, {args.orders:,} orders, generated in {t_gen:.1f}s")
    ours_t, hand_t = [], []
    for _ in range(args.rounds):
        sql(
            "UPDATE shop_shop SET trust_badge_shown = false, trust_order_ratio_14d = NULL, "
            "labelled_product_ratio = NULL, badge_computed_at = NULL"
        )
        with transaction.atomic():
            t, n = timed(recompute_shop_badges)
        ours_t.append(t)
        print(f"  ours: {t:.2f}s, shops written {n:,}")
        t, _ = timed(lambda: sql(HAND_SQL))
        hand_t.append(t)
        print(f"  hand-written aggregate: {t:.2f}s")
    shown = sql("SELECT 1 FROM shop_shop WHERE trust_badge_shown")
    ours, hand = min(ours_t), min(hand_t)
    print(f"\nshops with the badge: {shown:,}")
    print(f"ours {ours:.2f}s | hand-written aggregate {hand:.2f}s | ratio {ours / hand:.2f}× (target ≤ 2×)")


if __name__ == "__main__":
    main()
