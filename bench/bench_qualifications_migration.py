"""QL-6 benchmark: migrate qualification data of 200,000 legacy products.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_qual \
        python bench/bench_qualifications_migration.py [--products 200000] [--shops 2000]

Creates (and migrates) its own database, bulk-generates the legacy products with one SQL
statement (generate_series), then runs the migration and prints rows/second and peak
memory (RSS growth of this process, and tracemalloc peak of Python allocations when
--tracemalloc is given). A second run measures the idempotent re-run.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

from common import ensure_database

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_qual")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=200_000)
    parser.add_argument("--shops", type=int, default=2_000)
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--no-refresh", action="store_true", help="skip the sale-state recompute")
    args = parser.parse_args()

    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    # Only the apps this benchmark touches (and their dependencies).
    call_command("migrate", "qualifications", verbosity=0)
    from qualifications.legacy import migrate_legacy
    from qualifications.models import QualificationClass, QualificationField, QualificationType

    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE qualifications_productqualification, qualifications_qualificationevent, "
            "qualifications_qualificationrevision_uploads, qualifications_qualificationrevision, "
            "qualifications_qualification, shop_product, shop_shop CASCADE"
        )
    klass, _ = QualificationClass.objects.get_or_create(code="食品资质", defaults={"name": "食品资质"})
    qtype, _ = QualificationType.objects.get_or_create(
        code="food_license", defaults={"name": "食品经营许可证", "klass": klass}
    )
    if not qtype.fields.exists():
        QualificationField.objects.create(type=qtype, name="number", kind="text", is_number=True, position=0)
        QualificationField.objects.create(type=qtype, name="valid_until", kind="date", validity_end=True, position=1)
    from shop.models import Category

    cat, _ = Category.objects.get_or_create(
        code="bench-food", defaults={"name": "bench", "required_qualification_types": ["food_license"]}
    )
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            """INSERT INTO shop_shop (code, name, kind, experience_score, level, main_industry, regions,
                   trust_badge_shown, created_at, updated_at)
               SELECT 'BS' || g, 'bench shop ' || g, 'regular', 4.8, 3, '', '["CN"]', false, now(), now()
               FROM generate_series(1, %s) g""",
            [args.shops],
        )
        # Each shop's products share ~20 certificates (duplicates to merge); 2 % bad rows,
        # 10 % not approved, 5 % already expired.
        cur.execute(
            """INSERT INTO shop_product (code, shop_id, title, category_id, price, source, flash_sale, attributes,
                   trust_label, trust_missing, on_sale, blocked_reasons, created_at, updated_at)
               SELECT 'BP' || g, s.id, 'bench product ' || g, %s, 10, 'own', false,
                   CASE WHEN g %% 50 = 0 THEN '{"qualification": {"type": "martian"}}'::jsonb
                        ELSE jsonb_build_object('qualification', jsonb_build_object(
                            'type', 'food_license',
                            'number', 'JY' || s.id || '-' || (g %% 20),
                            'valid_until', CASE WHEN g %% 20 = 7 THEN '2020-01-01' ELSE '2035-12-31' END,
                            'approved', (g %% 10) <> 3))
                   END,
                   false, '[]', true, '[]', now(), now()
               FROM generate_series(1, %s) g
               JOIN shop_shop s ON s.code = 'BS' || (1 + g %% %s)""",
            [cat.pk, args.products, args.shops],
        )
    print(f"generated {args.products} products in {time.perf_counter() - t0:.1f}s")

    if args.tracemalloc:
        tracemalloc.start()
    rss0 = rss_mb()
    t0 = time.perf_counter()
    report = migrate_legacy(refresh=not args.no_refresh)
    elapsed = time.perf_counter() - t0
    peak_py = tracemalloc.get_traced_memory()[1] / 2**20 if args.tracemalloc else None
    print("\n".join(report.lines()))
    print(
        f"\nfirst run: {elapsed:.1f}s, {args.products / elapsed:,.0f} products/s; "
        f"peak RSS {rss_mb():.0f} MB (+{rss_mb() - rss0:.0f} MB during the run)"
        + (f", tracemalloc peak {peak_py:.0f} MB" if peak_py is not None else "")
    )
    t0 = time.perf_counter()
    again = migrate_legacy(refresh=not args.no_refresh)
    elapsed2 = time.perf_counter() - t0
    print(
        f"second run (idempotent): {elapsed2:.1f}s, created {sum(again.created.values())}, "
        f"links {again.links_created}; {args.products / elapsed2:,.0f} products/s"
    )


if __name__ == "__main__":
    main()
