"""TP-5 dedicated trust live rooms (信任购专场): switch, guide prompt, cart rules, removal."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from guarantees.models import TrustGuideShown
from shop.models import CartItem, Notification
from tests.guarantees.trust_helpers import labelled_product, merchant_of, trust_shop
from tests.shop.factories import LiveSessionFactory, StreamerFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def streamer():
    return StreamerFactory()


@pytest.fixture
def user(streamer):
    return make_user("streamer", streamer=streamer)


@pytest.fixture
def api(client_for, user):
    return client_for(user)


@pytest.fixture
def scheduled(streamer):
    return LiveSessionFactory(streamer=streamer, started_at=None)


def test_tp5_trust_only_switch_before_start_with_one_time_guide(api, scheduled, streamer):
    res = api.patch(f"/api/v1/streamer/live-sessions/{scheduled.code}", {"trust_only": True}, format="json")
    assert res.status_code == 200
    assert res.json()["trust_only"] is True
    assert res.json()["guide_prompt"] == "直播间上线信任购专场服务"
    assert TrustGuideShown.objects.filter(streamer=streamer).exists()
    other = LiveSessionFactory(streamer=streamer, started_at=None)
    res = api.patch(f"/api/v1/streamer/live-sessions/{other.code}", {"trust_only": True}, format="json")
    assert res.json()["guide_prompt"] is None  # shown once per streamer
    res = api.patch(f"/api/v1/streamer/live-sessions/{other.code}", {"trust_only": False}, format="json")
    assert res.json()["trust_only"] is False


def test_tp5_switch_refused_once_session_started(api, streamer):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        live = LiveSessionFactory(streamer=streamer, started_at=now)
        res = api.patch(f"/api/v1/streamer/live-sessions/{live.code}", {"trust_only": True}, format="json")
    assert res.status_code == 409 and res.json()["code"] == "session_started"
    live.refresh_from_db()
    assert live.trust_only is False


def test_tp5_switch_allowed_one_second_before_scheduled_start(api, streamer):
    now = timezone.now()
    session = LiveSessionFactory(streamer=streamer, started_at=now + timedelta(seconds=1))
    with time_machine.travel(now, tick=False):
        res = api.patch(f"/api/v1/streamer/live-sessions/{session.code}", {"trust_only": True}, format="json")
    assert res.status_code == 200


def test_tp5_other_streamers_session_is_404(api):
    foreign = LiveSessionFactory(started_at=None)
    assert (
        api.patch(f"/api/v1/streamer/live-sessions/{foreign.code}", {"trust_only": True}, format="json").status_code
        == 404
    )
    assert api.get(f"/api/v1/streamer/live-sessions/{foreign.code}/cart").status_code == 404


def test_tp5_cart_refuses_flash_sale_first_then_unlabelled(api, scheduled):
    scheduled.trust_only = True
    scheduled.save()
    flash_unlabelled = labelled_product(source="taobao", flash_sale=True)
    res = api.post(
        f"/api/v1/streamer/live-sessions/{scheduled.code}/cart", {"product": flash_unlabelled.code}, format="json"
    )
    assert res.status_code == 409 and res.json()["code"] == "flash_sale_not_allowed"
    flash_labelled = labelled_product(flash_sale=True)
    assert flash_labelled.trust_label is True
    res = api.post(
        f"/api/v1/streamer/live-sessions/{scheduled.code}/cart", {"product": flash_labelled.code}, format="json"
    )
    assert res.json()["code"] == "flash_sale_not_allowed"
    plain = labelled_product(source="youzan")
    res = api.post(f"/api/v1/streamer/live-sessions/{scheduled.code}/cart", {"product": plain.code}, format="json")
    assert res.status_code == 409 and res.json()["code"] == "not_trust_labelled"
    ok = labelled_product()
    res = api.post(f"/api/v1/streamer/live-sessions/{scheduled.code}/cart", {"product": ok.code}, format="json")
    assert res.status_code == 201 and res.json()["trust_label"] is True
    again = api.post(f"/api/v1/streamer/live-sessions/{scheduled.code}/cart", {"product": ok.code}, format="json")
    assert again.status_code == 200
    cart = api.get(f"/api/v1/streamer/live-sessions/{scheduled.code}/cart").json()
    assert [(c["product"], c["trust_label"]) for c in cart] == [(ok.code, True)]
    assert set(cart[0]) >= {"product", "title", "trust_label", "added_at"}


def test_tp5_ordinary_session_accepts_any_product(api, scheduled):
    p = labelled_product(source="taobao", flash_sale=True)
    res = api.post(f"/api/v1/streamer/live-sessions/{scheduled.code}/cart", {"product": p.code}, format="json")
    assert res.status_code == 201 and res.json()["trust_label"] is False


def test_tp5_unknown_product_is_400(api, scheduled):
    res = api.post(f"/api/v1/streamer/live-sessions/{scheduled.code}/cart", {"product": "NOPE"}, format="json")
    assert res.status_code == 400 and res.json()["code"] == "invalid"


def test_tp5_product_losing_label_leaves_trust_cart_and_streamer_is_told(api, client_for, streamer, user):
    shop = trust_shop()
    p = labelled_product(shop)
    live = LiveSessionFactory(streamer=streamer, started_at=None, trust_only=True)
    ordinary = LiveSessionFactory(streamer=streamer, started_at=None)
    api.post(f"/api/v1/streamer/live-sessions/{live.code}/cart", {"product": p.code}, format="json")
    api.post(f"/api/v1/streamer/live-sessions/{ordinary.code}/cart", {"product": p.code}, format="json")
    merchant = client_for(merchant_of(shop))
    assert merchant.put("/api/v1/shop/services/fast_refund", {"enabled": False}, format="json").status_code == 200
    assert not CartItem.objects.filter(session=live).exists()
    assert CartItem.objects.filter(session=ordinary).exists()  # only trust-only rooms are swept
    note = Notification.objects.get(user=user, kind="cart_removed")
    assert p.title in note.text and "极速退款" in note.text
    listed = api.get("/api/v1/notifications").json()["results"]
    assert listed[0]["kind"] == "cart_removed"


def test_tp5_turning_on_trust_only_removes_ineligible_cart_products(api, scheduled):
    ok, bad = labelled_product(), labelled_product(source="mokuai")
    for p in (ok, bad):
        api.post(f"/api/v1/streamer/live-sessions/{scheduled.code}/cart", {"product": p.code}, format="json")
    res = api.patch(f"/api/v1/streamer/live-sessions/{scheduled.code}", {"trust_only": True}, format="json")
    assert res.json()["removed_from_cart"] == [bad.code]
    assert [c["product"] for c in api.get(f"/api/v1/streamer/live-sessions/{scheduled.code}/cart").json()] == [ok.code]


def test_tp5_merchant_cannot_use_streamer_endpoints(client_for, scheduled):
    merchant = client_for(merchant_of(trust_shop()))
    assert (
        merchant.patch(
            f"/api/v1/streamer/live-sessions/{scheduled.code}", {"trust_only": True}, format="json"
        ).status_code
        == 403
    )
