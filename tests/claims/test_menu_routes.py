"""The merchant's 售后 → 理赔 menu entry lands on the after-sales answer page."""

import pytest

from tests.shop.factories import make_user

pytestmark = pytest.mark.django_db


def test_merchant_claims_menu_opens_after_sales_page(client):
    client.force_login(make_user("merchant"))
    resp = client.get("/claims/")
    assert resp.status_code == 302 and resp["Location"] == "/claims/merchant/"
    assert client.get("/claims/merchant/").status_code == 200


def test_streamer_claims_menu_opens_claims_against_them(client):
    client.force_login(make_user("streamer"))
    assert client.get("/claims/").status_code == 200
