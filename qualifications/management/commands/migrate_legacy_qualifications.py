"""QL-6: ``python manage.py migrate_legacy_qualifications [--dry-run]``."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from qualifications.legacy import migrate_legacy


class Command(BaseCommand):
    help = (
        "Move qualification data kept in product attributes into qualification records (QL-6). "
        "Idempotent; --dry-run prints the report and writes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Compute and print the report; write nothing.")
        parser.add_argument(
            "--no-refresh", action="store_true", help="Do not recompute the sale state of newly linked products."
        )
        parser.add_argument("--examples", type=int, default=50, help="How many bad entries to list (default 50).")

    def handle(self, *args, **opts) -> None:
        report = migrate_legacy(dry_run=opts["dry_run"], refresh=not opts["no_refresh"], max_examples=opts["examples"])
        for line in report.lines():
            self.stdout.write(line)
