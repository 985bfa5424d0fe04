"""巨量星图 pages render for the advertiser and the creator, post through the services, and
keep tenants apart (another tenant's object → 404)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from campaigns import services
from campaigns.models import Advertiser, CreatorOrder, CreatorSelection, Task
from tests.campaigns.factories import certified_merchant, creator, ensure_license_type, task_body
from tests.shop.factories import ShopFactory, make_user

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def setup(reviewer):
    merchant, advertiser = certified_merchant(reviewer)
    c_user, streamer = creator("ST-PAGE")
    return merchant, advertiser, c_user, streamer


def test_xt_index_shows_advertiser_dashboard_and_creator_my_tasks(setup):
    merchant, _adv, c_user, _st = setup
    r = browser(merchant).get("/xingtu/")
    assert r.status_code == 200 and "campaigns/task_list.html" in [t.name for t in r.templates]
    r = browser(c_user).get("/xingtu/")
    assert r.status_code == 200 and "campaigns/order_mine.html" in [t.name for t in r.templates]


def test_xt1_certification_page_runs_every_step(client_for, reviewer):
    ensure_license_type()
    merchant = make_user("merchant", shop=ShopFactory(code="S-PG"))
    b = browser(merchant)
    r = b.get("/xingtu/certification/")
    assert r.status_code == 200 and 'name="q-license_number"' in r.content.decode()
    r = b.post(
        "/xingtu/certification/",
        {"step": "qualification", "q-company_name": "上海美美", "q-license_number": "91310000X"},
    )
    assert r.status_code == 302
    r = b.post(
        "/xingtu/certification/",
        {"step": "bank_account", "company_name": "上海美美", "bank_name": "招行", "account_number": "6214830012345678"},
    )
    assert r.status_code == 302
    adv = Advertiser.objects.get(shop__code="S-PG")
    services.bank_transfer_record(advertiser_id=adv.pk, actor=reviewer, amount="0.42")
    r = b.post("/xingtu/certification/", {"step": "verify", "amount": "0.41"}, follow=True)
    assert "2" in r.content.decode()  # attempts left shown
    b.post("/xingtu/certification/", {"step": "verify", "amount": "0.42"})
    r = b.post("/xingtu/certification/", {"step": "agreement", "agreement_version": "2024.1"})
    assert r.status_code == 400  # not ticked
    b.post("/xingtu/certification/", {"step": "agreement", "agree": "on", "agreement_version": "2024.1"})
    adv.refresh_from_db()
    assert adv.bank_status == "verified" and adv.agreement_version == "2024.1"
    assert services.certification_state(advertiser=adv)["missing_steps"] == ["qualification"]


def test_xt2_square_select_remove_and_publish_through_pages(setup):
    merchant, adv, _c, _st = setup
    b = browser(merchant)
    r = b.get("/xingtu/creators/?fans_min=1")
    assert r.status_code == 200 and "ST-PAGE" in r.content.decode()
    b.post("/xingtu/creators/", {"creators": ["ST-PAGE"]})
    assert CreatorSelection.objects.filter(advertiser=adv).count() == 1
    b.post("/xingtu/creators/", {"remove": "ST-PAGE"})
    assert CreatorSelection.objects.filter(advertiser=adv).count() == 0
    b.post("/xingtu/creators/", {"creators": ["ST-PAGE"]})
    r = b.get("/xingtu/tasks/new/")
    assert r.status_code == 200 and "ST-PAGE" in r.content.decode()
    body = task_body(key="web-1")
    r = b.post("/xingtu/tasks/new/", body)
    task = Task.objects.get(advertiser=adv)
    assert r.status_code == 302 and r["Location"] == f"/xingtu/tasks/{task.pk}/"
    assert b.get(f"/xingtu/tasks/{task.pk}/").status_code == 200


def test_xt2_publish_page_shows_refusal_when_not_certified(client_for):
    merchant = make_user("merchant")
    _u, st = creator()
    b = browser(merchant)
    b.post("/xingtu/creators/", {"creators": [st.code]})
    r = b.post("/xingtu/tasks/new/", task_body())
    assert r.status_code == 400 and Task.objects.count() == 0
    assert "certification" in r.content.decode().lower() or "认证" in r.content.decode()


def test_xt3_order_page_walks_the_flow(setup, reviewer):
    merchant, adv, c_user, st = setup
    task, _ = services.task_publish(advertiser=adv, actor=merchant, creators=[st.code], **_dates())
    order = task.orders.get()
    m, c = browser(merchant), browser(c_user)
    url = f"/xingtu/orders/{order.pk}/"
    assert c.get(url).status_code == 200
    assert c.post(url, {"action": "accept"}).status_code == 302
    assert c.post(url, {"action": "upload_script", "upload_script-text": "脚本 v1"}).status_code == 302
    r = m.post(url, {"action": "reject_script", "reject_script-comments": ""})
    assert r.status_code == 400  # comments required
    assert m.post(url, {"action": "confirm_script"}).status_code == 302
    c.post(url, {"action": "upload_video", "upload_video-link": "https://v.douyin.com/p/"})
    r = m.get(url)
    assert "platform review" in r.content.decode() or "平台" in r.content.decode()
    services.video_platform_decide(order_id=order.pk, actor=reviewer, approved=True)
    m.post(url, {"action": "confirm_video"})
    at = (timezone.localtime() + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    assert m.post(url, {"action": "publish", "publish-mode": "scheduled", "publish-at": at}).status_code == 302
    assert CreatorOrder.objects.get(pk=order.pk).status == "publish_scheduled"
    m.post(url, {"action": "publish", "publish-mode": "now"})
    m.post(url, {"action": "accept_video"})
    m.post(url, {"action": "rate", "rate-score": "4", "rate-comment": "好"})
    order.refresh_from_db()
    assert order.status == "completed" and order.rating == 4


def test_xt3_action_not_offered_in_this_state_is_refused(setup):
    merchant, adv, _c_user, st = setup
    task, _ = services.task_publish(advertiser=adv, actor=merchant, creators=[st.code], **_dates())
    order = task.orders.get()
    r = browser(merchant).post(f"/xingtu/orders/{order.pk}/", {"action": "confirm_video"})
    assert r.status_code == 302
    assert CreatorOrder.objects.get(pk=order.pk).status == "pending_acceptance"


def test_xt_pages_tenant_isolation(setup, reviewer):
    merchant, adv, _c_user, st = setup
    task, _ = services.task_publish(advertiser=adv, actor=merchant, creators=[st.code], **_dates())
    order = task.orders.get()
    other_m, _ = certified_merchant(reviewer)
    other_c, _ = creator("ST-NOSY")
    assert browser(other_m).get(f"/xingtu/orders/{order.pk}/").status_code == 404
    assert browser(other_m).get(f"/xingtu/tasks/{task.pk}/").status_code == 404
    assert browser(other_c).get(f"/xingtu/orders/{order.pk}/").status_code == 404
    assert browser(other_c).post(f"/xingtu/orders/{order.pk}/", {"action": "accept"}).status_code == 404


def test_xt_pages_roles(setup):
    _m, _a, c_user, _st = setup
    consumer = make_user("consumer")
    assert browser(consumer).get("/xingtu/").status_code == 403
    assert browser(c_user).get("/xingtu/creators/").status_code == 403
    assert Client().get("/xingtu/").status_code == 302


def test_xt2_creator_card_page(setup):
    _m, _a, c_user, _st = setup
    b = browser(c_user)
    assert b.get("/xingtu/profile/").status_code == 200
    r = b.post(
        "/xingtu/profile/", {"listed": "on", "content_types": ["food"], "price_short": "100", "price_long": "200"}
    )
    assert r.status_code == 302


def _dates() -> dict:
    body = task_body()
    body["publish_from"] = dt.date.fromisoformat(body["publish_from"])
    body["publish_until"] = dt.date.fromisoformat(body["publish_until"])
    return body
