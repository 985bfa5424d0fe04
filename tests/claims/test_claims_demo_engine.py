"""claims/demo_engine.seed is idempotent and funds through the ledger."""

from __future__ import annotations

import io

import pytest

from claims import demo_engine, ledger
from claims.models import LedgerTransaction
from shop import demo
from shop.models import Order, Streamer
from shop.sync import platform_sync
from tests.claims.engine_helpers import books_balance

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent():
    platform_sync(document=demo.document(), actor=None)
    Order.objects.filter(code="O-1002").update(shizaibao_covered=True)
    from django.utils import timezone

    Order.objects.filter(code="O-1002").update(shipped_at=timezone.now())
    out = io.StringIO()
    demo_engine.seed(out)
    n = LedgerTransaction.objects.count()
    demo_engine.seed(out)
    assert LedgerTransaction.objects.count() == n
    star = Streamer.objects.get(code="ST-STAR")
    assert ledger.balance(ledger.streamer_account(star, "deposit")) == 2000
    assert Order.objects.get(code="O-1002").claims.count() == 1
    assert books_balance()
