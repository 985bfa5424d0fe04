"""RF-1…RF-4: identity sync, linked groups, each signal, scoring, trail, measures, reports."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.abuse_groups import propagate_group_labels
from claims.abuse_scoring import score_all, trail_for_consumer, trail_for_group
from claims.models import (
    ConsumerIdentity,
    ConsumerRisk,
    LinkedGroup,
    ReturnFreightStanding,
    ReturnFreightWaybill,
    ShopBuyerBlock,
)
from shop.models import AuditLog, RuleSetting
from shop.rules import invalidate
from tests.claims.test_global_support import at, file, global_shop, order_for, upload
from tests.shop.factories import ConsumerFactory, make_user

pytestmark = pytest.mark.django_db

NOW = at("2026-08-01T10:00:00+08:00")


@pytest.fixture(autouse=True)
def _fresh_rule_cache():
    """Rule settings are cached (30 s); a value set by one test must not leak into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def ident(consumer, kind, value):
    return ConsumerIdentity.objects.create(consumer=consumer, kind=kind, value=value, label=consumer.pk)


def set_rule(key, value):
    RuleSetting.objects.update_or_create(key=key, defaults={"value": value})
    invalidate(key)


def rf_claim(consumer, *, shop=None, days_ago=1, **wb):
    """A 退货补运费 claim filed ``days_ago`` before NOW (goes through the engine)."""
    shop = shop or global_shop(kind="regular", services=["return_freight"])
    filed = NOW - timedelta(days=days_ago)
    order = order_for(
        shop,
        consumer=consumer,
        placed_at=filed - timedelta(days=3),
        shipped_at=filed - timedelta(days=2),
        delivered_at=filed - timedelta(days=1),
    )
    data = {
        "tracking_no": wb.pop("tracking_no", f"T{order.pk}"),
        "sender_name": "x",
        "sender_phone": "13900000001",
        "receiver_address": f"CN 仓库路 1 号 {shop.code}",
        "fee": "10.00",
    }
    data.update(wb)
    with time_machine.travel(filed, tick=False):
        return file(order, kind="return_freight", data={"return_waybill": data})


def risk(consumer):
    return ConsumerRisk.objects.get(consumer=consumer)


# ---- RF-1 identity data through the sync API -------------------------------------------------


def test_rf1_consumer_identities_sync_section_is_idempotent(platform_api):
    c = ConsumerFactory(code="CID1")
    doc = {
        "consumer_identities": [
            {
                "consumer": "CID1",
                "identities": [
                    {"kind": "phone", "value": "+86 139 0000 0001"},
                    {"kind": "device", "value": "DEV-AB"},
                    {"kind": "address", "value": "上海市 长宁路 1号"},
                ],
            }
        ]
    }
    r = platform_api.post("/api/v1/platform/sync", doc, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["changed"] == {"consumer_identities": 1}
    assert set(c.identities.values_list("kind", "value")) == {
        ("phone", "13900000001"),
        ("device", "devab"),
        ("address", "上海市长宁路1号"),
    }
    again = platform_api.post("/api/v1/platform/sync", doc, format="json")
    assert again.json()["changed"] == {"consumer_identities": 0}


def test_rf1_consumer_identities_replace_removes_unlisted(platform_api):
    c = ConsumerFactory(code="CID2")
    ident(c, "device", "old")
    doc = {
        "consumer_identities": [
            {"consumer": "CID2", "identities": [{"kind": "device", "value": "new"}], "replace": True}
        ]
    }
    assert platform_api.post("/api/v1/platform/sync", doc, format="json").status_code == 200
    assert list(c.identities.values_list("value", flat=True)) == ["new"]


def test_rf1_consumer_identities_unknown_consumer_rejects_whole_document(platform_api):
    ConsumerFactory(code="CID3")
    doc = {
        "consumer_identities": [
            {"consumer": "CID3", "identities": [{"kind": "device", "value": "d"}]},
            {"consumer": "NOPE", "identities": [{"kind": "device", "value": "d"}]},
        ]
    }
    r = platform_api.post("/api/v1/platform/sync", doc, format="json")
    assert r.status_code == 400
    assert r.json()["errors"]["consumer_identities"]["1"]["code"] == "unknown_reference"
    assert not ConsumerIdentity.objects.exists()


# ---- RF-1 collusion: linked groups -------------------------------------------------------------


def test_rf1_group_links_shared_device_phone_address_and_payment_transitively():
    a, b, c, d, e, f = (ConsumerFactory() for _ in range(6))
    ident(a, "device", "d1")
    ident(b, "device", "d1")
    ident(b, "phone", "p1")
    ident(c, "phone", "p1")
    ident(c, "payment", "pay1")
    ident(d, "payment", "pay1")
    ident(e, "name", "王五")  # a shared name alone links nobody
    ident(f, "name", "王五")
    propagate_group_labels()
    labels = dict(ConsumerIdentity.objects.values_list("consumer_id", "label"))
    assert {labels[x.pk] for x in (a, b, c, d)} == {a.pk}
    assert labels[e.pk] == e.pk and labels[f.pk] == f.pk
    with time_machine.travel(NOW, tick=False):
        score_all()
    assert LinkedGroup.objects.get().size == 4
    assert {r.group_key for r in ConsumerRisk.objects.filter(consumer__in=[a, b, c, d])} == {a.pk}
    assert not ConsumerRisk.objects.filter(consumer__in=[e, f]).exists()


def test_rf1_group_by_shared_address():
    a, b = ConsumerFactory(), ConsumerFactory()
    ident(a, "address", "x路1号")
    ident(b, "address", "x路1号")
    with time_machine.travel(NOW, tick=False):
        score_all()
    assert risk(a).group_key == risk(b).group_key == min(a.pk, b.pk)


def test_rf1_too_common_identifier_links_nobody():
    set_rule("rf.group_max_shared", 2)
    people = [ConsumerFactory() for _ in range(3)]
    for p in people:
        ident(p, "device", "public-wifi")
    with time_machine.travel(NOW, tick=False):
        score_all()
    assert not LinkedGroup.objects.exists()


def test_rf1_group_splits_when_the_shared_identifier_goes():
    a, b = ConsumerFactory(), ConsumerFactory()
    ident(a, "device", "d")
    shared = ident(b, "device", "d")
    with time_machine.travel(NOW, tick=False):
        score_all()
    assert LinkedGroup.objects.count() == 1
    shared.delete()
    with time_machine.travel(NOW, tick=False):
        score_all()
    assert not LinkedGroup.objects.exists()
    assert risk(a).group_key is None and risk(a).score == 0


# ---- RF-1 signals and RF-2 scores ---------------------------------------------------------------


def test_rf2_fake_sender_signal():
    c = ConsumerFactory()
    ident(c, "phone", "13900000001")
    rf_claim(c, sender_phone="13700000000")
    with time_machine.travel(NOW, tick=False):
        score_all()
    assert (risk(c).fake_sender, risk(c).score) == (1, 25)


def test_rf2_fake_receiver_signal():
    c = ConsumerFactory()
    rf_claim(c, receiver_address="别处")
    with time_machine.travel(NOW, tick=False):
        score_all()
    assert (risk(c).fake_receiver, risk(c).score) == (1, 25)


def test_rf2_reused_tracking_number_signal():
    a, b = ConsumerFactory(), ConsumerFactory()
    rf_claim(a, tracking_no="SAME")
    rf_claim(b, tracking_no="SAME")
    with time_machine.travel(NOW, tick=False):
        score_all()
    assert risk(a).dup_waybill == 1 and risk(a).score == 30
    assert risk(b).score == 30


def test_rf2_repeated_claims_fire_at_three_claims_and_half_of_orders():
    c = ConsumerFactory()
    for _ in range(3):
        rf_claim(c)
    with time_machine.travel(NOW, tick=False):
        score_all()
    assert (risk(c).rf_claims, risk(c).orders, risk(c).score) == (3, 3, 30)


def test_rf2_two_claims_are_not_repeated():
    c = ConsumerFactory()
    rf_claim(c)
    rf_claim(c)
    with time_machine.travel(NOW, tick=False):
        score_all()
    assert risk(c).score == 0


def test_rf2_repeated_ratio_boundary():
    """3 claims over 6 orders = 50 % fires; over 7 orders (43 %) does not."""
    c = ConsumerFactory()
    shop = global_shop(kind="regular", services=["return_freight"])
    for _ in range(3):
        rf_claim(c, shop=shop)
    from tests.shop.factories import OrderFactory, ProductFactory

    product = ProductFactory(shop=shop)
    for _ in range(3):
        OrderFactory(shop=shop, product=product, consumer=c, placed_at=NOW - timedelta(days=5))
    with time_machine.travel(NOW, tick=False):
        score_all()
    assert (risk(c).orders, risk(c).score) == (6, 30)
    OrderFactory(shop=shop, product=product, consumer=c, placed_at=NOW - timedelta(days=5))
    with time_machine.travel(NOW, tick=False):
        score_all()
    assert (risk(c).orders, risk(c).score) == (7, 0)


def test_rf2_claims_outside_the_window_do_not_count():
    c = ConsumerFactory()
    for d in (91, 92, 93):
        rf_claim(c, days_ago=d)
    with time_machine.travel(NOW, tick=False):
        score_all()
    assert not ConsumerRisk.objects.filter(consumer=c).exists()


def test_rf2_group_repeated_claims_signal_scores_every_member():
    members = [ConsumerFactory() for _ in range(5)]
    for m in members:
        ident(m, "device", "farm")
        rf_claim(m)
    with time_machine.travel(NOW, tick=False):
        score_all()
    group = LinkedGroup.objects.get()
    assert (group.size, group.rf_claims) == (5, 5)
    # the group itself also meets the repeated-claims thresholds (5 ≥ 3, 5/5 orders)
    assert group.score == 20 + 30
    assert all(risk(m).score == 20 for m in members)


def test_rf2_fingerprint_signal(django_capture_on_commit_callbacks):
    a, b = ConsumerFactory(), ConsumerFactory()
    ca = rf_claim(a)
    cb = rf_claim(b)
    from claims.fingerprints import fingerprint_claim
    from claims.models import ClaimEvidence
    from tests.claims.test_global_support import consumer_user

    ClaimEvidence.objects.create(claim=ca, upload=upload(consumer_user(a), 7), kind="other")
    ClaimEvidence.objects.create(claim=cb, upload=upload(consumer_user(b), 7, noise=3), kind="other")
    with time_machine.travel(NOW - timedelta(hours=1), tick=False):
        fingerprint_claim(claim_id=ca.pk)
        fingerprint_claim(claim_id=cb.pk)
    with time_machine.travel(NOW, tick=False):
        score_all()
    assert risk(a).fingerprint == 1 and risk(a).score == 30


def test_rf2_score_capped_at_100_and_rerun_writes_nothing():
    c = ConsumerFactory()
    ident(c, "phone", "1")
    for _ in range(3):
        rf_claim(c, tracking_no="DUP", receiver_address="别处")
    with time_machine.travel(NOW, tick=False):
        first = score_all()
    assert risk(c).score == 100
    with time_machine.travel(NOW, tick=False):
        again = score_all()
    assert first["consumers"] >= 1
    assert again == {"consumers": 0, "groups": 0}


def test_rf2_weights_and_thresholds_are_settings():
    set_rule("rf.weight_fake_receiver", 70)
    c = ConsumerFactory()
    rf_claim(c, receiver_address="别处")
    with time_machine.travel(NOW, tick=False):
        score_all()
    assert risk(c).score == 70


def test_rf2_evidence_trail_lists_every_claim_and_order_behind_the_score():
    c = ConsumerFactory()
    claims = [rf_claim(c, receiver_address="别处") for _ in range(3)]
    with time_machine.travel(NOW, tick=False):
        score_all()
    trail = trail_for_consumer(risk(c))
    assert {t.claim_id for t in trail if t.signal == "rf_claim"} == {x.pk for x in claims}
    assert {t.claim_id for t in trail if t.signal == "fake_receiver"} == {x.pk for x in claims}
    assert {t.order_id for t in trail if t.signal == "order"} == {x.order_id for x in claims}


def test_rf2_group_trail_shows_the_shared_identifiers():
    a, b = ConsumerFactory(), ConsumerFactory()
    ident(a, "payment", "alipay:1")
    ident(b, "payment", "alipay:1")
    rf_claim(a)
    with time_machine.travel(NOW, tick=False):
        score_all()
    trail = trail_for_group(LinkedGroup.objects.get())
    assert any(t.signal == "shared_identity" and "alipay:1" in t.detail for t in trail)
    assert any(t.signal == "rf_claim" and t.consumer_id == a.pk for t in trail)


def test_rf2_beat_task_runs_scoring():
    from claims.tasks_abuse import rf_score

    c = ConsumerFactory()
    rf_claim(c, receiver_address="别处")
    with time_machine.travel(NOW, tick=False):
        assert rf_score.apply().get()["consumers"] == 1


def test_rf2_review_api_shows_score_and_trail(reviewer_api):
    c = ConsumerFactory()
    rf_claim(c, receiver_address="别处")
    with time_machine.travel(NOW, tick=False):
        score_all()
    r = reviewer_api.get(f"/api/v1/review/consumers/{c.code}/abuse")
    assert r.status_code == 200
    body = r.json()
    assert body["score"] == 25 and body["signals"]["fake_receiver"] == 1
    assert {t["signal"] for t in body["trail"]} >= {"rf_claim", "fake_receiver", "order"}


# ---- RF-3 measures ----------------------------------------------------------------------------


def test_rf3_freeze_unfreeze_revoke_through_the_api_are_audited(reviewer_api):
    c = ConsumerFactory(code="C-RF3")
    url = "/api/v1/review/consumers/C-RF3/return-freight"
    r = reviewer_api.post(url, {"action": "freeze", "note": "pending credit review"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "frozen"
    assert reviewer_api.post(url, {"action": "freeze"}, format="json").json()["status"] == "frozen"
    assert reviewer_api.post(url, {"action": "unfreeze"}, format="json").json()["status"] == "active"
    r = reviewer_api.post(url, {"action": "revoke", "note": "severe"}, format="json")
    assert r.json()["status"] == "revoked"
    r = reviewer_api.post(url, {"action": "unfreeze"}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "invalid_state"
    r = reviewer_api.post(url, {"action": "legal_referral"}, format="json")
    assert r.json()["legal_referral"] is True
    standing = ReturnFreightStanding.objects.get(consumer=c)
    assert [e.action for e in standing.events.all()] == ["freeze", "unfreeze", "revoke", "legal_referral"]
    assert AuditLog.objects.filter(action__startswith="return_freight.").count() == 4


def test_rf3_bad_action_400_unknown_consumer_404_other_roles_403(reviewer_api, client_for):
    ConsumerFactory(code="C-X")
    r = reviewer_api.post("/api/v1/review/consumers/C-X/return-freight", {"action": "ban"}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    r = reviewer_api.post("/api/v1/review/consumers/NOPE/return-freight", {"action": "freeze"}, format="json")
    assert r.status_code == 404
    merchant = client_for(make_user("merchant"))
    r = merchant.post("/api/v1/review/consumers/C-X/return-freight", {"action": "freeze"}, format="json")
    assert r.status_code == 403


# ---- RF-4 merchant reports and the per-shop block ---------------------------------------------


def _reportable():
    shop = global_shop(kind="regular")
    merchant = make_user("merchant", shop=shop)
    consumer = ConsumerFactory(code=f"B{shop.pk}")
    order_for(shop, consumer=consumer)
    return shop, merchant, consumer


def test_rf4_report_without_evidence_is_400_evidence_required(client_for):
    _shop, merchant, consumer = _reportable()
    api = client_for(merchant)
    r = api.post("/api/v1/shop/abuse-reports", {"consumer": consumer.code, "reason": "fake waybills"}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "evidence_required"
    r = api.post(
        "/api/v1/shop/abuse-reports", {"consumer": consumer.code, "reason": "x", "evidence": []}, format="json"
    )
    assert r.json()["code"] == "evidence_required"


def test_rf4_report_upheld_blocks_the_buyer_at_that_shop_only(client_for, reviewer_api, platform_api):
    shop, merchant, consumer = _reportable()
    api = client_for(merchant)
    ev = upload(merchant, 3)
    r = api.post(
        "/api/v1/shop/abuse-reports",
        {"consumer": consumer.code, "reason": "fake waybills", "evidence": [ev.pk]},
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["status"] == "pending"
    rid = r.json()["id"]
    listing = api.get("/api/v1/shop/abuse-reports").json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == rid
    dup = api.post(
        "/api/v1/shop/abuse-reports", {"consumer": consumer.code, "reason": "again", "evidence": [ev.pk]}, format="json"
    )
    assert dup.status_code == 409 and dup.json()["code"] == "report_exists"

    r = reviewer_api.post(f"/api/v1/review/abuse-reports/{rid}/decision", {"upheld": True, "note": "ok"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "upheld"
    assert ShopBuyerBlock.objects.filter(shop=shop, consumer=consumer).exists()
    again = reviewer_api.post(f"/api/v1/review/abuse-reports/{rid}/decision", {"upheld": False}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_state"

    other = global_shop(kind="regular")
    from tests.shop.factories import ProductFactory

    p1, p2 = ProductFactory(shop=shop), ProductFactory(shop=other)
    placed = timezone.now().isoformat()
    doc = {
        "orders": [
            {
                "code": "OB1",
                "consumer": consumer.code,
                "shop": shop.code,
                "product": p1.code,
                "paid_amount": "10",
                "placed_at": placed,
            }
        ]
    }
    r = platform_api.post("/api/v1/platform/sync", doc, format="json")
    assert r.status_code == 400
    assert r.json()["errors"]["orders"]["0"]["code"] == "buyer_blocked"
    doc["orders"][0].update({"shop": other.code, "product": p2.code})
    assert platform_api.post("/api/v1/platform/sync", doc, format="json").status_code == 200


def test_rf4_rejected_report_blocks_nothing(client_for, reviewer_api):
    _shop, merchant, consumer = _reportable()
    api = client_for(merchant)
    ev = upload(merchant, 4)
    rid = api.post(
        "/api/v1/shop/abuse-reports", {"consumer": consumer.code, "reason": "x", "evidence": [ev.pk]}, format="json"
    ).json()["id"]
    r = reviewer_api.post(f"/api/v1/review/abuse-reports/{rid}/decision", {"upheld": False}, format="json")
    assert r.json()["status"] == "rejected"
    assert not ShopBuyerBlock.objects.exists()


def test_rf4_cannot_report_a_consumer_who_never_ordered_or_with_someone_elses_upload(client_for):
    _shop, merchant, consumer = _reportable()
    stranger = ConsumerFactory()
    api = client_for(merchant)
    ev = upload(merchant, 5)
    r = api.post(
        "/api/v1/shop/abuse-reports", {"consumer": stranger.code, "reason": "x", "evidence": [ev.pk]}, format="json"
    )
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    foreign = upload(make_user("merchant"), 6)
    r = api.post(
        "/api/v1/shop/abuse-reports",
        {"consumer": consumer.code, "reason": "x", "evidence": [foreign.pk]},
        format="json",
    )
    assert r.status_code == 400 and r.json()["code"] == "invalid_upload"


def test_rf4_another_shops_report_is_404(client_for):
    _shop, merchant, consumer = _reportable()
    ev = upload(merchant, 8)
    rid = (
        client_for(merchant)
        .post(
            "/api/v1/shop/abuse-reports", {"consumer": consumer.code, "reason": "x", "evidence": [ev.pk]}, format="json"
        )
        .json()["id"]
    )
    other = client_for(make_user("merchant"))
    assert other.get(f"/api/v1/shop/abuse-reports/{rid}").status_code == 404
    assert other.get("/api/v1/shop/abuse-reports").json()["count"] == 0


def test_rf_unused_import_guard():
    assert Decimal and ReturnFreightWaybill


def test_rf2_scoring_sql_runs_on_postgresql():
    """The set-based statements (UPDATE … FROM, ON CONFLICT … WHERE IS DISTINCT FROM, temp tables)."""
    from tests.conftest import require_postgres

    require_postgres()
    a, b = ConsumerFactory(), ConsumerFactory()
    ident(a, "device", "pg")
    ident(b, "device", "pg")
    for _ in range(3):
        rf_claim(a, receiver_address="别处", tracking_no="PGDUP")
    with time_machine.travel(NOW, tick=False):
        assert score_all()["consumers"] == 2
        assert score_all() == {"consumers": 0, "groups": 0}
    assert risk(a).score == 25 + 30 + 30 and risk(b).group_key == a.pk  # receiver, dup, repeated


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.integers(0, 7), st.sampled_from(["device", "phone", "name"]), st.integers(0, 4)), max_size=20)
)
def test_rf1_groups_equal_connected_components(edges):
    """Property: the SQL label propagation finds exactly the union-find components (names never link)."""
    from django.core.cache import cache

    cache.clear()
    ConsumerIdentity.objects.all().delete()
    people = [ConsumerFactory(code=f"PROP{i}") for i in range(8)]
    for who, kind, val in edges:
        ConsumerIdentity.objects.get_or_create(
            consumer=people[who], kind=kind, value=f"v{val}", defaults={"label": people[who].pk}
        )
    propagate_group_labels()
    parent = {p.pk: p.pk for p in people}

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    by_value: dict = {}
    for who, kind, val in edges:
        if kind != "name":
            by_value.setdefault((kind, val), []).append(people[who].pk)
    for members in by_value.values():
        for m in members[1:]:
            ra, rb = find(members[0]), find(m)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    expected = {}
    for p in people:
        expected.setdefault(find(p.pk), set()).add(p.pk)
    got = {}
    for cid, label in ConsumerIdentity.objects.values_list("consumer_id", "label"):
        got.setdefault(label, set()).add(cid)
    for members in got.values():
        # every consumer with identifiers sits in exactly its union-find component
        assert any(members <= comp for comp in expected.values())
        comp = next(c for c in expected.values() if members <= c)
        with_ids = {c for c in comp if ConsumerIdentity.objects.filter(consumer_id=c).exists()}
        assert members == with_ids
