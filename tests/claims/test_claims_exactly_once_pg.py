"""Exactly once, on PostgreSQL with real threads (select_for_update does nothing on SQLite):
50 concurrent filings for one order, a payout run twice at once, a failure injected mid-payout,
two reviewers deciding at once, and the append-only ledger trigger (SZB-7, SZB-13, BX-1)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, connections, transaction
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims import engine, ledger
from claims.models import Claim, LedgerEntry, LedgerTransaction, Payout
from tests.claims.engine_helpers import World, books_balance, fund_streamer
from tests.conftest import require_postgres
from tests.shop.factories import make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def api(user) -> APIClient:
    c = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    c.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return c


def run_threads(n: int, fn) -> list:
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = fn(i)
        except Exception as exc:  # noqa: BLE001 — collected for the assertion
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_szb7_fifty_concurrent_filings_one_201_rest_409():
    require_postgres()
    w = World()
    body = w.body()
    clients = [api(w.consumer_user) for _ in range(50)]
    statuses = run_threads(50, lambda i: clients[i].post("/api/v1/claims", body, format="json").status_code)
    assert sorted(statuses) == [201] + [409] * 49, statuses
    assert Claim.objects.filter(order=w.order).count() == 1


def test_szb13_payout_task_run_twice_at_once_pays_once():
    require_postgres()
    w = World(paid="300.00")
    fund_streamer(w.streamer, cash="1000.00")
    reviewer = make_user("reviewer")
    claim = w.file()
    # Decide without letting the outbox run the payout, then run the task twice concurrently.
    from claims.engine import payout as payout_module

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(payout_module, "enqueue", lambda *a, **k: None)
        engine.claim_decide(claim_id=claim.pk, reviewer=reviewer, upheld=True)
    payout = Payout.objects.get(claim=claim)
    from claims.tasks_engine import payout_execute

    run_threads(2, lambda i: payout_execute.apply(kwargs={"payout_id": payout.pk}).get())
    payout_execute.apply(kwargs={"payout_id": payout.pk})
    assert LedgerTransaction.objects.filter(key=f"claim:{claim.pk}:payout").count() == 1
    assert ledger.balance(ledger.consumer_wallet(w.consumer)) == Decimal("300.00")
    assert ledger.balance(ledger.streamer_account(w.streamer, "cash")) == Decimal("700.00")
    assert Claim.objects.get(pk=claim.pk).status == "paid"
    assert books_balance()


def test_szb13_failure_mid_payout_then_retry_books_balance():
    require_postgres()
    w = World(paid="250.00")
    fund_streamer(w.streamer, cash="100.00", deposit="100.00")
    reviewer = make_user("reviewer")
    claim = w.file()
    from claims.engine import payout as payout_module

    calls = {"n": 0}
    real_settle = ledger.settle

    def crash_after_money_moved(*, key):
        calls["n"] += 1
        raise RuntimeError("worker died between steps")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(payout_module.ledger, "settle", crash_after_money_moved)
        # The payout task runs after the decision commits (outbox); its crash is logged, the
        # decision stands, and the payout's own transaction rolls back entirely.
        engine.claim_decide(claim_id=claim.pk, reviewer=reviewer, upheld=True)
    payout = Payout.objects.get(claim=claim)
    assert calls["n"] == 1 and payout.status == "pending"
    assert not LedgerTransaction.objects.filter(key=f"claim:{claim.pk}:payout").exists()
    assert books_balance()
    assert ledger.settle is real_settle
    engine.payout_execute(payout_id=payout.pk)
    engine.payout_execute(payout_id=payout.pk)
    assert ledger.balance(ledger.consumer_wallet(w.consumer)) == Decimal("250.00")
    assert ledger.balance(ledger.streamer_account(w.streamer, "arrears")) == Decimal("50.00")
    assert books_balance()


def test_two_reviewers_decide_at_once_one_transition_other_409():
    require_postgres()
    w = World()
    claim = w.file()
    rev_api = make_user("reviewer", username="rev-api")
    rev_admin = make_user("reviewer", username="rev-admin")
    rev_admin.is_superuser = True
    rev_admin.save()
    from django.test import Client

    admin_client = Client()
    admin_client.force_login(rev_admin)
    api_client = api(rev_api)

    def go(i: int):
        if i == 0:
            r = api_client.post(f"/api/v1/review/claims/{claim.pk}/decision", {"upheld": True}, format="json")
            return ("api", r.status_code)
        r = admin_client.post(
            "/admin/claims/claim/",
            {"action": "reject_claims", "_selected_action": [claim.pk], "reason_code": "consumer_cause", "note": ""},
        )
        from claims.models import ClaimEvent

        decided_by_admin = ClaimEvent.objects.filter(claim=claim, actor=rev_admin).exists()
        return ("admin", r.status_code, decided_by_admin)

    results = run_threads(2, go)
    api_res = next(r for r in results if r[0] == "api")
    admin_res = next(r for r in results if r[0] == "admin")
    claim.refresh_from_db()
    decision_events = claim.events.exclude(event__in=["filed", "paid"]).count()
    assert decision_events == 1
    if admin_res[2]:
        assert api_res[1] == 409 and claim.status == "rejected"
    else:
        assert api_res[1] == 200 and claim.status in ("upheld", "paid")
    assert books_balance()


def test_bx1_ledger_entries_refuse_update_and_delete():
    require_postgres()
    w = World()
    fund_streamer(w.streamer, cash="10.00")
    entry = LedgerEntry.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("99.00"))
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerTransaction.objects.filter(pk=entry.transaction_id).update(memo="x")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        # An unbalanced transaction is refused at commit by the deferred constraint trigger.
        txn = LedgerTransaction.objects.create(key="unbalanced", fingerprint="x")
        LedgerEntry.objects.create(transaction=txn, account=entry.account, amount=Decimal("1.00"))
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert LedgerEntry.objects.get(pk=entry.pk).amount == entry.amount
