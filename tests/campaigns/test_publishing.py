"""XT-2 creator square, 已选达人 and 发布任务."""

from __future__ import annotations

from decimal import Decimal

import pytest

from campaigns.models import CreatorOrder, CreatorSelection, Task
from shop.models import Notification
from tests.campaigns.factories import certified_merchant, creator, task_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def adv(client_for, reviewer):
    user, advertiser = certified_merchant(reviewer)
    return client_for(user), advertiser


@pytest.fixture
def creators():
    big = creator("ST-BIG", content_types=["beauty", "review"], price_short=Decimal("5000.00"))[1]
    big.fans, big.main_industry, big.experience_score = 3_000_000, "美妆", Decimal("4.90")
    big.save()
    small = creator("ST-LITTLE", content_types=["food"], price_short=Decimal("800.00"))[1]
    small.fans, small.main_industry, small.experience_score = 50_000, "食品", Decimal("4.10")
    small.save()
    hidden = creator("ST-HIDDEN", listed=False)[1]
    return big, small, hidden


def codes(r):
    return [c["code"] for c in r.json()["results"]]


def test_xt2_square_lists_listed_content_creators_with_filters(adv, creators):
    api, _ = adv
    r = api.get("/api/v1/xingtu/creators")
    assert r.status_code == 200 and codes(r) == ["ST-BIG", "ST-LITTLE"]
    assert codes(api.get("/api/v1/xingtu/creators?fans_min=1000000")) == ["ST-BIG"]
    assert codes(api.get("/api/v1/xingtu/creators?industry=食品")) == ["ST-LITTLE"]
    assert codes(api.get("/api/v1/xingtu/creators?score_min=4.5")) == ["ST-BIG"]
    assert codes(api.get("/api/v1/xingtu/creators?content_type=review")) == ["ST-BIG"]
    assert codes(api.get("/api/v1/xingtu/creators?price_max=1000")) == ["ST-LITTLE"]
    assert codes(api.get("/api/v1/xingtu/creators?fans_min=abc")) == ["ST-BIG", "ST-LITTLE"]
    assert codes(api.get("/api/v1/xingtu/creators?ordering=fans")) == ["ST-LITTLE", "ST-BIG"]


def test_xt2_multi_select_then_remove(adv, creators):
    api, _advertiser = adv
    r = api.post("/api/v1/xingtu/selection", {"creators": ["ST-BIG", "ST-LITTLE"]}, format="json")
    assert r.status_code == 201 and [s["creator"] for s in r.json()] == ["ST-BIG", "ST-LITTLE"]
    r = api.post("/api/v1/xingtu/selection", {"creators": ["ST-BIG"]}, format="json")
    assert len(r.json()) == 2
    r = api.delete("/api/v1/xingtu/selection/ST-BIG")
    assert r.status_code == 200 and [s["creator"] for s in r.json()] == ["ST-LITTLE"]
    assert [s["creator"] for s in api.get("/api/v1/xingtu/selection").json()] == ["ST-LITTLE"]


def test_xt2_unlisted_or_unknown_creator_refuses_whole_selection(adv, creators):
    api, advertiser = adv
    r = api.post("/api/v1/xingtu/selection", {"creators": ["ST-BIG", "ST-HIDDEN", "NOPE"]}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "creator_unavailable"
    assert r.json()["creators"] == ["ST-HIDDEN", "NOPE"]
    assert not CreatorSelection.objects.filter(advertiser=advertiser).exists()


def test_xt2_publish_from_selection_creates_one_order_per_creator_and_clears_it(adv, creators):
    api, advertiser = adv
    api.post("/api/v1/xingtu/selection", {"creators": ["ST-BIG", "ST-LITTLE"]}, format="json")
    r = api.post("/api/v1/xingtu/tasks", task_body(service_provider="星图服务商A"), format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["task_type"] == "douyin_video" and body["settlement"] == "on_acceptance"
    assert body["total_amount"] == "5800.00"
    assert {(o["creator"], o["price"], o["status"]) for o in body["orders"]} == {
        ("ST-BIG", "5000.00", "pending_acceptance"),
        ("ST-LITTLE", "800.00", "pending_acceptance"),
    }
    assert not CreatorSelection.objects.filter(advertiser=advertiser).exists()
    big_user = creators[0].users.get().user
    assert Notification.objects.filter(user=big_user, kind="xingtu_order").count() == 1


def test_xt2_publish_with_explicit_creators_and_long_duration_prices(adv, creators):
    api, _ = adv
    r = api.post("/api/v1/xingtu/tasks", task_body(creators=["ST-BIG"], video_duration="long"), format="json")
    assert r.json()["total_amount"] == "2000.00"


def test_xt2_publish_with_empty_selection_refused(adv, creators):
    api, _ = adv
    r = api.post("/api/v1/xingtu/tasks", task_body(), format="json")
    assert r.status_code == 400 and r.json()["code"] == "selection_empty"


def test_xt2_publish_validation_never_half_applies(adv, creators):
    api, _ = adv
    r = api.post(
        "/api/v1/xingtu/tasks",
        task_body(creators=["ST-BIG"], publish_from="2020-01-01", publish_until="2019-01-01"),
        format="json",
    )
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    r = api.post("/api/v1/xingtu/tasks", task_body(creators=["ST-BIG", "ST-HIDDEN"]), format="json")
    assert r.status_code == 400 and r.json()["code"] == "creator_unavailable"
    r = api.post("/api/v1/xingtu/tasks", task_body(creators=["ST-BIG"], settlement="bitcoin"), format="json")
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    r = api.post("/api/v1/xingtu/tasks", "not json", content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "parse_error"
    assert Task.objects.count() == 0 and CreatorOrder.objects.count() == 0


def test_xt2_same_key_returns_the_first_task(adv, creators):
    api, _ = adv
    r1 = api.post("/api/v1/xingtu/tasks", task_body(creators=["ST-BIG"], key="k-1"), format="json")
    r2 = api.post("/api/v1/xingtu/tasks", task_body(creators=["ST-BIG"], key="k-1"), format="json")
    assert r1.status_code == 201 and r2.status_code == 200 and r1.json()["id"] == r2.json()["id"]
    assert Task.objects.count() == 1


def test_xt2_tasks_and_selection_are_per_advertiser(adv, creators, client_for, reviewer):
    api, _ = adv
    other_user, _other = certified_merchant(reviewer)
    other = client_for(other_user)
    api.post("/api/v1/xingtu/selection", {"creators": ["ST-BIG"]}, format="json")
    api.post("/api/v1/xingtu/tasks", task_body(creators=["ST-LITTLE"]), format="json")
    assert other.get("/api/v1/xingtu/selection").json() == []
    assert other.get("/api/v1/xingtu/tasks").json()["count"] == 0
    assert api.get("/api/v1/xingtu/tasks").json()["count"] == 1


def test_xt2_creator_edits_own_card(client_for):
    user, _streamer = creator("ST-ME")
    api = client_for(user)
    r = api.put(
        "/api/v1/xingtu/creator/profile",
        {"listed": False, "content_types": ["food"], "price_short": "300", "price_long": "600.50", "bio": "美食博主"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["price_long"] == "600.50" and r.json()["content_types"] == ["food"]
    r = api.put(
        "/api/v1/xingtu/creator/profile",
        {"listed": True, "content_types": ["nope"], "price_short": "-1", "price_long": "1"},
        format="json",
    )
    assert r.status_code == 400 and r.json()["code"] == "invalid"


def test_xt2_square_is_for_advertisers(client_for):
    user, _ = creator()
    assert client_for(user).get("/api/v1/xingtu/creators").status_code == 403


def test_xt_schema_describes_the_xingtu_endpoints(api_client):
    r = api_client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert r.status_code == 200
    text = r.content.decode()
    for path in ("/api/v1/xingtu/tasks", "/api/v1/xingtu/orders/{id}/script/reject", "/api/v1/xingtu/certification"):
        assert path in text
