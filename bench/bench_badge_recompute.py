"""Benchmark (issue 3): full 信任购 label recompute (TP-3) of N products over M shops.

Compares, on the same data in the same run:
  * ours:  guarantees.trust.recompute_labels(scope=all) — the production code path,
  * hand:  one hand-written PostgreSQL ``UPDATE … FROM`` computing the same label and missing list,
  * save:  a per-object ``save()`` loop (measured on a sample, extrapolated to N).
Every row is made stale before each timed run, so each run rewrites every row (worst case).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_trust python bench/bench_badge_recompute.py \
        [--products 1000000] [--shops 10000] [--save-sample 3000]
"""

from __future__ import annotations

import argparse

from bench_trust_common import SERVICES, make_catalogue, rss_mb, setup_django, sql, timed

HAND_SQL = """
WITH ss AS (
    SELECT shop_id, array_agg(code) FILTER (WHERE enabled) AS on_codes FROM guarantees_shopservice GROUP BY shop_id
), oo AS (
    SELECT product_id, array_agg(code) AS off_codes FROM guarantees_productoptout GROUP BY product_id
), req AS (
    SELECT id, ARRAY['seven_day_return', 'fast_refund', 'fake_pay_nine']
               || CASE WHEN requires_return_freight THEN ARRAY['return_freight'] ELSE ARRAY[]::text[] END
               || ARRAY(SELECT jsonb_array_elements_text(industry_services)) AS codes
    FROM shop_category
), calc AS (
    SELECT p.id, s.kind, p.source,
           ARRAY(SELECT u.code FROM unnest(%(catalogue)s::text[]) WITH ORDINALITY u(code, ord)
                 WHERE u.code = ANY(req.codes)
                   AND NOT (u.code = ANY(COALESCE(ss.on_codes, '{}')) AND NOT u.code = ANY(COALESCE(oo.off_codes, '{}')))
                 ORDER BY u.ord) AS missing
    FROM shop_product p
    JOIN shop_shop s ON s.id = p.shop_id
    JOIN req ON req.id = p.category_id
    LEFT JOIN ss ON ss.shop_id = p.shop_id
    LEFT JOIN oo ON oo.product_id = p.id
)
UPDATE shop_product AS t
SET trust_label = (calc.kind = 'regular' AND calc.source = 'own' AND cardinality(calc.missing) = 0),
    trust_missing = to_jsonb(calc.missing)
FROM calc
WHERE t.id = calc.id
  AND (t.trust_label IS DISTINCT FROM (calc.kind = 'regular' AND calc.source = 'own' AND cardinality(calc.missing) = 0)
       OR t.trust_missing IS DISTINCT FROM to_jsonb(calc.missing))
"""


def make_stale() -> None:
    sql("""UPDATE shop_product SET trust_missing = '["stale"]'::jsonb""")
    sql("VACUUM ANALYZE shop_product")


def save_loop(sample: int) -> float:
    """Rows per second of a per-object loop: read the facts, compute in Python, save()."""
    from guarantees.models import ProductOptOut, ShopService
    from guarantees.selectors import required_services
    from shop.models import Product

    products = list(Product.objects.select_related("shop", "category").order_by("id")[:sample])

    def run() -> None:
        for p in products:
            enabled = set(ShopService.objects.filter(shop_id=p.shop_id, enabled=True).values_list("code", flat=True))
            opted = set(ProductOptOut.objects.filter(product_id=p.id).values_list("code", flat=True))
            missing = [c for c in required_services(p.category) if not (c in enabled and c not in opted)]
            p.trust_missing = missing
            p.trust_label = p.shop.kind == "regular" and p.source == "own" and not missing
            p.save()

    seconds, _ = timed(run)
    return sample / seconds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--products", type=int, default=1_000_000)
    ap.add_argument("--shops", type=int, default=10_000)
    ap.add_argument("--save-sample", type=int, default=3_000)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    setup_django()
    from django.db import transaction

    from guarantees.trust import Scope, recompute_labels

    t_gen, _ = timed(lambda: make_catalogue(shops=args.shops, products=args.products))
    print(f"data: {args.products:,} products, {args.shops:,} shops, generated in {t_gen:.1f}s")

    ours_times, hand_times = [], []
    rss_before = rss_mb()
    for _round in range(args.rounds):
        make_stale()
        with transaction.atomic():
            t, res = timed(lambda: recompute_labels(scope=Scope.of()))
        ours_times.append(t)
        print(f"  ours: {t:.2f}s, rows written {res.changed:,}")
        make_stale()
        with transaction.atomic():
            t, n = timed(lambda: sql(HAND_SQL % {"catalogue": "%(catalogue)s"}, {"catalogue": SERVICES}))
        hand_times.append(t)
        print(f"  hand: {t:.2f}s, rows written {n:,}")
    with transaction.atomic():
        check = recompute_labels(scope=Scope.of()).changed
    rss_after = rss_mb()
    labelled = sql("SELECT 1 FROM shop_product WHERE trust_label")
    print(f"agreement: after the hand-written UPDATE, ours changes {check} rows (0 = identical results)")
    print(f"labelled products: {labelled:,} of {args.products:,}")

    rate = save_loop(args.save_sample)
    save_full = args.products / rate
    ours, hand = min(ours_times), min(hand_times)
    print(f"save() loop: {rate:,.0f} rows/s on {args.save_sample:,} rows → {save_full:,.0f}s extrapolated")
    print()
    print(f"ours {ours:.2f}s | hand-written {hand:.2f}s | ratio {ours / hand:.2f}× (target ≤ 1.5×)")
    print(f"save() loop / ours = {save_full / ours:,.0f}× (target ≥ 50×)")
    print(f"peak RSS {rss_before:.0f} MB → {rss_after:.0f} MB during the recomputes (flat = no table in Python)")


if __name__ == "__main__":
    main()
