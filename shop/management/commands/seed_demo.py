"""Load demo data for every role. Idempotent: a second run changes nothing."""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

from shop import demo
from shop.models import Order
from shop.services import order_event_record
from shop.sync import platform_sync

# Later apps add their demo data in `<app>/demo.py: seed(stdout) -> None`, in this order.
APP_DEMOS = ("guarantees", "qualifications", "claims", "campaigns")


class Command(BaseCommand):
    help = "Load demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--quiet", action="store_true", help="Do not print the logins.")

    def handle(self, *args, **opts) -> None:
        with transaction.atomic():
            result = platform_sync(document=demo.document())
            for code, events in demo.DEMO_EVENTS:
                order = Order.objects.get(code=code)
                for kind, offset in events:
                    order_event_record(code=code, type=kind, at=order.placed_at + offset)
            for name in APP_DEMOS:
                try:
                    module = importlib.import_module(f"{name}.demo")
                except ModuleNotFoundError:
                    continue
                module.seed(self.stdout)
        self.stdout.write(f"demo facts: changed {result['changed']}")
        if not opts["quiet"]:
            self.stdout.write(f"\nDemo logins (password for all: {demo.DEMO_PASSWORD})")
            for username, role, _links, what in demo.DEMO_USERS:
                self.stdout.write(f"  {username:<16} {role:<9} {what}")
