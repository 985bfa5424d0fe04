"""XT-3 fulfilment of a creator order: every transition and every refused one, scheduled
publishing exactly once, deadlines and reminders (BX-3), tenant isolation between creators."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from campaigns import services
from campaigns.models import CreatorOrder
from campaigns.services.fulfilment import TRANSITIONS
from campaigns.tasks import publish_due
from shop.models import Notification
from tests.campaigns.factories import certified_merchant, creator, task_body

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))
ORDERS = "/api/v1/xingtu/orders"


@pytest.fixture
def world(client_for, reviewer):
    merchant, _advertiser = certified_merchant(reviewer)
    c_user, streamer = creator("ST-CREATOR")
    m_api, c_api = client_for(merchant), client_for(c_user)
    r = m_api.post("/api/v1/xingtu/tasks", task_body(creators=[streamer.code]), format="json")
    assert r.status_code == 201, r.content
    order_id = r.json()["orders"][0]["id"]
    return {"m": m_api, "c": c_api, "order": order_id, "merchant": merchant, "creator": c_user, "streamer": streamer}


def post(api, order_id, path, body=None):
    return api.post(f"{ORDERS}/{order_id}/{path}", body or {}, format="json")


def to_script_review(w):
    assert post(w["c"], w["order"], "accept").status_code == 200
    r = post(w["c"], w["order"], "script", {"text": "开场试色，三个卖点。"})
    assert r.json()["status"] == "script_review"


def to_video_platform_review(w):
    to_script_review(w)
    assert post(w["m"], w["order"], "script/confirm").json()["status"] == "awaiting_video"
    r = post(w["c"], w["order"], "video", {"link": "https://v.douyin.com/abc/", "text": "caption"})
    assert r.json()["status"] == "video_platform_review"


def approve(reviewer_api, w):
    r = reviewer_api.post(
        f"/api/v1/xingtu/review/orders/{w['order']}/video-decision", {"approved": True}, format="json"
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "video_client_review"


def to_awaiting_publish(w, reviewer_api):
    to_video_platform_review(w)
    approve(reviewer_api, w)
    assert post(w["m"], w["order"], "video/confirm").json()["status"] == "awaiting_publish"


def test_xt3_transition_table_has_one_entry_per_action():
    assert set(TRANSITIONS) >= {
        "accept",
        "upload_script",
        "confirm_script",
        "reject_script",
        "upload_video",
        "platform_approve",
        "platform_reject",
        "confirm_video",
        "reject_video",
        "publish_now",
        "schedule_publish",
        "publish_due",
        "accept_video",
        "rate",
    }


def test_xt3_happy_path_publish_now_accept_and_rate(world, reviewer_api):
    w = world
    r = w["c"].get(f"{ORDERS}/{w['order']}")
    assert r.json()["status"] == "pending_acceptance" and r.json()["actions"] == ["accept", "decline"]
    to_awaiting_publish(w, reviewer_api)
    r = post(w["m"], w["order"], "publish", {"mode": "now"})
    assert r.status_code == 200 and r.json()["status"] == "published"
    assert r.json()["video_url"] == "https://v.douyin.com/abc/" and r.json()["published_at"]
    r = post(w["m"], w["order"], "complete")
    assert r.json()["status"] == "completed" and r.json()["completed_at"]
    r = post(w["m"], w["order"], "rating", {"score": 5, "comment": "效果很好"})
    assert r.status_code == 200 and r.json()["rating"] == 5
    assert post(w["m"], w["order"], "rating", {"score": 4}).json()["code"] == "already_rated"
    actions = [e["action"] for e in r.json()["timeline"]]
    assert actions == [
        "published",
        "accept",
        "upload_script",
        "confirm_script",
        "upload_video",
        "platform_approve",
        "confirm_video",
        "publish_now",
        "accept_video",
        "rate",
    ]
    kinds = [d["kind"] + ":" + d["verdict"] for d in r.json()["deliverables"]]
    assert kinds == ["script:confirmed", "video:confirmed"]


def test_xt3_creator_declines_and_client_cancels(world, client_for, reviewer):
    w = world
    r = post(w["c"], w["order"], "decline", {"reason": "档期已满"})
    assert r.json()["status"] == "declined"
    assert post(w["c"], w["order"], "accept").json()["code"] == "invalid_state"
    assert post(w["m"], w["order"], "cancel").json()["code"] == "invalid_state"


def test_xt3_client_cancels_before_the_script(world):
    assert post(world["m"], world["order"], "cancel", {"reason": "预算调整"}).json()["status"] == "cancelled"


def test_xt3_script_rejections_need_comments(world):
    to_script_review(world)
    r = post(world["m"], world["order"], "script/reject", {"comments": "  "})
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    assert CreatorOrder.objects.get(pk=world["order"]).status == "script_review"


def test_xt3_fourth_script_rejection_refused(world):
    w = world
    to_script_review(w)
    for n in range(1, 4):
        r = post(w["m"], w["order"], "script/reject", {"comments": f"第{n}次修改意见"})
        assert r.status_code == 200 and r.json()["status"] == "awaiting_script"
        assert r.json()["rejections_left"]["script"] == 3 - n
        post(w["c"], w["order"], "script", {"text": f"version {n + 1}"})
    r = post(w["m"], w["order"], "script/reject", {"comments": "还要改"})
    assert r.status_code == 409 and r.json()["code"] == "too_many_rejections"
    order = CreatorOrder.objects.get(pk=w["order"])
    assert order.status == "script_review" and order.script_rejections == 3
    assert post(w["m"], w["order"], "script/confirm").json()["status"] == "awaiting_video"
    rounds = [(d.round, d.verdict, d.comments) for d in order.deliverables.filter(kind="script")]
    assert rounds[0] == (1, "rejected", "第1次修改意见") and rounds[-1][:2] == (4, "confirmed")


def test_xt3_third_video_rejection_refused(world, reviewer_api):
    w = world
    to_video_platform_review(w)
    for n in (1, 2):
        approve(reviewer_api, w)
        r = post(w["m"], w["order"], "video/reject", {"comments": f"视频意见{n}"})
        assert r.status_code == 200 and r.json()["status"] == "awaiting_video"
        post(w["c"], w["order"], "video", {"link": f"https://v.douyin.com/v{n}/"})
    approve(reviewer_api, w)
    r = post(w["m"], w["order"], "video/reject", {"comments": "再改"})
    assert r.status_code == 409 and r.json()["code"] == "too_many_rejections"
    assert CreatorOrder.objects.get(pk=w["order"]).video_rejections == 2
    assert post(w["m"], w["order"], "video/confirm").json()["status"] == "awaiting_publish"


def test_xt3_confirm_before_platform_review_refused(world):
    to_video_platform_review(world)
    r = post(world["m"], world["order"], "video/confirm")
    assert r.status_code == 409 and r.json()["code"] == "video_under_review"
    r = post(world["m"], world["order"], "video/reject", {"comments": "x"})
    assert r.status_code == 409 and r.json()["code"] == "video_under_review"


def test_xt3_platform_rejection_sends_back_without_using_client_rejections(world, reviewer_api):
    w = world
    to_video_platform_review(w)
    r = reviewer_api.post(
        f"/api/v1/xingtu/review/orders/{w['order']}/video-decision", {"approved": False}, format="json"
    )
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    r = reviewer_api.post(
        f"/api/v1/xingtu/review/orders/{w['order']}/video-decision",
        {"approved": False, "reason": "含未授权音乐"},
        format="json",
    )
    assert r.json()["status"] == "awaiting_video" and r.json()["video_rejections"] == 0
    r = reviewer_api.post(
        f"/api/v1/xingtu/review/orders/{w['order']}/video-decision", {"approved": True}, format="json"
    )
    assert r.status_code == 409 and r.json()["code"] == "invalid_state"


def test_xt3_publish_before_confirm_refused(world, reviewer_api):
    w = world
    to_video_platform_review(w)
    approve(reviewer_api, w)
    r = post(w["m"], w["order"], "publish", {"mode": "now"})
    assert r.status_code == 409 and r.json()["code"] == "invalid_state"
    r = post(
        w["m"], w["order"], "publish", {"mode": "scheduled", "at": (timezone.now() + dt.timedelta(hours=2)).isoformat()}
    )
    assert r.status_code == 409 and r.json()["code"] == "invalid_state"
    assert post(w["m"], w["order"], "complete").json()["code"] == "invalid_state"


def test_xt3_out_of_order_steps_refused(world):
    w = world
    assert post(w["c"], w["order"], "script", {"text": "too early"}).json()["code"] == "invalid_state"
    assert post(w["m"], w["order"], "script/confirm").json()["code"] == "invalid_state"
    post(w["c"], w["order"], "accept")
    assert post(w["c"], w["order"], "video", {"link": "https://v.douyin.com/x/"}).json()["code"] == "invalid_state"
    assert post(w["m"], w["order"], "rating", {"score": 5}).json()["code"] == "invalid_state"


def test_xt3_wrong_party_cannot_act(world):
    w = world
    assert post(w["m"], w["order"], "accept").status_code == 403  # merchants cannot take creator actions
    to_script_review(w)
    assert post(w["c"], w["order"], "script/confirm").status_code == 403


def test_xt3_scheduled_publishing_rules(world, reviewer_api):
    w = world
    to_awaiting_publish(w, reviewer_api)
    past = (timezone.now() - dt.timedelta(minutes=1)).isoformat()
    r = post(w["m"], w["order"], "publish", {"mode": "scheduled", "at": past})
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    r = post(w["m"], w["order"], "publish", {"mode": "scheduled"})
    assert r.status_code == 400
    far = (timezone.now() + dt.timedelta(days=31)).isoformat()
    assert post(w["m"], w["order"], "publish", {"mode": "scheduled", "at": far}).status_code == 400
    assert CreatorOrder.objects.get(pk=w["order"]).status == "awaiting_publish"


def test_xt3_scheduled_publishing_happens_exactly_once_when_due(world, reviewer_api):
    w = world
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ), tick=False):
        to_awaiting_publish(w, reviewer_api)
        at = dt.datetime(2026, 3, 2, 20, 0, tzinfo=TZ)
        r = post(w["m"], w["order"], "publish", {"mode": "scheduled", "at": at.isoformat()})
        assert r.json()["status"] == "publish_scheduled"
    with time_machine.travel(at - dt.timedelta(seconds=1), tick=False):
        assert publish_due.apply().get() == 0
        assert CreatorOrder.objects.get(pk=w["order"]).status == "publish_scheduled"
    with time_machine.travel(at, tick=False):
        assert publish_due.apply().get() == 1
        assert publish_due.apply().get() == 0
        assert services.publish_due_orders() == 0
    order = CreatorOrder.objects.get(pk=w["order"])
    assert order.status == "published" and order.published_at == at
    assert order.events.filter(action="publish_due").count() == 1
    assert Notification.objects.filter(user=w["creator"], link=f"/xingtu/orders/{order.pk}/").exists()


def test_xt3_client_can_reschedule_or_publish_now_while_scheduled(world, reviewer_api):
    w = world
    to_awaiting_publish(w, reviewer_api)
    t1 = (timezone.now() + dt.timedelta(hours=5)).isoformat()
    t2 = (timezone.now() + dt.timedelta(hours=9)).isoformat()
    post(w["m"], w["order"], "publish", {"mode": "scheduled", "at": t1})
    r = post(w["m"], w["order"], "publish", {"mode": "scheduled", "at": t2})
    assert r.json()["status"] == "publish_scheduled"
    assert r.json()["publish_at"] == timezone.localtime(dt.datetime.fromisoformat(t2)).isoformat()
    r = post(w["m"], w["order"], "publish", {"mode": "now"})
    assert r.json()["status"] == "published"
    assert services.publish_due_orders(now=timezone.now() + dt.timedelta(days=1)) == 0


def test_xt3_rating_range_checked(world, reviewer_api):
    w = world
    to_awaiting_publish(w, reviewer_api)
    post(w["m"], w["order"], "publish", {"mode": "now"})
    post(w["m"], w["order"], "complete")
    assert post(w["m"], w["order"], "rating", {"score": 6}).json()["code"] == "invalid"
    assert post(w["m"], w["order"], "rating", {"score": 0}).json()["code"] == "invalid"


def test_bx3_each_step_has_a_deadline_and_reminder_is_sent_once(world):
    w = world
    order = CreatorOrder.objects.get(pk=w["order"])
    assert order.due_at is not None
    start = timezone.now()
    with time_machine.travel(order.due_at - dt.timedelta(hours=25), tick=False):
        assert services.deadline_reminders() == 0
    with time_machine.travel(order.due_at - dt.timedelta(hours=23), tick=False):
        assert services.deadline_reminders() == 1
        assert services.deadline_reminders() == 0
    assert Notification.objects.filter(user=w["creator"], kind="deadline_near").count() == 1
    post(w["c"], w["order"], "accept")
    order.refresh_from_db()
    assert order.due_at - start >= dt.timedelta(hours=120) - dt.timedelta(minutes=1)


def test_xt3_tenant_isolation_between_creators(world, client_for):
    w = world
    other_user, _st = creator("ST-OTHER")
    other = client_for(other_user)
    assert other.get(f"{ORDERS}/{w['order']}").status_code == 404
    assert post(other, w["order"], "accept").status_code == 404
    assert other.get(ORDERS).json()["count"] == 0
    assert w["c"].get(ORDERS).json()["count"] == 1
    assert CreatorOrder.objects.get(pk=w["order"]).status == "pending_acceptance"


def test_xt3_tenant_isolation_between_advertisers(world, client_for, reviewer):
    w = world
    other_merchant, _adv = certified_merchant(reviewer)
    other = client_for(other_merchant)
    to_script_review(w)
    assert other.get(f"{ORDERS}/{w['order']}").status_code == 404
    assert post(other, w["order"], "script/confirm").status_code == 404
    assert other.get(ORDERS).json()["count"] == 0
    task_id = CreatorOrder.objects.get(pk=w["order"]).task_id
    assert other.get(f"/api/v1/xingtu/tasks/{task_id}").status_code == 404
    assert w["m"].get(f"/api/v1/xingtu/tasks/{task_id}").status_code == 200


def test_xt3_cover_must_be_the_creators_own_upload(world, client_for):
    from tests.shop.factories import make_user

    w = world
    post(w["c"], w["order"], "accept")
    someone = make_user("streamer")
    from io import BytesIO

    from PIL import Image

    buf = BytesIO()
    Image.new("RGB", (20, 20), "red").save(buf, "PNG")
    buf.seek(0)
    buf.name = "c.png"
    up = client_for(someone).post("/api/v1/uploads", {"file": buf}, format="multipart").json()["id"]
    r = post(w["c"], w["order"], "script", {"text": "s", "cover": up})
    assert r.status_code == 400 and r.json()["code"] == "invalid_upload"
    assert CreatorOrder.objects.get(pk=w["order"]).status == "awaiting_script"
