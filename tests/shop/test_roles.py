"""Roles on every foundation endpoint (API.md: 401 without/bad token, 403 wrong role,
404 for another tenant's object, exactly as for a missing one)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.shop.factories import ConsumerFactory, OrderFactory, ShopFactory, StreamerFactory, make_user

pytestmark = pytest.mark.django_db

ROLES = ["platform", "merchant", "streamer", "consumer", "reviewer"]


@pytest.fixture
def users(db):
    return {role: make_user(role, username=f"u-{role}") for role in ROLES}


def call(client, method, path, data=None):
    return getattr(client, method)(path, data, format="json") if data is not None else getattr(client, method)(path)


ENDPOINTS = [
    # (method, path, body, roles allowed)
    ("post", "/api/v1/platform/sync", {}, {"platform"}),
    (
        "post",
        "/api/v1/platform/orders/NOPE/events",
        {"type": "shipped", "at": "2026-01-01T00:00:00+08:00"},
        {"platform"},
    ),
    ("get", "/api/v1/orders/NOPE", None, {"merchant", "streamer", "consumer"}),
    ("get", "/api/v1/notifications", None, {"merchant", "streamer", "consumer", "reviewer"}),
    ("post", "/api/v1/notifications/999999/read", {}, {"merchant", "streamer", "consumer", "reviewer"}),
    ("post", "/api/v1/uploads", {}, {"merchant", "streamer", "consumer"}),
]


@pytest.mark.parametrize(("method", "path", "body", "allowed"), ENDPOINTS)
def test_endpoint_without_token_is_401(api_client, method, path, body, allowed):
    resp = call(api_client, method, path, body)
    assert resp.status_code == 401
    assert resp.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(("method", "path", "body", "allowed"), ENDPOINTS)
def test_endpoint_with_bad_token_is_401(api_client, method, path, body, allowed):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert call(api_client, method, path, body).status_code == 401


@pytest.mark.parametrize(("method", "path", "body", "allowed"), ENDPOINTS)
@pytest.mark.parametrize("role", ROLES)
def test_endpoint_role_matrix(client_for, users, role, method, path, body, allowed):
    resp = call(client_for(users[role]), method, path, body)
    if role in allowed:
        assert resp.status_code not in (401, 403), resp.content
    else:
        assert resp.status_code == 403
        assert resp.json()["code"] == "permission_denied"


def test_token_wrong_credentials_is_400(api_client, users):
    resp = api_client.post("/api/v1/auth/token", {"username": "u-merchant", "password": "nope"}, format="json")
    assert resp.status_code == 400
    assert resp.json()["code"] == "invalid"


def test_token_issued_and_usable(api_client, users):
    resp = api_client.post("/api/v1/auth/token", {"username": "u-merchant", "password": "pass-word-123"}, format="json")
    assert resp.status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {resp.json()['token']}")
    assert api_client.get("/api/v1/notifications").status_code == 200


def test_order_visible_to_its_parties_and_404_for_others(client_for):
    shop, other_shop = ShopFactory(), ShopFactory()
    streamer, other_streamer = StreamerFactory(), StreamerFactory()
    consumer, other_consumer = ConsumerFactory(), ConsumerFactory()
    order = OrderFactory(consumer=consumer, product__shop=shop, streamer=streamer)
    own = [
        make_user("merchant", shop=shop),
        make_user("streamer", streamer=streamer),
        make_user("consumer", consumer=consumer),
    ]
    others = [
        make_user("merchant", shop=other_shop),
        make_user("streamer", streamer=other_streamer),
        make_user("consumer", consumer=other_consumer),
    ]
    for user in own:
        resp = client_for(user).get(f"/api/v1/orders/{order.code}")
        assert resp.status_code == 200
        assert resp.json()["code"] == order.code
    for user in others:
        resp = client_for(user).get(f"/api/v1/orders/{order.code}")
        assert resp.status_code == 404
        assert resp.json()["code"] == "not_found"


def test_order_marks_hidden_for_risk_consumer_tp7_szb15(client_for):
    consumer = ConsumerFactory(risk=True)
    order = OrderFactory(consumer=consumer, trust_label=True, shizaibao_covered=True)
    body = client_for(make_user("consumer", consumer=consumer)).get(f"/api/v1/orders/{order.code}").json()
    assert body["trust_label"] is False and body["shizaibao_covered"] is False
    assert body["marks"] == {"trust": [], "shizaibao": []}


def test_order_marks_surfaces_tp4_szb4(client_for):
    consumer = ConsumerFactory()
    order = OrderFactory(consumer=consumer, trust_label=True, shizaibao_covered=True, placed_at=timezone.now())
    body = client_for(make_user("consumer", consumer=consumer)).get(f"/api/v1/orders/{order.code}").json()
    assert body["marks"]["trust"] == ["cart_list", "product_detail", "checkout", "order_detail"]
    assert body["marks"]["shizaibao"] == ["cart_list", "checkout", "order_detail", "order_list"]


def test_notification_of_another_user_is_404(client_for, users):
    from shop.notify import notify

    notify(users=[users["merchant"]], kind="claim_filed", text="hello")
    note = users["merchant"].notifications.get()
    assert client_for(users["consumer"]).post(f"/api/v1/notifications/{note.pk}/read").status_code == 404
    resp = client_for(users["merchant"]).post(f"/api/v1/notifications/{note.pk}/read")
    assert resp.status_code == 200 and resp.json()["read"] is True
    listed = client_for(users["merchant"]).get("/api/v1/notifications").json()
    assert listed["count"] == 1 and listed["results"][0]["kind"] == "claim_filed"
    assert client_for(users["streamer"]).get("/api/v1/notifications").json()["count"] == 0


def test_pages_require_login_and_render(client, users):
    assert client.get("/").status_code == 302
    resp = client.get("/login/")
    assert resp.status_code == 200
    assert "登录" in resp.content.decode()  # Chinese by default (BX-8)
    client.force_login(users["merchant"])
    body = client.get("/").content.decode()
    assert "/rights/" in body and "/qualifications/" in body


def test_language_switch_to_english(client, users):
    client.force_login(users["merchant"])
    resp = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert resp.status_code == 302
    body = client.get("/").content.decode()
    assert "Rights centre" in body
    assert "Log out" in body


def test_admin_only_for_staff(client, users):
    client.force_login(users["merchant"])
    assert client.get("/admin/").status_code == 302
    client.force_login(users["reviewer"])
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/shop/order/").status_code == 200
