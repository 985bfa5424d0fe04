"""Streamer pages: /rights/shizaibao/ (SZB-1/2/3/18/19) and /live/kick-rules/ (KG)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client

from guarantees import shizaibao
from guarantees.models import KickAttempt, ShizaibaoAgreement, ShizaibaoEnrolment, ShizaibaoRequest
from tests.shop.factories import ConsumerFactory, LiveSessionFactory, StreamerFactory, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
SH = ZoneInfo("Asia/Shanghai")
PAGE = "/rights/shizaibao/"


@pytest.fixture
def agreement(db):
    return ShizaibaoAgreement.objects.create(
        version="v1", text="第一条 主播承诺如实描述商品。", published_at=datetime(2020, 1, 1, tzinfo=SH)
    )


def browser(streamer, lang: str | None = None):
    c = Client()
    c.force_login(make_user("streamer", streamer=streamer))
    if lang:
        c.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return c


def test_szb1_page_lists_each_condition_with_value_and_result(agreement):
    s = StreamerFactory(fans=1_000_000, experience_score=Decimal("4.51"), level=2)
    html = browser(s).get(PAGE).content.decode()
    assert "1000000" in html and "4.51" in html and "L2" in html
    assert 'data-condition="fans"' in html and 'data-condition="no_recent_violation"' in html
    assert html.count("badge off") >= 1  # fans fails
    assert "SZB-19" in html


def test_szb2_page_not_invited_shows_how_to_ask_and_request_form(agreement):
    s = StreamerFactory()
    c = browser(s, lang="en")  # asserts on the English wording
    html = c.get(PAGE).content.decode()
    assert 'id="ask"' in html and "QR" in html and "400-000-0000" in html
    assert 'name="agree"' not in html
    resp = c.post("/rights/shizaibao/request/", {"message": "请邀请", "contact": "wx"})
    assert resp.status_code == 302
    assert ShizaibaoRequest.objects.get(streamer=s).message == "请邀请"
    assert "waiting for a reviewer" in c.get(PAGE).content.decode()


def test_szb3_page_checkbox_required_shows_form_error(agreement):
    s = StreamerFactory()
    shizaibao.szb_invite(streamer=s)
    c = browser(s)
    html = c.get(PAGE).content.decode()
    assert "我已阅读并同意《实在宝服务开通协议》" in html and "第一条" in html
    resp = c.post(PAGE, {"agreement_version": "v1"})
    assert resp.status_code == 200
    assert "errorlist" in resp.content.decode()
    assert ShizaibaoEnrolment.objects.get(streamer=s).status == "not_open"


def test_szb3_page_opens_and_says_next_session(agreement):
    s = StreamerFactory()
    shizaibao.szb_invite(streamer=s)
    c = browser(s, lang="en")  # asserts on the English wording
    resp = c.post(PAGE, {"agree": "on", "agreement_version": "v1"}, REMOTE_ADDR="192.0.2.8")
    assert resp.status_code == 302
    enrolment = ShizaibaoEnrolment.objects.get(streamer=s)
    assert enrolment.status == "open" and enrolment.opened_ip == "192.0.2.8"
    html = c.get(PAGE).content.decode()
    assert "next live session" in html
    assert 'name="agree"' not in html


def test_szb3_page_outdated_version_is_form_error(agreement):
    s = StreamerFactory()
    shizaibao.szb_invite(streamer=s)
    resp = browser(s, lang="en").post(PAGE, {"agree": "on", "agreement_version": "v0"})
    assert resp.status_code == 200
    assert "newer version" in resp.content.decode()


def test_szb_page_roles(agreement):
    c = Client()
    assert c.get(PAGE).status_code == 302  # login
    c.force_login(make_user("merchant"))
    assert c.get(PAGE).status_code == 403


def test_kg_page_tells_rule_before_trying():
    s = StreamerFactory(main_industry="3C数码", experience_score=Decimal("4.39"))
    html = browser(s).get("/live/kick-rules/").content.decode()
    assert 'data-rule="KG-2"' in html and "4.39" in html
    other = StreamerFactory(main_industry="美妆")
    assert 'data-rule="none"' in browser(other).get("/live/kick-rules/").content.decode()
    ok = StreamerFactory(main_industry="3C数码", experience_score=Decimal("4.40"))
    assert 'data-rule="KG-3"' in browser(ok).get("/live/kick-rules/").content.decode()


def test_kg_page_kick_form_logs_attempt():
    s = StreamerFactory(main_industry="美妆")
    session = LiveSessionFactory(streamer=s)
    consumer = ConsumerFactory()
    c = browser(s, lang="en")  # asserts on the English wording
    resp = c.post("/live/kick-rules/", {"session": session.code, "consumer": consumer.code})
    assert resp.status_code == 200
    assert KickAttempt.objects.get().allowed is True
    resp = c.post("/live/kick-rules/", {"session": session.code, "consumer": "NOPE"})
    assert "Unknown consumer" in resp.content.decode()
