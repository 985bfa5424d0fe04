"""Helpers for the claim-engine tests: covered orders, real image uploads, funded streamers."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from claims import ledger
from claims.models import AccountKind
from shop.uploads import upload_create
from tests.shop.factories import (
    ConsumerFactory,
    LiveSessionFactory,
    OrderFactory,
    ShopFactory,
    StreamerFactory,
    make_user,
)


def png_bytes(color: tuple[int, int, int] = (200, 30, 30), size: tuple[int, int] = (16, 16)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def upload_for(user, n: int = 1) -> list[int]:
    ids = []
    for i in range(n):
        f = SimpleUploadedFile(f"e{i}.png", png_bytes((i * 20 % 255, 10, 10)), content_type="image/png")
        ids.append(upload_create(owner=user, file=f).pk)
    return ids


def covered_order(*, consumer=None, streamer=None, paid: str = "100.00", shipped_ago=timedelta(days=1), **kw):
    streamer = streamer or StreamerFactory()
    consumer = consumer or ConsumerFactory()
    session = LiveSessionFactory(streamer=streamer)
    now = timezone.now()
    return OrderFactory(
        consumer=consumer,
        live_session=session,
        streamer=streamer,
        paid_amount=Decimal(paid),
        shizaibao_covered=True,
        placed_at=now - (shipped_ago or timedelta(0)) - timedelta(hours=1),
        shipped_at=(now - shipped_ago) if shipped_ago is not None else None,
        **kw,
    )


class World:
    """A consumer user with a covered order of a streamer (with a user) and a merchant."""

    def __init__(self, *, paid: str = "100.00", wallet: bool = True, shipped_ago=timedelta(days=1)):
        self.streamer = StreamerFactory()
        self.consumer = ConsumerFactory(wallet_enabled=wallet)
        self.shop = ShopFactory()
        self.consumer_user = make_user("consumer", consumer=self.consumer)
        self.streamer_user = make_user("streamer", streamer=self.streamer)
        self.merchant_user = make_user("merchant", shop=self.shop)
        from tests.shop.factories import ProductFactory

        self.order = covered_order(
            consumer=self.consumer,
            streamer=self.streamer,
            paid=paid,
            shipped_ago=shipped_ago,
            product=ProductFactory(shop=self.shop),
        )

    def file(self, **over):
        """File this order as a 实在宝 claim through the engine (type brand, one image)."""
        from claims import engine

        args = {
            "consumer": self.consumer,
            "actor": self.consumer_user,
            "order_code": self.order.code,
            "kind": "shizaibao",
            "type": "brand",
            "reason": "r",
        }
        args.update(over)
        if "evidence" not in args:
            args["evidence"] = [(i, "other") for i in upload_for(self.consumer_user)]
        return engine.claim_file(**args)

    def body(self, **over) -> dict:
        body = {
            "order": self.order.code,
            "kind": "shizaibao",
            "type": "material",
            "reason": "面料不是宣传的真丝",
            "evidence": upload_for(self.consumer_user, 1),
        }
        body.update(over)
        return body


def fund_streamer(streamer, *, cash: str = "0", deposit: str = "0") -> None:
    clearing = ledger.platform_account(AccountKind.PLATFORM_CLEARING)
    for which, amount in (("cash", cash), ("deposit", deposit)):
        if Decimal(amount) > 0:
            acc = ledger.streamer_account(streamer, which)
            ledger.post(
                key=f"test-fund:{streamer.code}:{which}:{amount}", entries=[(clearing, amount), (acc, "-" + amount)]
            )


def books_balance() -> bool:
    from django.db.models import Sum

    from claims.models import LedgerEntry, LedgerTransaction

    if ledger.trial_balance() != 0:
        return False
    per_txn = LedgerEntry.objects.values("transaction").annotate(s=Sum("amount")).exclude(s=0)
    return not per_txn.exists() and LedgerTransaction.objects.filter(entries__isnull=True).count() == 0


def commit_now(monkeypatch) -> None:
    """Inside a test transaction nothing commits: run on_commit work (the outbox relay, i.e. the
    eager Celery task) at once, as it would run right after the service's commit."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: fn())
