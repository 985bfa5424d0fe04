"""Reviewer admin: actions call the same services as the API (XT-1, XT-3)."""

from __future__ import annotations

import pytest
from django.test import Client

from campaigns import services
from campaigns.models import Advertiser, CreatorOrder
from tests.campaigns.factories import certified_merchant, creator, task_body
from tests.shop.factories import ShopFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(reviewer):
    reviewer.is_superuser = True
    reviewer.save()
    c = Client()
    c.force_login(reviewer)
    return c


def _order_in_platform_review(reviewer):
    import datetime as dt

    merchant, adv = certified_merchant(reviewer)
    c_user, st = creator()
    body = task_body()
    body["publish_from"] = dt.date.fromisoformat(body["publish_from"])
    body["publish_until"] = dt.date.fromisoformat(body["publish_until"])
    task, _ = services.task_publish(advertiser=adv, actor=merchant, creators=[st.code], **body)
    order = task.orders.get()
    services.order_accept(order_id=order.pk, actor=c_user)
    services.script_upload(order_id=order.pk, actor=c_user, text="s")
    services.script_confirm(order_id=order.pk, actor=merchant)
    services.video_upload(order_id=order.pk, actor=c_user, link="https://v.douyin.com/z/")
    return order


def test_admin_lists_render(admin_client, reviewer):
    _order_in_platform_review(reviewer)
    for url in (
        "/admin/campaigns/advertiser/",
        "/admin/campaigns/task/",
        "/admin/campaigns/creatororder/?review=waiting",
        "/admin/campaigns/creatorprofile/",
        "/admin/campaigns/creatorselection/",
        "/admin/campaigns/creatororderevent/",
    ):
        assert admin_client.get(url).status_code == 200, url
    order = CreatorOrder.objects.get()
    assert admin_client.get(f"/admin/campaigns/creatororder/{order.pk}/change/").status_code == 200


def test_xt3_admin_approves_video(admin_client, reviewer):
    order = _order_in_platform_review(reviewer)
    r = admin_client.post("/admin/campaigns/creatororder/", {"action": "approve_video", "_selected_action": [order.pk]})
    assert r.status_code == 302
    assert CreatorOrder.objects.get(pk=order.pk).status == "video_client_review"


def test_xt3_admin_rejects_video_with_reason(admin_client, reviewer):
    order = _order_in_platform_review(reviewer)
    r = admin_client.post("/admin/campaigns/creatororder/", {"action": "reject_video", "_selected_action": [order.pk]})
    assert r.status_code == 200 and b"reason" in r.content
    r = admin_client.post(
        "/admin/campaigns/creatororder/",
        {"action": "reject_video", "_selected_action": [order.pk], "apply": "1", "reason": "画面含竞品"},
    )
    assert r.status_code == 302
    order.refresh_from_db()
    assert order.status == "awaiting_video" and order.deliverables.get(kind="video").comments == "画面含竞品"


def test_xt1_admin_records_transfer_and_unlocks(admin_client):
    merchant = make_user("merchant", shop=ShopFactory(code="S-ADM"))
    adv = services.advertiser_ensure(shop=merchant.shop_member.shop)
    services.bank_account_submit(
        advertiser_id=adv.pk, actor=merchant, company_name="x", bank_name="y", account_number="6214830012345678"
    )
    r = admin_client.post("/admin/campaigns/advertiser/", {"action": "record_transfer", "_selected_action": [adv.pk]})
    assert r.status_code == 302
    adv.refresh_from_db()
    assert adv.bank_status == "awaiting_entry"
    for _ in range(3):
        with pytest.raises(Exception):
            services.bank_transfer_verify(advertiser_id=adv.pk, actor=merchant, amount="5.00")
    admin_client.post("/admin/campaigns/advertiser/", {"action": "unlock_bank_check", "_selected_action": [adv.pk]})
    assert Advertiser.objects.get(pk=adv.pk).bank_status == "awaiting_transfer"
