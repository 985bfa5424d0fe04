"""Reviewer admin for 实在宝 enrolment and the kick log: pages render, actions call the services."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from guarantees import shizaibao
from guarantees.models import ShizaibaoAgreement, ShizaibaoEnrolment, ShizaibaoRequest
from tests.shop.factories import StreamerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def admin_client(db):
    user = get_user_model().objects.create_superuser("boss", "b@example.com", "pass-word-123")
    c = Client()
    c.force_login(user)
    return c, user


@pytest.mark.parametrize(
    "name",
    [
        "shizaibaoagreement",
        "shizaibaoenrolment",
        "shizaibaoevent",
        "shizaibaorequest",
        "shizaibaocandidate",
        "kickattempt",
    ],
)
def test_szb_admin_changelists_render(admin_client, name):
    c, _user = admin_client
    s = StreamerFactory()
    shizaibao.szb_invite(streamer=s)
    shizaibao.szb_request_create(streamer=StreamerFactory(), message="m")
    resp = c.get(f"/admin/guarantees/{name}/")
    assert resp.status_code == 200


def test_szb2_admin_invite_action_on_candidates(admin_client):
    c, user = admin_client
    s = StreamerFactory()
    resp = c.post(
        "/admin/guarantees/shizaibaocandidate/", {"action": "invite", "_selected_action": [s.pk]}, follow=True
    )
    assert resp.status_code == 200
    enrolment = ShizaibaoEnrolment.objects.get(streamer=s)
    assert enrolment.invited and enrolment.invited_by == user and enrolment.invite_source == "reviewer"
    assert c.get(f"/admin/guarantees/shizaibaoenrolment/{enrolment.pk}/change/").status_code == 200


def test_szb2_admin_request_actions(admin_client):
    c, _user = admin_client
    r1 = shizaibao.szb_request_create(streamer=StreamerFactory(), message="a")
    r2 = shizaibao.szb_request_create(streamer=StreamerFactory(), message="b")
    c.post("/admin/guarantees/shizaibaorequest/", {"action": "invite", "_selected_action": [r1.pk]})
    c.post("/admin/guarantees/shizaibaorequest/", {"action": "dismiss", "_selected_action": [r2.pk]})
    assert ShizaibaoRequest.objects.get(pk=r1.pk).status == "invited"
    assert ShizaibaoRequest.objects.get(pk=r2.pk).status == "dismissed"


def test_szb3_admin_publish_makes_current_and_freezes_text(admin_client):
    c, _user = admin_client
    ShizaibaoAgreement.objects.create(version="v1", text="old", published_at=datetime(2020, 1, 1, tzinfo=SH))
    draft = ShizaibaoAgreement.objects.create(version="v2", text="new")
    assert shizaibao.current_agreement().version == "v1"
    c.post("/admin/guarantees/shizaibaoagreement/", {"action": "publish", "_selected_action": [draft.pk]})
    assert shizaibao.current_agreement().version == "v2"
    html = c.get(f"/admin/guarantees/shizaibaoagreement/{draft.pk}/change/").content.decode()
    assert 'name="text"' not in html


def test_szb18_admin_recheck_action(admin_client):
    c, _user = admin_client
    s = StreamerFactory()
    ShizaibaoAgreement.objects.create(version="v1", text="t", published_at=datetime(2020, 1, 1, tzinfo=SH))
    shizaibao.szb_invite(streamer=s)
    shizaibao.szb_open(streamer=s, user=None, agree=True, agreement_version="v1", ip=None)
    s.fans = 1
    s.save()
    enrolment = ShizaibaoEnrolment.objects.get(streamer=s)
    c.post("/admin/guarantees/shizaibaoenrolment/", {"action": "recheck_now", "_selected_action": [enrolment.pk]})
    enrolment.refresh_from_db()
    assert enrolment.status == "suspended"
