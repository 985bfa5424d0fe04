"""Merchant and streamer pages: 权益中心, confirmation with impact, return addresses, product
list/detail/CSV/bulk opt-outs (BX-4, BX-7, GP-1, GP-3), 小黄车管理 (TP-5)."""

from __future__ import annotations

import pytest
from django.test import Client

from guarantees.models import ProductOptOut, ReturnAddress, ShopService
from shop.models import LiveSession
from tests.guarantees.trust_helpers import labelled_product, merchant_of, trust_shop
from tests.shop.factories import LiveSessionFactory, ShopFactory, StreamerFactory, make_user

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def shop():
    return trust_shop()


@pytest.fixture
def web(shop):
    return browser(merchant_of(shop))


def test_rights_centre_lists_services_badge_and_effects(web, shop):
    labelled_product(shop)
    res = web.get("/rights/")
    assert res.status_code == 200
    html = res.content.decode()
    for code in ("seven_day_return", "return_freight", "local_return", "shizaibao"):
        assert f'id="service-{code}"' in html
    assert 'id="ratio-14d"' in html and 'id="ratio-products"' in html
    assert "−1" in html  # turning a base service off loses the one labelled product


def test_bx4_toggle_confirmation_shows_counts_and_link_then_applies(web, shop):
    p = labelled_product(shop)
    res = web.get("/rights/services/fast_refund/toggle/")
    assert res.status_code == 200
    html = res.content.decode()
    assert 'id="lose"' in html and "impact=fast_refund%3Aoff%3Alose" in html
    listed = web.get("/products/?impact=fast_refund:off:lose").content.decode()
    assert p.code in listed
    assert ShopService.objects.get(shop=shop, code="fast_refund").enabled is True  # not yet
    res = web.post("/rights/services/fast_refund/toggle/", {"enabled": "0", "confirm": "on"})
    assert res.status_code == 302
    assert ShopService.objects.get(shop=shop, code="fast_refund").enabled is False
    p.refresh_from_db()
    assert p.trust_label is False


def test_gp1_global_shop_page_shows_lock_and_refusal():
    shop = ShopFactory(kind="global", regions=["CN", "HK"])
    ShopService.objects.create(shop=shop, code="local_return", enabled=True)
    web = browser(merchant_of(shop))
    html = web.get("/rights/").content.decode()
    assert 'id="global-setup"' in html and "HK" in html
    res = web.post("/rights/services/local_return/toggle/", {"enabled": "0", "confirm": "on"}, follow=True)
    assert ShopService.objects.get(shop=shop, code="local_return").enabled is True
    assert "GP-1" in res.content.decode()


def test_gp3_return_address_page_saves_and_validates(web, shop):
    res = web.post("/rights/return-addresses/", {"region": "CN", "name": "王五", "phone": "1", "address": "上海"})
    assert res.status_code == 302
    assert ReturnAddress.objects.get(shop=shop, region="CN").name == "王五"
    res = web.post("/rights/return-addresses/", {"region": "XX", "name": "", "phone": "", "address": ""})
    assert res.status_code == 200 and b"errorlist" in res.content
    assert web.get("/rights/return-addresses/").status_code == 200


def test_product_list_filter_by_badge_and_export_csv(web, shop):
    on = labelled_product(shop, title="=cmd()")
    off = labelled_product(shop, source="taobao")
    html = web.get("/products/?badge=on").content.decode()
    assert on.code in html and off.code not in html
    res = web.get("/products/export.csv?badge=off")
    body = b"".join(res.streaming_content).decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert lines[0].startswith("code,title,category,source,flash_sale,trust_label")
    assert len(lines) == 2 and off.code in lines[1]
    body = b"".join(web.get("/products/export.csv").streaming_content).decode("utf-8-sig")
    assert "'=cmd()" in body  # CSV formula injection neutralised


def test_bx7_bulk_opt_out_page(web, shop):
    a, b = labelled_product(shop), labelled_product(shop)
    res = web.post("/products/bulk-opt-out/", {"selected": [a.code, b.code], "service": "fast_refund", "action": "out"})
    assert res.status_code == 302
    assert ProductOptOut.objects.filter(code="fast_refund").count() == 2
    res = web.post("/products/bulk-opt-out/", {"selected": [], "service": "fast_refund", "action": "out"}, follow=True)
    assert res.status_code == 200


def test_bx4_product_detail_shows_failing_rule_and_fix_and_saves_opt_outs(web, shop):
    p = labelled_product(shop)
    res = web.post(f"/products/{p.code}/", {"opt_outs": ["fake_pay_nine"]})
    assert res.status_code == 302
    html = web.get(f"/products/{p.code}/").content.decode()
    assert 'id="failing-rule"' in html and "TP-2" in html and "假一赔九" in html


def test_tenant_isolation_pages_404(web):
    other = labelled_product(trust_shop())
    assert web.get(f"/products/{other.code}/").status_code == 404
    assert web.post(f"/products/{other.code}/", {"opt_outs": []}).status_code == 404


def test_pages_require_merchant_role():
    streamer = browser(make_user("streamer"))
    assert streamer.get("/rights/").status_code == 403
    assert Client().get("/rights/").status_code == 302


def test_tp5_live_page_switch_guide_and_cart():
    streamer = StreamerFactory()
    web = browser(make_user("streamer", streamer=streamer))
    session = LiveSessionFactory(streamer=streamer, started_at=None)
    assert web.get("/live/").status_code == 200
    res = web.post("/live/trust-only/", {"session": session.code, "trust_only": "1"}, follow=True)
    assert "直播间上线信任购专场服务" in res.content.decode()
    assert LiveSession.objects.get(pk=session.pk).trust_only is True
    res = web.post("/live/trust-only/", {"session": session.code, "trust_only": "0"}, follow=True)
    assert "直播间上线信任购专场服务" not in res.content.decode()
    web.post("/live/trust-only/", {"session": session.code, "trust_only": "1"})
    bad = labelled_product(source="youzan")
    res = web.post("/live/cart/add/", {"session": session.code, "product": bad.code}, follow=True)
    assert "信任购" in res.content.decode() and not session.cart_items.exists()
    ok = labelled_product()
    web.post("/live/cart/add/", {"session": session.code, "product": ok.code})
    assert session.cart_items.count() == 1
    html = web.get(f"/live/?session={session.code}").content.decode()
    assert ok.code in html
    web.post("/live/cart/remove/", {"session": session.code, "product": ok.code})
    assert session.cart_items.count() == 0
    foreign = LiveSessionFactory(started_at=None)
    assert web.get(f"/live/?session={foreign.code}").status_code == 404
    assert web.post("/live/trust-only/", {"session": foreign.code, "trust_only": "1"}).status_code == 404


def test_live_page_for_merchant_explains_streamer_account(web):
    assert web.get("/live/").status_code == 200
