"""Reviewer decisions, payouts and appeals (SZB-10..17, BX-2, BX-6)."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from claims import engine, ledger
from claims.models import AccountKind, Claim, Hold, Payout, Violation
from claims.ready_engine import has_violation_since
from tests.claims.engine_helpers import World, books_balance, commit_now, fund_streamer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _commits(monkeypatch):
    commit_now(monkeypatch)


def file(client_for, w: World, **over) -> int:
    r = client_for(w.consumer_user).post("/api/v1/claims", w.body(**over), format="json")
    assert r.status_code == 201, r.content
    return r.json()["id"]


def decide(api, cid, **body):
    return api.post(f"/api/v1/review/claims/{cid}/decision", body, format="json")


def test_szb14_refusal_needs_a_ground_from_the_list(client_for, reviewer_api):
    w = World()
    cid = file(client_for, w)
    r = decide(reviewer_api, cid, upheld=False)
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    r = decide(reviewer_api, cid, upheld=False, reason_code="consumer_is_brand_owner")
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    r = decide(reviewer_api, cid, upheld=False, reason_code="other")
    assert r.status_code == 400  # 'other' needs the text
    assert Claim.objects.get(pk=cid).status == "under_review"


def test_szb11_rejected_claim_releases_hold_and_pays_nothing(client_for, reviewer_api):
    w = World()
    fund_streamer(w.streamer, cash="500.00")
    cid = file(client_for, w)
    r = decide(reviewer_api, cid, upheld=False, reason_code="off_platform", note="私下交易")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "rejected" and body["decision"] == "rejected"
    assert body["payout"]["status"] == "none"
    assert Hold.objects.get(claim_id=cid).status == "released"
    assert ledger.balance(ledger.streamer_account(w.streamer, "cash")) == Decimal("500.00")
    assert w.consumer_user.notifications.filter(kind="claim_decided").exists()
    assert not Violation.objects.exists()


def test_szb13_upheld_wallet_payout_debits_cash_then_deposit_then_advance(client_for, reviewer_api):
    w = World(paid="900.00")
    fund_streamer(w.streamer, cash="300.00", deposit="400.00")
    cid = file(client_for, w)
    r = decide(reviewer_api, cid, upheld=True)
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "paid"
    assert body["payout"]["status"] == "settled" and body["payout"]["destination"] == "wallet"
    assert body["payout"]["settled_at"]
    assert [t["event"] for t in body["timeline"]] == ["filed", "upheld", "paid"]
    steps = [s["step"] for s in body["payout"]["steps"]]
    assert steps == ["created", "debited_cash", "debited_deposit", "platform_advanced", "credited_wallet"]
    acc = client_for(w.streamer_user).get("/api/v1/streamer/account").json()
    assert acc == {"cash": "0.00", "deposit": "0.00", "held": "0.00", "arrears": "200.00", "available": "0.00"}
    assert client_for(w.consumer_user).get("/api/v1/consumer/wallet").json() == {"enabled": True, "balance": "900.00"}
    assert Hold.objects.get(claim_id=cid).status == "settled"
    assert books_balance()


def test_szb11_merchant_at_fault_closes_without_payout_or_violation(client_for, reviewer_api):
    w = World()
    cid = file(client_for, w)
    r = decide(reviewer_api, cid, upheld=True, merchant_at_fault=True)
    assert r.status_code == 200
    assert r.json()["status"] == "closed" and r.json()["decision"] == "merchant_at_fault"
    assert not Payout.objects.exists() and not Violation.objects.exists()
    assert Hold.objects.get(claim_id=cid).status == "released"


def test_decision_on_decided_claim_is_invalid_state(client_for, reviewer_api):
    w = World()
    cid = file(client_for, w)
    assert decide(reviewer_api, cid, upheld=True).status_code == 200
    r = decide(reviewer_api, cid, upheld=False, reason_code="other", note="x")
    assert r.status_code == 409 and r.json()["code"] == "invalid_state"


def test_only_reviewers_decide(client_for):
    w = World()
    cid = file(client_for, w)
    assert decide(client_for(w.streamer_user), cid, upheld=True).status_code == 403


def test_szb16_upheld_claim_records_violation_seen_by_eligibility(client_for, reviewer_api):
    w = World()
    cid = file(client_for, w)
    decide(reviewer_api, cid, upheld=True)
    assert Violation.objects.filter(claim_id=cid, streamer=w.streamer).exists()
    assert has_violation_since(w.streamer, timezone.now() - timedelta(days=90))
    try:
        from guarantees import shizaibao
    except ImportError:
        return
    assert has_violation_since in shizaibao.recent_violation_checks


def test_szb13_original_path_settles_after_one_working_day_counting_holidays(client_for, reviewer_api):
    w = World(wallet=False)
    shanghai = dt.timezone(dt.timedelta(hours=8))
    with time_machine.travel(dt.datetime(2025, 9, 30, 10, 0, tzinfo=shanghai), tick=False):
        w.order.shipped_at = timezone.now() - timedelta(days=1)
        w.order.save()
        cid = file(client_for, w)
        r = decide(reviewer_api, cid, upheld=True)
        assert r.json()["status"] == "upheld"
        assert r.json()["payout"]["status"] == "in_transit"
        assert r.json()["payout"]["destination"] == "original_path"
    # National Day 2025: 1–8 October are holidays, so the next working day is 9 October.
    with time_machine.travel(dt.datetime(2025, 10, 9, 9, 59, tzinfo=shanghai), tick=False):
        assert engine.payouts_settle_due() == 0
    with time_machine.travel(dt.datetime(2025, 10, 9, 10, 0, tzinfo=shanghai), tick=False):
        assert engine.payouts_settle_due() == 1
        assert engine.payouts_settle_due() == 0
    d = client_for(w.consumer_user).get(f"/api/v1/claims/{cid}").json()
    assert d["status"] == "paid" and d["payout"]["status"] == "settled"
    transit = ledger.platform_account(AccountKind.PAYOUTS_IN_TRANSIT)
    assert ledger.balance(transit) == Decimal("0.00")
    assert books_balance()


def test_bx6_gateway_failure_blocks_payout_until_a_reviewer_acts(client_for, reviewer_api, reviewer, monkeypatch):
    w = World(wallet=False)
    cid = file(client_for, w)

    def refuse(payout):
        raise engine.PaymentPathError("card closed")

    monkeypatch.setattr(engine.payout, "gateway_submit", [refuse], raising=False)
    from claims.engine import payout as payout_module

    monkeypatch.setattr(payout_module, "gateway_submit", [refuse])
    decide(reviewer_api, cid, upheld=True)
    p = Payout.objects.get(claim_id=cid)
    assert p.status == "blocked" and "card closed" in p.last_error
    assert engine.payouts_settle_due() == 0  # never silently retried
    monkeypatch.setattr(payout_module, "gateway_submit", [lambda payout: None])
    engine.payout_retry(payout_id=p.pk, actor=reviewer)
    assert Payout.objects.get(pk=p.pk).status == "in_transit"
    assert books_balance()


def test_bx6_blocked_payout_redirected_to_wallet(client_for, reviewer_api, reviewer, monkeypatch):
    from claims.engine import payout as payout_module

    w = World(wallet=False)
    cid = file(client_for, w)
    monkeypatch.setattr(
        payout_module, "gateway_submit", [lambda p: (_ for _ in ()).throw(engine.PaymentPathError("x"))]
    )
    decide(reviewer_api, cid, upheld=True)
    w.consumer.wallet_enabled = True
    w.consumer.save()
    p = engine.payout_redirect_to_wallet(payout_id=Payout.objects.get(claim_id=cid).pk, actor=reviewer)
    assert p.status == "settled"
    assert ledger.balance(ledger.consumer_wallet(w.consumer)) == Decimal("100.00")
    assert Claim.objects.get(pk=cid).status == "paid"
    assert books_balance()


def test_payout_execute_twice_moves_money_once(client_for, reviewer_api):
    w = World()
    fund_streamer(w.streamer, cash="1000.00")
    cid = file(client_for, w)
    decide(reviewer_api, cid, upheld=True)
    p = Payout.objects.get(claim_id=cid)
    engine.payout_execute(payout_id=p.pk)
    engine.payout_execute(payout_id=p.pk)
    assert ledger.balance(ledger.consumer_wallet(w.consumer)) == Decimal("100.00")
    assert ledger.balance(ledger.streamer_account(w.streamer, "cash")) == Decimal("900.00")


# ---------------------------------------------------------------- appeals (SZB-17)


def appeal(client_for, w, cid, reason="宣传属实，有检测报告"):
    return client_for(w.streamer_user).post(f"/api/v1/claims/{cid}/appeal", {"reason": reason}, format="json")


def test_szb17_appeal_within_7_days_then_second_refused(client_for, reviewer_api):
    w = World()
    cid = file(client_for, w)
    decide(reviewer_api, cid, upheld=True)
    r = appeal(client_for, w, cid)
    assert r.status_code == 201 and r.json()["status"] == "pending"
    r2 = appeal(client_for, w, cid)
    assert r2.status_code == 409 and r2.json()["code"] == "appeal_exists"
    d = client_for(w.consumer_user).get(f"/api/v1/claims/{cid}").json()
    assert d["appeal"] == {"id": r.json()["id"], "status": "pending"}


def test_szb17_appeal_accepted_at_exactly_7_days_refused_one_second_later(client_for, reviewer_api):
    w = World()
    cid = file(client_for, w)
    decide(reviewer_api, cid, upheld=True)
    decided = Claim.objects.get(pk=cid).decided_at
    with time_machine.travel(decided + timedelta(days=7, seconds=1), tick=False):
        r = appeal(client_for, w, cid)
        assert r.status_code == 400 and r.json()["code"] == "appeal_window_closed"
    with time_machine.travel(decided + timedelta(days=7), tick=False):
        assert appeal(client_for, w, cid).status_code == 201


def test_szb17_only_the_streamer_of_the_claim_appeals(client_for, reviewer_api):
    w, other = World(), World()
    cid = file(client_for, w)
    decide(reviewer_api, cid, upheld=True)
    assert appeal(client_for, other, cid).status_code == 404


def test_szb17_rejected_claim_cannot_be_appealed(client_for, reviewer_api):
    w = World()
    cid = file(client_for, w)
    decide(reviewer_api, cid, upheld=False, reason_code="consumer_cause")
    assert appeal(client_for, w, cid).status_code == 409


def test_szb17_upheld_appeal_cancels_arrears_first_refunds_sources_platform_bears_it(client_for, reviewer_api):
    w = World(paid="900.00")
    fund_streamer(w.streamer, cash="300.00", deposit="400.00")
    cid = file(client_for, w)
    decide(reviewer_api, cid, upheld=True)
    aid = appeal(client_for, w, cid).json()["id"]
    r = reviewer_api.post(f"/api/v1/review/appeals/{aid}/decision", {"upheld": True, "note": "检测合格"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "upheld"
    acc = client_for(w.streamer_user).get("/api/v1/streamer/account").json()
    assert acc["cash"] == "300.00" and acc["deposit"] == "400.00" and acc["arrears"] == "0.00"
    # Not clawed back from the consumer; the platform bears it.
    assert ledger.balance(ledger.consumer_wallet(w.consumer)) == Decimal("900.00")
    assert ledger.balance(ledger.platform_account(AccountKind.PLATFORM_ADVANCE)) == Decimal("900.00")
    d = client_for(w.consumer_user).get(f"/api/v1/claims/{cid}").json()
    assert d["status"] == "reversed"
    assert [t["event"] for t in d["timeline"]] == ["filed", "upheld", "paid", "appealed", "appeal_upheld", "reversed"]
    assert Violation.objects.get(claim_id=cid).revoked_at is not None
    assert not has_violation_since(w.streamer, timezone.now() - timedelta(days=90))
    assert Hold.objects.get(claim_id=cid).status == "reversed"
    assert w.streamer_user.notifications.filter(kind="appeal_decided").exists()
    assert books_balance()
    r = reviewer_api.post(f"/api/v1/review/appeals/{aid}/decision", {"upheld": False}, format="json")
    assert r.status_code == 409


def test_szb17_rejected_appeal_keeps_everything(client_for, reviewer_api):
    w = World()
    fund_streamer(w.streamer, cash="300.00")
    cid = file(client_for, w)
    decide(reviewer_api, cid, upheld=True)
    aid = appeal(client_for, w, cid).json()["id"]
    r = reviewer_api.post(f"/api/v1/review/appeals/{aid}/decision", {"upheld": False}, format="json")
    assert r.json()["status"] == "rejected"
    assert Claim.objects.get(pk=cid).status == "paid"
    assert Violation.objects.get(claim_id=cid).revoked_at is None
    assert ledger.balance(ledger.streamer_account(w.streamer, "cash")) == Decimal("200.00")


def test_szb17_appeal_upheld_while_original_path_in_transit(client_for, reviewer_api):
    w = World(wallet=False)
    fund_streamer(w.streamer, cash="50.00")
    cid = file(client_for, w)
    decide(reviewer_api, cid, upheld=True)
    aid = appeal(client_for, w, cid).json()["id"]
    reviewer_api.post(f"/api/v1/review/appeals/{aid}/decision", {"upheld": True}, format="json")
    assert Claim.objects.get(pk=cid).status == "reversed"
    p = Payout.objects.get(claim_id=cid)
    engine.payout_settle(payout_id=p.pk, force=True)
    claim = Claim.objects.get(pk=cid)
    assert claim.status == "reversed"
    assert claim.events.last().event == "paid"
    assert ledger.balance(ledger.streamer_account(w.streamer, "cash")) == Decimal("50.00")
    assert ledger.balance(ledger.streamer_account(w.streamer, "arrears")) == Decimal("0.00")
    assert books_balance()
