"""实在宝 coverage decided at order intake (SZB-3 "next session", SZB-4, SZB-5, SZB-15) and
continued eligibility (SZB-18), through the integration API where the order arrives."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from guarantees import shizaibao
from guarantees.models import ShizaibaoAgreement, ShizaibaoEnrolment, ShizaibaoEvent
from guarantees.tasks_szb import szb_recheck_eligibility
from shop.models import Notification, Order
from tests.shop.factories import (
    CategoryFactory,
    ConsumerFactory,
    LiveSessionFactory,
    ProductFactory,
    StreamerFactory,
    make_user,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
SH = ZoneInfo("Asia/Shanghai")
OPENED = datetime(2026, 3, 1, 20, 0, 0, tzinfo=SH)


@pytest.fixture
def streamer(db):
    s = StreamerFactory(fans=2_000_000, experience_score=Decimal("4.80"), level=3)
    make_user("streamer", streamer=s)
    ShizaibaoAgreement.objects.create(version="v1", text="t", published_at=datetime(2020, 1, 1, tzinfo=SH))
    with time_machine.travel(OPENED - timedelta(days=1), tick=False):
        shizaibao.szb_invite(streamer=s)
    with time_machine.travel(OPENED, tick=False):
        shizaibao.szb_open(streamer=s, user=None, agree=True, agreement_version="v1", ip="10.0.0.1")
    return s


_n = iter(range(10_000))


def place(platform_api, *, streamer, started_at, category=None, consumer=None, with_session=True):
    """Push a live session and an order in it through POST /api/v1/platform/sync."""
    i = next(_n)
    product = ProductFactory(category=category or CategoryFactory())
    consumer = consumer or ConsumerFactory()
    doc = {
        "orders": [
            {
                "code": f"ORD-{i}",
                "consumer": consumer.code,
                "shop": product.shop.code,
                "product": product.code,
                "live_session": f"LS-{i}" if with_session else None,
                "streamer": streamer.code if with_session else None,
                "paid_amount": "100.00",
                "placed_at": (started_at + timedelta(minutes=5)).isoformat(),
            }
        ]
    }
    if with_session:
        doc["live_sessions"] = [{"code": f"LS-{i}", "streamer": streamer.code, "started_at": started_at.isoformat()}]
    with time_machine.travel(started_at + timedelta(minutes=10), tick=False):
        resp = platform_api.post("/api/v1/platform/sync", doc, format="json")
    assert resp.status_code == 200, resp.json()
    return Order.objects.get(code=f"ORD-{i}")


def test_szb3_session_started_exactly_at_opening_is_not_covered(platform_api, streamer):
    assert place(platform_api, streamer=streamer, started_at=OPENED).shizaibao_covered is False


def test_szb3_session_started_one_second_after_opening_is_covered(platform_api, streamer):
    assert place(platform_api, streamer=streamer, started_at=OPENED + timedelta(seconds=1)).shizaibao_covered is True


def test_szb3_session_already_live_at_opening_is_not_covered(platform_api, streamer):
    assert place(platform_api, streamer=streamer, started_at=OPENED - timedelta(hours=1)).shizaibao_covered is False


def test_szb4_order_outside_live_session_never_covered(platform_api, streamer):
    order = place(platform_api, streamer=streamer, started_at=OPENED + timedelta(days=1), with_session=False)
    assert order.shizaibao_covered is False


def test_szb4_other_streamer_session_not_covered(platform_api, streamer):
    other = StreamerFactory()
    assert place(platform_api, streamer=other, started_at=OPENED + timedelta(days=1)).shizaibao_covered is False


def test_szb5_excluded_category_not_covered(platform_api, streamer):
    excluded = CategoryFactory(szb_excluded=True)
    order = place(platform_api, streamer=streamer, started_at=OPENED + timedelta(days=1), category=excluded)
    assert order.shizaibao_covered is False


def test_szb5_child_of_excluded_category_not_covered(platform_api, streamer):
    luxury = CategoryFactory(szb_excluded=True)
    grandchild = CategoryFactory(parent=CategoryFactory(parent=luxury))
    order = place(platform_api, streamer=streamer, started_at=OPENED + timedelta(days=1), category=grandchild)
    assert order.shizaibao_covered is False


def test_szb15_risk_consumer_not_covered(platform_api, streamer, client_for):
    risky = ConsumerFactory(risk=True)
    order = place(platform_api, streamer=streamer, started_at=OPENED + timedelta(days=1), consumer=risky)
    assert order.shizaibao_covered is False
    api = client_for(make_user("consumer", consumer=risky))
    body = api.get(f"/api/v1/orders/{order.code}").json()
    assert body["shizaibao_covered"] is False
    assert body["marks"]["shizaibao"] == []


def test_szb4_covered_order_shows_mark_on_surfaces(platform_api, streamer, client_for):
    consumer = ConsumerFactory()
    order = place(platform_api, streamer=streamer, started_at=OPENED + timedelta(days=1), consumer=consumer)
    body = client_for(make_user("consumer", consumer=consumer)).get(f"/api/v1/orders/{order.code}").json()
    assert body["shizaibao_covered"] is True
    assert body["marks"]["shizaibao"] == ["cart_list", "checkout", "order_detail", "order_list"]


def test_szb4_coverage_fixed_at_placement(platform_api, streamer):
    """A later category change does not touch an order already placed."""
    cat = CategoryFactory()
    order = place(platform_api, streamer=streamer, started_at=OPENED + timedelta(days=1), category=cat)
    cat.szb_excluded = True
    cat.save()
    order.refresh_from_db()
    assert order.shizaibao_covered is True


# ---- SZB-18 ------------------------------------------------------------------------------------------
def test_szb18_recheck_suspends_for_future_sessions_only(platform_api, streamer):
    before = place(platform_api, streamer=streamer, started_at=OPENED + timedelta(days=1))
    assert before.shizaibao_covered is True
    streamer.fans = 1_000_000
    streamer.save()
    check_at = OPENED + timedelta(days=3)
    with time_machine.travel(check_at, tick=False):
        szb_recheck_eligibility.apply()
    enrolment = ShizaibaoEnrolment.objects.get(streamer=streamer)
    assert enrolment.status == "suspended"
    assert enrolment.last_check_passed is False
    assert Notification.objects.filter(kind="shizaibao_suspended").count() == 1
    # orders already covered stay covered
    before.refresh_from_db()
    assert before.shizaibao_covered is True
    # a session that started before the suspension still counts; one after it does not
    assert place(platform_api, streamer=streamer, started_at=check_at - timedelta(hours=1)).shizaibao_covered
    assert not place(platform_api, streamer=streamer, started_at=check_at + timedelta(seconds=1)).shizaibao_covered
    # running again changes nothing
    with time_machine.travel(check_at + timedelta(hours=1), tick=False):
        szb_recheck_eligibility.apply()
    assert ShizaibaoEvent.objects.filter(kind="suspended").count() == 1


def test_szb18_api_shows_suspended(platform_api, streamer, client_for):
    streamer.level = 1
    streamer.save()
    with time_machine.travel(OPENED + timedelta(days=2), tick=False):
        szb_recheck_eligibility.apply()
    api = client_for(streamer.users.get().user)
    body = api.get("/api/v1/streamer/shizaibao").json()
    assert body["status"] == "suspended"
    assert body["effective_from"] is None
    assert cond_passed(body, "level") is False


def cond_passed(body, name):
    return next(c["passed"] for c in body["conditions"] if c["name"] == name)


def test_szb18_reinstated_when_eligible_again_from_next_session(platform_api, streamer):
    streamer.fans = 10
    streamer.save()
    with time_machine.travel(OPENED + timedelta(days=2), tick=False):
        szb_recheck_eligibility.apply()
    streamer.fans = 5_000_000
    streamer.save()
    back = OPENED + timedelta(days=4)
    with time_machine.travel(back, tick=False):
        result = szb_recheck_eligibility.apply().get()
    assert result["reinstated"] == 1
    assert ShizaibaoEnrolment.objects.get(streamer=streamer).status == "open"
    assert not place(platform_api, streamer=streamer, started_at=OPENED + timedelta(days=3)).shizaibao_covered
    assert not place(platform_api, streamer=streamer, started_at=back).shizaibao_covered
    assert place(platform_api, streamer=streamer, started_at=back + timedelta(seconds=1)).shizaibao_covered


def test_szb18_no_auto_reinstate_when_setting_off(streamer):
    from shop.models import RuleSetting

    RuleSetting.objects.create(key="szb.auto_reinstate", value=False)
    streamer.fans = 10
    streamer.save()
    szb_recheck_eligibility.apply()
    streamer.fans = 5_000_000
    streamer.save()
    szb_recheck_eligibility.apply()
    assert ShizaibaoEnrolment.objects.get(streamer=streamer).status == "suspended"


def test_szb18_suspended_streamer_reopens_when_eligible(streamer, client_for):
    streamer.fans = 10
    streamer.save()
    szb_recheck_eligibility.apply()
    api = client_for(streamer.users.get().user)
    resp = api.post("/api/v1/streamer/shizaibao/open", {"agree": True, "agreement_version": "v1"}, format="json")
    assert resp.json()["code"] == "not_eligible"
    streamer.fans = 5_000_000
    streamer.save()
    resp = api.post("/api/v1/streamer/shizaibao/open", {"agree": True, "agreement_version": "v1"}, format="json")
    assert resp.status_code == 200
    assert resp.json()["status"] == "open"


def test_szb18_live_session_helper_reads_events_strictly_before(streamer):
    live = LiveSessionFactory(streamer=streamer, started_at=OPENED + timedelta(microseconds=1))
    assert shizaibao.session_covered(live) is True
    assert shizaibao.session_covered(LiveSessionFactory(streamer=streamer, started_at=None)) is False


# ---- import through sync (SZB-3) -----------------------------------------------------------------------
def streamer_doc(code, szb):
    return {
        "streamers": [
            {
                "code": code,
                "name": "导入主播",
                "fans": 3_000_000,
                "experience_score": "4.90",
                "level": 3,
                "shizaibao": szb,
            }
        ]
    }


def test_szb3_import_keeps_original_times_and_is_idempotent(platform_api):
    invited = datetime(2025, 1, 1, 9, 0, tzinfo=SH)
    opened = datetime(2025, 1, 2, 9, 0, tzinfo=SH)
    doc = streamer_doc(
        "ST-IMP", {"invited_at": invited.isoformat(), "opened_at": opened.isoformat(), "agreement_version": "v0"}
    )
    resp = platform_api.post("/api/v1/platform/sync", doc, format="json")
    assert resp.status_code == 200, resp.json()
    assert resp.json()["changed"]["streamers"] == 1
    enrolment = ShizaibaoEnrolment.objects.get(streamer__code="ST-IMP")
    assert (enrolment.invited_at, enrolment.opened_at, enrolment.agreement_version) == (invited, opened, "v0")
    assert enrolment.status == "open" and enrolment.imported
    again = platform_api.post("/api/v1/platform/sync", doc, format="json")
    assert again.json()["changed"]["streamers"] == 0
    assert ShizaibaoEvent.objects.filter(enrolment=enrolment).count() == 2
    # coverage follows the original opening time
    s = enrolment.streamer
    assert shizaibao.session_covered(LiveSessionFactory(streamer=s, started_at=opened + timedelta(seconds=1)))
    assert not shizaibao.session_covered(LiveSessionFactory(streamer=s, started_at=opened))


def test_szb3_import_conflicting_opening_rejects_whole_document(platform_api):
    opened = datetime(2025, 1, 2, 9, 0, tzinfo=SH)
    ok = {"opened_at": opened.isoformat(), "agreement_version": "v0"}
    platform_api.post("/api/v1/platform/sync", streamer_doc("ST-IMP", ok), format="json")
    bad = {"opened_at": (opened + timedelta(days=1)).isoformat(), "agreement_version": "v0"}
    doc = streamer_doc("ST-IMP", bad)
    doc["consumers"] = [{"code": "C-NEW"}]
    resp = platform_api.post("/api/v1/platform/sync", doc, format="json")
    assert resp.status_code == 400
    assert resp.json()["errors"]["streamers"]["0"]["code"] == "shizaibao_conflict"
    from shop.models import Consumer

    assert not Consumer.objects.filter(code="C-NEW").exists()


@pytest.mark.parametrize(
    "szb",
    [
        {"opened_at": "not a time", "agreement_version": "v0"},
        {"opened_at": "2025-01-02T09:00:00+08:00"},
        {"invited_at": "2025-01-03T09:00:00+08:00", "opened_at": "2025-01-02T09:00:00+08:00", "agreement_version": "v"},
        {"opened_at": "2999-01-02T09:00:00+08:00", "agreement_version": "v0"},
        {"opened_at": "2025-01-02T09:00:00", "agreement_version": "v0"},
        {"surprise": 1},
    ],
)
def test_szb3_import_bad_enrolment_is_item_error(platform_api, szb):
    resp = platform_api.post("/api/v1/platform/sync", streamer_doc("ST-BAD", szb), format="json")
    assert resp.status_code == 400
    assert resp.json()["code"] == "invalid_sync"
    assert "0" in resp.json()["errors"]["streamers"]
    assert not ShizaibaoEnrolment.objects.exists()


def test_szb3_import_invitation_only(platform_api):
    doc = streamer_doc("ST-INV", {"invited_at": "2025-01-03T09:00:00+08:00"})
    assert platform_api.post("/api/v1/platform/sync", doc, format="json").json()["changed"]["streamers"] == 1
    enrolment = ShizaibaoEnrolment.objects.get()
    assert enrolment.invited and enrolment.status == "not_open" and enrolment.invite_source == "import"
