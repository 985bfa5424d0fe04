"""Reviewer admin for RF-1…RF-4 and BX-5: screens render, actions call the same services."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client

from claims.abuse_scoring import score_all
from claims.models import AbuseReport, ReturnFreightStanding, ShopBuyerBlock
from tests.claims.test_abuse import NOW, ident, rf_claim
from tests.claims.test_global_support import global_shop, order_for, upload
from tests.shop.factories import ConsumerFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_():
    user = get_user_model().objects.create_superuser("root", "root@example.com", "pass-word-123")
    c = Client()
    c.force_login(user)
    return c


def test_rf2_admin_lists_scores_and_shows_the_trail(admin_client_):
    a, b = ConsumerFactory(), ConsumerFactory()
    ident(a, "device", "d")
    ident(b, "device", "d")
    claim = rf_claim(a, receiver_address="别处")
    with time_machine.travel(NOW, tick=False):
        score_all()
    for url in [
        "/admin/claims/consumerrisk/",
        "/admin/claims/consumerrisk/?review=yes",
        "/admin/claims/linkedgroup/",
        "/admin/claims/consumeridentity/",
        "/admin/claims/returnfreightwaybill/",
        "/admin/claims/returnfreightstanding/",
        "/admin/claims/abusereport/",
        "/admin/claims/shopbuyerblock/",
        "/admin/claims/evidencefingerprint/",
        "/admin/claims/fingerprintmatch/",
        "/admin/claims/claimwithreusedevidence/?cross=yes",
    ]:
        assert admin_client_.get(url).status_code == 200, url
    page = admin_client_.get(f"/admin/claims/consumerrisk/{a.pk}/change/").content.decode()
    assert f"#{claim.pk}" in page and "fake_receiver" in page
    group_page = admin_client_.get(f"/admin/claims/linkedgroup/{_group_pk()}/change/")
    assert group_page.status_code == 200


def _group_pk():
    from claims.models import LinkedGroup

    return LinkedGroup.objects.get().pk


def test_rf3_admin_freeze_action_uses_the_service(admin_client_):
    c = ConsumerFactory()
    rf_claim(c, receiver_address="别处")
    with time_machine.travel(NOW, tick=False):
        score_all()
    r = admin_client_.post(
        "/admin/claims/consumerrisk/",
        {"action": "rf_freeze", "_selected_action": [c.pk], "note": "credit review"},
        follow=True,
    )
    assert r.status_code == 200
    standing = ReturnFreightStanding.objects.get(consumer=c)
    assert standing.status == "frozen" and standing.events.get().note == "credit review"


def test_rf4_admin_uphold_action_blocks_the_buyer(admin_client_):
    shop = global_shop(kind="regular")
    merchant = make_user("merchant", shop=shop)
    buyer = ConsumerFactory()
    order_for(shop, consumer=buyer)
    from claims.abuse_reports import report_file

    report = report_file(
        shop=shop, user=merchant, consumer_code=buyer.code, reason="x", evidence=[upload(merchant, 2).pk]
    )
    assert admin_client_.get(f"/admin/claims/abusereport/{report.pk}/change/").status_code == 200
    admin_client_.post(
        "/admin/claims/abusereport/", {"action": "uphold", "_selected_action": [report.pk], "note": "ok"}
    )
    assert AbuseReport.objects.get().status == "upheld"
    assert ShopBuyerBlock.objects.filter(shop=shop, consumer=buyer).exists()
