"""Ledger (BX-1, BX-2, SZB-13): balanced idempotent transactions, funding API, accounts, and a
property test over random sequences of funding, claims, decisions and appeals."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims import engine, ledger
from claims.models import Account, AccountKind, LedgerEntry
from shop.errors import DomainError, IdempotencyConflict, ValidationFailed
from tests.claims.engine_helpers import World, books_balance, commit_now, fund_streamer
from tests.shop.factories import ShopFactory, StreamerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _commits(monkeypatch):
    commit_now(monkeypatch)


def test_bx1_post_is_balanced_and_idempotent_on_key():
    s = StreamerFactory()
    clearing = ledger.platform_account(AccountKind.PLATFORM_CLEARING)
    cash = ledger.streamer_account(s, "cash")
    t1 = ledger.post(key="k1", entries=[(clearing, "10.00"), (cash, "-10.00")])
    t2 = ledger.post(key="k1", entries=[(clearing, 10), (cash, -10)])
    assert t1.pk == t2.pk and t2.created is False
    assert ledger.balance(cash) == Decimal("10.00")
    with pytest.raises(IdempotencyConflict):
        ledger.post(key="k1", entries=[(clearing, "11.00"), (cash, "-11.00")])
    with pytest.raises(ValidationFailed):
        ledger.post(key="k2", entries=[(clearing, "10.00"), (cash, "-9.99")])
    assert ledger.trial_balance() == 0


def test_bx1_reversal_is_a_new_transaction():
    s = StreamerFactory()
    fund_streamer(s, cash="50.00")
    original = ledger.post(
        key="move",
        entries=[(ledger.streamer_account(s, "cash"), "20.00"), (ledger.streamer_account(s, "deposit"), "-20.00")],
    )
    ledger.reverse(key="move:rev", original=original)
    assert ledger.balance(ledger.streamer_account(s, "cash")) == Decimal("50.00")
    assert LedgerEntry.objects.filter(transaction=original).count() == 2


def test_funding_api_201_then_200_same_key_then_409_other_body(platform_api):
    s = StreamerFactory()
    url = f"/api/v1/platform/streamers/{s.code}/funds"
    r = platform_api.post(url, {"account": "cash", "amount": "100.00", "key": "f-1"}, format="json")
    assert r.status_code == 201
    assert r.json() == {"key": "f-1", "account": "cash", "amount": "100.00", "balance": "100.00"}
    r = platform_api.post(url, {"account": "cash", "amount": 100, "key": "f-1"}, format="json")
    assert r.status_code == 200 and r.json()["balance"] == "100.00"
    r = platform_api.post(url, {"account": "cash", "amount": "101.00", "key": "f-1"}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "idempotency_conflict"
    r = platform_api.post(url, {"account": "deposit", "amount": "100.00", "key": "f-1"}, format="json")
    assert r.status_code == 409
    assert ledger.balance(ledger.streamer_account(s, "cash")) == Decimal("100.00")


@pytest.mark.parametrize(
    "body", [{"account": "cash", "amount": "-1", "key": "x"}, {"account": "gold", "amount": "1", "key": "x"}, {}]
)
def test_funding_bad_body_is_400(platform_api, body):
    s = StreamerFactory()
    r = platform_api.post(f"/api/v1/platform/streamers/{s.code}/funds", body, format="json")
    assert r.status_code == 400 and r.json()["code"] == "invalid"


def test_shop_funding_and_account(platform_api, client_for):
    from tests.shop.factories import make_user

    shop = ShopFactory()
    r = platform_api.post(
        f"/api/v1/platform/shops/{shop.code}/funds",
        {"account": "deposit", "amount": "5000", "key": "s-1"},
        format="json",
    )
    assert r.status_code == 201 and r.json()["balance"] == "5000.00"
    assert platform_api.post("/api/v1/platform/shops/NOPE/funds", {}, format="json").status_code == 404
    merchant = make_user("merchant", shop=shop)
    acc = client_for(merchant).get("/api/v1/shop/account").json()
    assert acc["deposit"] == "5000.00" and acc["held"] == "0.00"


def test_funding_only_for_platform(client_for):
    from tests.shop.factories import make_user

    s = StreamerFactory()
    u = make_user("streamer", streamer=s)
    r = client_for(u).post(f"/api/v1/platform/streamers/{s.code}/funds", {}, format="json")
    assert r.status_code == 403


def test_bx2_hold_can_exceed_balance_and_shows_as_held(client_for):
    w = World(paid="800.00")
    fund_streamer(w.streamer, cash="100.00")
    client_for(w.consumer_user).post("/api/v1/claims", w.body(), format="json")
    acc = client_for(w.streamer_user).get("/api/v1/streamer/account").json()
    assert acc["cash"] == "100.00" and acc["held"] == "800.00" and acc["available"] == "-700.00"


# ------------------------------------------------------------ property test (BX-1)

ops = st.lists(
    st.one_of(
        st.tuples(st.just("fund"), st.sampled_from(["cash", "deposit"]), st.integers(1, 2000)),
        st.tuples(st.just("claim"), st.integers(1, 1500), st.booleans()),
        st.tuples(st.just("decide"), st.integers(0, 5), st.sampled_from(["up", "rej", "maf"])),
        st.tuples(st.just("appeal"), st.integers(0, 5), st.booleans()),
        st.tuples(st.just("settle"), st.just(0), st.just(0)),
    ),
    min_size=1,
    max_size=14,
)


class _Rollback(Exception):
    pass


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops)
def test_bx1_property_ledger_sums_to_zero_and_balances_equal_their_entries(reviewer, sequence):
    try:
        with transaction.atomic():
            _run(reviewer, sequence)
            raise _Rollback
    except _Rollback:
        pass


def _run(reviewer, sequence):
    from claims.models import Claim

    streamer = StreamerFactory()
    claims: list[int] = []
    for n, op in enumerate(sequence, start=1):
        try:
            if op[0] == "fund":
                engine.account_fund(party=streamer, account=op[1], amount=op[2], key=f"p{n}", actor=None)
            elif op[0] == "claim":
                w = World(paid=f"{op[1]}.00", wallet=op[2])
                w.order.streamer = streamer
                w.order.save()
                c = w.file(evidence=[(i, "other") for i in _uploads(w)])
                claims.append(c.pk)
            elif op[0] == "decide" and claims:
                cid = claims[op[1] % len(claims)]
                engine.claim_decide(
                    claim_id=cid,
                    reviewer=reviewer,
                    upheld=op[2] != "rej",
                    merchant_at_fault=op[2] == "maf",
                    reason_code="consumer_cause" if op[2] == "rej" else "",
                )
            elif op[0] == "appeal" and claims:
                cid = claims[op[1] % len(claims)]
                claim = Claim.objects.get(pk=cid)
                user = _streamer_user(streamer)
                a = engine.appeal_file(claim_id=cid, streamer=streamer, actor=user, reason="r")
                engine.appeal_decide(appeal_id=a.pk, reviewer=reviewer, upheld=op[2])
                assert claim.pk
            elif op[0] == "settle":
                from claims.models import Payout

                for p in Payout.objects.filter(status="in_transit"):
                    engine.payout_settle(payout_id=p.pk, force=True)
        except DomainError:
            pass
        _check_books(streamer)


def _uploads(w):
    from tests.claims.engine_helpers import upload_for

    return upload_for(w.consumer_user, 1)


def _streamer_user(streamer):
    from django.contrib.auth import get_user_model

    from tests.shop.factories import make_user

    u = get_user_model().objects.filter(profile__streamer=streamer).first()
    return u or make_user("streamer", streamer=streamer)


def _check_books(streamer):
    assert books_balance()
    for acc in Account.objects.all():
        raw = LedgerEntry.objects.filter(account=acc).aggregate(s=Sum("amount"))["s"] or Decimal("0")
        assert ledger.balance(acc) == ledger.money(raw * acc.sign)
    # Streamer-side money never goes negative; arrears never negative.
    for which in ("cash", "deposit", "arrears"):
        assert ledger.balance(ledger.streamer_account(streamer, which)) >= 0
    _ = timedelta
