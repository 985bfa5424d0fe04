"""Integration API: POST /api/v1/platform/sync and order events (SPEC §2, API.md)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from shop.models import Category, Consumer, LiveSession, Order, Product, Shop, Streamer

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def doc() -> dict:
    return {
        "categories": [
            {"code": "beauty", "name": "美妆", "parent": None},
            {
                "code": "cosmetics",
                "name": "化妆品",
                "parent": "beauty",
                "requires_return_freight": True,
                "industry_services": ["allergy_return"],
                "damage_window_hours": 72,
            },
        ],
        "shops": [
            {
                "code": "S1",
                "name": "店一",
                "kind": "regular",
                "experience_score": 4.8,
                "level": 3,
                "main_industry": "美妆",
            }
        ],
        "streamers": [
            {
                "code": "ST1",
                "name": "主播一",
                "fans": 2_000_000,
                "experience_score": "4.90",
                "level": 3,
                "main_industry": "3C数码",
            }
        ],
        "consumers": [{"code": "C1", "wallet_enabled": True, "risk": False}],
        "users": [{"username": "m1", "password": "secret-pass-1", "role": "merchant", "shop": "S1"}],
        "products": [
            {
                "code": "P1",
                "shop": "S1",
                "title": "口红",
                "category": "cosmetics",
                "price": "99.00",
                "source": "own",
                "flash_sale": False,
                "attributes": {"color": "red"},
            }
        ],
        "live_sessions": [
            {
                "code": "L1",
                "streamer": "ST1",
                "started_at": (NOW - timedelta(hours=2)).isoformat(),
                "ended_at": None,
                "trust_only": False,
            }
        ],
        "orders": [
            {
                "code": "O1",
                "consumer": "C1",
                "shop": "S1",
                "product": "P1",
                "live_session": "L1",
                "streamer": "ST1",
                "paid_amount": 99,
                "postage": "5.00",
                "region": "CN",
                "placed_at": (NOW - timedelta(hours=1)).isoformat(),
            }
        ],
    }


def test_sync_creates_every_section_and_reports_counts(platform_api):
    resp = platform_api.post("/api/v1/platform/sync", doc(), format="json")
    assert resp.status_code == 200, resp.json()
    body = resp.json()
    assert body["applied"] == {
        "categories": 2,
        "shops": 1,
        "streamers": 1,
        "consumers": 1,
        "users": 1,
        "products": 1,
        "live_sessions": 1,
        "orders": 1,
    }
    assert body["changed"] == body["applied"]
    assert Category.objects.get(code="cosmetics").parent.code == "beauty"
    order = Order.objects.get(code="O1")
    assert str(order.paid_amount) == "99.00"
    assert order.streamer.code == "ST1"


def test_sync_same_document_twice_changes_nothing(platform_api):
    assert platform_api.post("/api/v1/platform/sync", doc(), format="json").status_code == 200
    before = {m.__name__: list(m.objects.order_by("pk").values()) for m in (Shop, Product, Order, Streamer)}
    resp = platform_api.post("/api/v1/platform/sync", doc(), format="json")
    assert resp.status_code == 200
    assert set(resp.json()["changed"].values()) == {0}
    after = {m.__name__: list(m.objects.order_by("pk").values()) for m in (Shop, Product, Order, Streamer)}
    assert before == after


def test_sync_update_counts_only_changed_items(platform_api):
    platform_api.post("/api/v1/platform/sync", doc(), format="json")
    d = doc()
    d["products"][0]["price"] = "89.00"
    resp = platform_api.post("/api/v1/platform/sync", d, format="json")
    assert resp.json()["changed"]["products"] == 1
    assert resp.json()["changed"]["shops"] == 0
    assert str(Product.objects.get(code="P1").price) == "89.00"


def test_sync_one_bad_item_applies_nothing(platform_api):
    d = doc()
    d["consumers"].append({"code": "C2", "wallet_enabled": "maybe"})
    d["orders"][0]["product"] = "NOPE"
    resp = platform_api.post("/api/v1/platform/sync", d, format="json")
    assert resp.status_code == 400
    body = resp.json()
    assert body["code"] == "invalid_sync"
    assert body["errors"]["consumers"]["1"]["code"] == "invalid"
    assert "wallet_enabled" in body["errors"]["consumers"]["1"]["fields"]
    assert body["errors"]["orders"]["0"]["code"] == "unknown_reference"
    assert "0" not in body["errors"].get("shops", {})
    for model in (Category, Shop, Streamer, Consumer, Product, LiveSession, Order):
        assert model.objects.count() == 0, model


def test_sync_bad_update_leaves_stored_data(platform_api):
    platform_api.post("/api/v1/platform/sync", doc(), format="json")
    d = doc()
    d["shops"][0]["name"] = "renamed"
    d["shops"].append({"code": "S2", "name": "x", "kind": "space_station"})
    resp = platform_api.post("/api/v1/platform/sync", d, format="json")
    assert resp.status_code == 400
    assert resp.json()["errors"]["shops"]["1"]["fields"]["kind"]
    assert Shop.objects.get(code="S1").name == "店一"
    assert not Shop.objects.filter(code="S2").exists()


@pytest.mark.parametrize(
    ("section", "item", "field"),
    [
        ("shops", {"code": "S9", "name": "x", "experience_score": "5.01"}, "experience_score"),
        ("shops", {"code": "S9", "name": "x", "level": 6}, "level"),
        ("shops", {"code": "S9", "name": "x", "regions": ["US"]}, "regions"),
        (
            "orders",
            {
                "code": "O9",
                "consumer": "C1",
                "shop": "S1",
                "product": "P1",
                "paid_amount": "-1",
                "placed_at": NOW.isoformat(),
            },
            "paid_amount",
        ),
        (
            "orders",
            {
                "code": "O9",
                "consumer": "C1",
                "shop": "S1",
                "product": "P1",
                "paid_amount": "1.001",
                "placed_at": NOW.isoformat(),
            },
            "paid_amount",
        ),
        (
            "live_sessions",
            {
                "code": "L9",
                "streamer": "ST1",
                "started_at": NOW.isoformat(),
                "ended_at": (NOW - timedelta(hours=1)).isoformat(),
            },
            "ended_at",
        ),
        ("categories", {"code": "c9", "name": "x", "industry_services": ["teleport"]}, "industry_services"),
        ("users", {"username": "u9", "password": "secret-pass-1", "role": "merchant"}, "shop"),
    ],
)
def test_sync_item_errors_name_the_field(platform_api, section, item, field):
    platform_api.post("/api/v1/platform/sync", doc(), format="json")
    resp = platform_api.post("/api/v1/platform/sync", {section: [item]}, format="json")
    assert resp.status_code == 400, resp.json()
    err = resp.json()["errors"][section]["0"]
    assert field in err.get("fields", {}), err


def test_sync_rejects_product_of_another_shop_in_order(platform_api):
    d = doc()
    d["shops"].append({"code": "S2", "name": "店二"})
    d["orders"][0]["shop"] = "S2"
    resp = platform_api.post("/api/v1/platform/sync", d, format="json")
    assert resp.status_code == 400
    assert "product" in resp.json()["errors"]["orders"]["0"]["fields"]


def test_sync_unknown_section_and_non_object(platform_api):
    resp = platform_api.post("/api/v1/platform/sync", {"planets": []}, format="json")
    assert resp.status_code == 400 and resp.json()["code"] == "invalid_sync"
    resp = platform_api.post("/api/v1/platform/sync", [1, 2], format="json")
    assert resp.status_code == 400 and resp.json()["code"] == "invalid_sync"
    resp = platform_api.post("/api/v1/platform/sync", {"shops": [7]}, format="json")
    assert resp.status_code == 400 and resp.json()["errors"]["shops"]["0"]["code"] == "invalid"


def test_sync_body_not_json_is_parse_error(platform_api):
    resp = platform_api.generic("POST", "/api/v1/platform/sync", "{not json", content_type="application/json")
    assert resp.status_code == 400
    assert resp.json()["code"] == "parse_error"


def test_sync_category_cycle_refused(platform_api):
    platform_api.post("/api/v1/platform/sync", doc(), format="json")
    resp = platform_api.post(
        "/api/v1/platform/sync",
        {"categories": [{"code": "beauty", "name": "美妆", "parent": "cosmetics"}]},
        format="json",
    )
    assert resp.status_code == 400
    assert Category.objects.get(code="beauty").parent is None


# ---- order events ---------------------------------------------------------------------------


@pytest.fixture
def synced(platform_api):
    assert platform_api.post("/api/v1/platform/sync", doc(), format="json").status_code == 200
    return Order.objects.get(code="O1")


def event(api, type_, at):
    return api.post("/api/v1/platform/orders/O1/events", {"type": type_, "at": at.isoformat()}, format="json")


def test_events_in_order_are_recorded(platform_api, synced):
    t = synced.placed_at
    for i, kind in enumerate(["shipped", "delivered", "completed"], start=1):
        resp = event(platform_api, kind, t + timedelta(hours=i))
        assert resp.status_code == 200, resp.json()
    body = resp.json()
    assert body["code"] == "O1"
    assert body["completed_at"] is not None
    assert synced.events.count() == 3


def test_event_delivered_before_shipped_is_invalid_event(platform_api, synced):
    resp = event(platform_api, "delivered", synced.placed_at + timedelta(hours=1))
    assert resp.status_code == 400
    assert resp.json()["code"] == "invalid_event"
    synced.refresh_from_db()
    assert synced.delivered_at is None


def test_event_before_placed_at_is_invalid_event(platform_api, synced):
    resp = event(platform_api, "shipped", synced.placed_at - timedelta(seconds=1))
    assert resp.json()["code"] == "invalid_event"


def test_event_delivered_earlier_than_shipped_is_invalid_event(platform_api, synced):
    event(platform_api, "shipped", synced.placed_at + timedelta(hours=5))
    resp = event(platform_api, "delivered", synced.placed_at + timedelta(hours=4))
    assert resp.json()["code"] == "invalid_event"


def test_event_shipped_equal_delivered_allowed(platform_api, synced):
    t = synced.placed_at + timedelta(hours=5)
    assert event(platform_api, "shipped", t).status_code == 200
    assert event(platform_api, "delivered", t).status_code == 200


def test_event_repeat_is_idempotent_and_conflicting_time_refused(platform_api, synced):
    t = synced.placed_at + timedelta(hours=5)
    assert event(platform_api, "shipped", t).status_code == 200
    assert event(platform_api, "shipped", t).status_code == 200
    assert synced.events.count() == 1
    resp = event(platform_api, "shipped", t + timedelta(hours=1))
    assert resp.status_code == 400 and resp.json()["code"] == "invalid_event"


def test_event_bad_type_and_unknown_order(platform_api, synced):
    resp = event(platform_api, "teleported", synced.placed_at)
    assert resp.status_code == 400 and resp.json()["code"] == "invalid"
    resp = platform_api.post(
        "/api/v1/platform/orders/NOPE/events", {"type": "shipped", "at": NOW.isoformat()}, format="json"
    )
    assert resp.status_code == 404
