"""实在宝 eligibility, invitation and opening through the API (SZB-1, SZB-2, SZB-3)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings

from guarantees import shizaibao
from guarantees.models import ShizaibaoAgreement, ShizaibaoEnrolment, ShizaibaoEvent, ShizaibaoRequest
from shop.models import Notification, RuleSetting
from tests.shop.factories import StreamerFactory, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
SH = ZoneInfo("Asia/Shanghai")
URL = "/api/v1/streamer/shizaibao"


@pytest.fixture
def agreement(db):
    return ShizaibaoAgreement.objects.create(
        version="v2", text="协议正文", published_at=datetime(2020, 1, 1, tzinfo=SH)
    )


@pytest.fixture
def streamer(db):
    return StreamerFactory(fans=2_000_000, experience_score=Decimal("4.80"), level=3)


@pytest.fixture
def streamer_api(client_for, streamer):
    return client_for(make_user("streamer", streamer=streamer))


def invite(streamer):
    return shizaibao.szb_invite(streamer=streamer)


def cond(body, name):
    return next(c for c in body["conditions"] if c["name"] == name)


# ---- SZB-1 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("fans", "passed"), [(1_000_000, False), (1_000_001, True)])
def test_szb1_fans_must_exceed_one_million(streamer_api, streamer, fans, passed):
    streamer.fans = fans
    streamer.save()
    body = streamer_api.get(URL).json()
    assert cond(body, "fans") == {
        "name": "fans",
        "value": fans,
        "required": 1_000_000,
        "comparison": "gt",
        "passed": passed,
    }
    assert body["eligible"] is passed


@pytest.mark.parametrize(("score", "passed"), [("4.50", False), ("4.51", True)])
def test_szb1_experience_score_must_exceed_4_5(streamer_api, streamer, score, passed):
    streamer.experience_score = Decimal(score)
    streamer.save()
    body = streamer_api.get(URL).json()
    assert cond(body, "experience_score")["value"] == score
    assert cond(body, "experience_score")["required"] == "4.50"
    assert cond(body, "experience_score")["passed"] is passed
    assert body["eligible"] is passed


@pytest.mark.parametrize(("level", "passed"), [(1, False), (2, True)])
def test_szb1_level_at_least_l2(streamer_api, streamer, level, passed):
    streamer.level = level
    streamer.save()
    body = streamer_api.get(URL).json()
    assert cond(body, "level")["passed"] is passed
    assert body["eligible"] is passed


def test_szb1_recent_violation_check_registry_and_90_day_window(streamer_api, streamer, monkeypatch):
    seen = {}

    def check(s, since):
        seen["since"] = since
        return s.pk == streamer.pk

    monkeypatch.setattr(shizaibao, "recent_violation_checks", [check])
    with time_machine.travel(datetime(2026, 5, 1, 10, 0, tzinfo=SH), tick=False):
        body = streamer_api.get(URL).json()
    assert cond(body, "no_recent_violation")["passed"] is False
    assert body["eligible"] is False
    assert seen["since"] == datetime(2026, 1, 31, 10, 0, tzinfo=SH)  # exactly 90 × 24 h before


def test_szb1_no_registered_violation_check_passes(streamer_api, monkeypatch):
    monkeypatch.setattr(shizaibao, "recent_violation_checks", [])
    assert cond(streamer_api.get(URL).json(), "no_recent_violation")["passed"] is True


def test_szb1_thresholds_are_settings(streamer_api, streamer):
    RuleSetting.objects.create(key="szb.min_fans_exclusive", value=3_000_000)
    assert cond(streamer_api.get(URL).json(), "fans")["passed"] is False


def test_szb_get_shape_before_invitation(streamer_api, agreement):
    body = streamer_api.get(URL).json()
    assert body["invited"] is False
    assert body["status"] == "not_open"
    assert body["effective_from"] is None
    assert body["agreement"]["version"] == "v2"
    assert body["agreement"]["text"] == "协议正文"
    assert [c["name"] for c in body["conditions"]] == ["fans", "experience_score", "level", "no_recent_violation"]


def test_szb_api_roles(api_client, client_for, streamer):
    assert api_client.get(URL).status_code == 401
    merchant = client_for(make_user("merchant"))
    resp = merchant.get(URL)
    assert resp.status_code == 403
    assert resp.json()["code"] == "permission_denied"


# ---- SZB-2 -----------------------------------------------------------------------------------------
def test_szb2_reviewer_invites_by_api(reviewer_api, streamer, streamer_api):
    user = streamer.users.get().user
    resp = reviewer_api.post(f"/api/v1/review/streamers/{streamer.code}/invite")
    assert resp.status_code == 200
    assert resp.json()["invited"] is True
    assert resp.json()["status"] == "not_open"
    assert streamer_api.get(URL).json()["invited"] is True
    assert Notification.objects.filter(user=user, kind="shizaibao_invited").count() == 1
    # idempotent: a second invite keeps the first time and writes no event
    first = ShizaibaoEnrolment.objects.get(streamer=streamer).invited_at
    assert reviewer_api.post(f"/api/v1/review/streamers/{streamer.code}/invite").status_code == 200
    assert ShizaibaoEnrolment.objects.get(streamer=streamer).invited_at == first
    assert ShizaibaoEvent.objects.filter(kind="invited").count() == 1


def test_szb2_invite_unknown_streamer_404_and_roles(reviewer_api, streamer_api, streamer):
    resp = reviewer_api.post("/api/v1/review/streamers/NOPE/invite")
    assert resp.status_code == 404
    assert resp.json()["code"] == "not_found"
    assert streamer_api.post(f"/api/v1/review/streamers/{streamer.code}/invite").status_code == 403


def test_szb2_not_invited_streamer_leaves_a_request(streamer_api, streamer):
    resp = streamer_api.post(URL + "/requests", {"message": "请邀请我", "contact": "wx: star"}, format="json")
    assert resp.status_code == 201
    assert resp.json()["status"] == "pending"
    # a repeat updates the one pending request
    resp2 = streamer_api.post(URL + "/requests", {"message": "再次申请"}, format="json")
    assert resp2.json()["id"] == resp.json()["id"]
    assert ShizaibaoRequest.objects.get().message == "再次申请"
    assert streamer_api.get(URL).json()["request"]["id"] == resp.json()["id"]


def test_szb2_invitation_marks_pending_request_invited(streamer, reviewer, reviewer_api):
    req = shizaibao.szb_request_create(streamer=streamer, message="hi")
    reviewer_api.post(f"/api/v1/review/streamers/{streamer.code}/invite")
    req.refresh_from_db()
    assert req.status == "invited"
    assert req.handled_by == reviewer


def test_szb2_beat_job_invites_only_eligible(streamer):
    small = StreamerFactory(fans=1_000_000)
    low = StreamerFactory(experience_score=Decimal("4.50"))
    from guarantees.tasks_szb import szb_auto_invite

    assert szb_auto_invite.apply().get() == 1
    assert ShizaibaoEnrolment.objects.get(streamer=streamer).invite_source == "auto"
    assert not ShizaibaoEnrolment.objects.filter(streamer__in=[small, low]).exists()
    assert szb_auto_invite.apply().get() == 0  # safe to run twice


# ---- SZB-3 -------------------------------------------------------------------------------------------
def test_szb3_open_not_ticked_is_agreement_required(streamer_api, streamer, agreement):
    invite(streamer)
    for body in ({"agree": False, "agreement_version": "v2"}, {}):
        resp = streamer_api.post(URL + "/open", body, format="json")
        assert resp.status_code == 400
        assert resp.json()["code"] == "agreement_required"


def test_szb3_open_old_version_is_agreement_outdated(streamer_api, streamer, agreement):
    ShizaibaoAgreement.objects.create(version="v1", text="old", published_at=datetime(2019, 1, 1, tzinfo=SH))
    invite(streamer)
    resp = streamer_api.post(URL + "/open", {"agree": True, "agreement_version": "v1"}, format="json")
    assert resp.status_code == 400
    assert resp.json()["code"] == "agreement_outdated"


def test_szb3_unpublished_version_is_not_current(streamer_api, streamer, agreement):
    ShizaibaoAgreement.objects.create(version="v3", text="draft", published_at=None)
    invite(streamer)
    resp = streamer_api.post(URL + "/open", {"agree": True, "agreement_version": "v3"}, format="json")
    assert resp.json()["code"] == "agreement_outdated"


def test_szb3_open_not_invited_403(streamer_api, agreement):
    resp = streamer_api.post(URL + "/open", {"agree": True, "agreement_version": "v2"}, format="json")
    assert resp.status_code == 403
    assert resp.json()["code"] == "not_invited"


def test_szb3_open_not_eligible_403(streamer_api, streamer, agreement):
    invite(streamer)
    streamer.fans = 1_000_000
    streamer.save()
    resp = streamer_api.post(URL + "/open", {"agree": True, "agreement_version": "v2"}, format="json")
    assert resp.status_code == 403
    assert resp.json()["code"] == "not_eligible"
    assert ShizaibaoEnrolment.objects.get(streamer=streamer).status == "not_open"


def test_szb3_open_201_stores_version_time_ip_then_200(streamer_api, streamer, agreement):
    at = datetime(2026, 3, 1, 20, 0, 5, tzinfo=SH)
    with time_machine.travel(at - timedelta(days=1), tick=False):
        invite(streamer)
    with time_machine.travel(at, tick=False):
        resp = streamer_api.post(
            URL + "/open", {"agree": True, "agreement_version": "v2"}, format="json", REMOTE_ADDR="10.1.2.3"
        )
    assert resp.status_code == 201
    body = resp.json()
    assert body["status"] == "open"
    assert datetime.fromisoformat(body["effective_from"]) == at
    assert body["agreement_version"] == "v2"
    enrolment = ShizaibaoEnrolment.objects.get(streamer=streamer)
    assert (enrolment.opened_at, enrolment.agreement_version, enrolment.opened_ip) == (at, "v2", "10.1.2.3")
    again = streamer_api.post(URL + "/open", {"agree": True, "agreement_version": "v2"}, format="json")
    assert again.status_code == 200
    assert again.json()["status"] == "open"
    assert ShizaibaoEvent.objects.filter(kind="opened").count() == 1


def test_szb3_ip_ignores_forwarded_for_without_trusted_proxy(streamer_api, streamer, agreement):
    invite(streamer)
    streamer_api.post(
        URL + "/open",
        {"agree": True, "agreement_version": "v2"},
        format="json",
        REMOTE_ADDR="10.0.0.9",
        HTTP_X_FORWARDED_FOR="6.6.6.6",
    )
    assert ShizaibaoEnrolment.objects.get().opened_ip == "10.0.0.9"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_szb3_ip_from_trusted_proxy_hop(streamer_api, streamer, agreement):
    invite(streamer)
    streamer_api.post(
        URL + "/open",
        {"agree": True, "agreement_version": "v2"},
        format="json",
        REMOTE_ADDR="10.0.0.9",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7",
    )
    assert ShizaibaoEnrolment.objects.get().opened_ip == "203.0.113.7"


def test_szb3_bad_body_is_invalid_not_500(streamer_api, streamer, agreement):
    invite(streamer)
    resp = streamer_api.post(URL + "/open", {"agree": "maybe"}, format="json")
    assert resp.status_code == 400
    assert resp.json()["code"] == "invalid"
    resp = streamer_api.post(URL + "/open", {"agree": True}, format="json")
    assert resp.status_code == 400
    assert "agreement_version" in resp.json()["errors"]
    resp = streamer_api.post(URL + "/open", "not json", content_type="application/json")
    assert resp.status_code == 400
    assert resp.json()["code"] == "parse_error"


def test_szb3_no_agreement_published_409(streamer_api, streamer):
    invite(streamer)
    resp = streamer_api.post(URL + "/open", {"agree": True, "agreement_version": "v1"}, format="json")
    assert resp.status_code == 409
    assert resp.json()["code"] == "invalid_state"


def test_szb_schema_describes_endpoints():
    from django.urls import include, path
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator(patterns=[path("api/v1/", include("guarantees.api_urls_szb"))]).get_schema(
        request=None, public=True
    )
    paths = schema["paths"]
    for p in (
        "/api/v1/streamer/shizaibao",
        "/api/v1/streamer/shizaibao/open",
        "/api/v1/review/streamers/{code}/invite",
        "/api/v1/streamer/live-sessions/{code}/kick",
    ):
        assert p in paths
    assert "201" in paths["/api/v1/streamer/shizaibao/open"]["post"]["responses"]
