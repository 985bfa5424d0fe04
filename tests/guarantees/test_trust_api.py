"""API.md merchant section: services, products, opt-outs, return addresses (SPEC §3, TP-3, GP-1, GP-3)."""

from __future__ import annotations

import pytest

from guarantees.models import ShopService
from guarantees.rules import SHOP_SERVICES
from shop.models import AuditLog, Product
from tests.guarantees.trust_helpers import enable, labelled_product, merchant_of, trust_shop
from tests.shop.factories import CategoryFactory, ProductFactory, ShopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return trust_shop()


@pytest.fixture
def api(client_for, shop):
    return client_for(merchant_of(shop))


def test_services_list_every_shop_service_with_state(api, shop):
    res = api.get("/api/v1/shop/services")
    assert res.status_code == 200
    assert [s["code"] for s in res.json()] == SHOP_SERVICES
    row = next(s for s in res.json() if s["code"] == "fast_refund")
    assert row["enabled"] is True and row["mandatory"] is False and row["name"] == "极速退款"


def test_tp3_service_off_removes_label_at_once_and_records_who(api, shop):
    p = labelled_product(shop)
    res = api.put("/api/v1/shop/services/fast_refund", {"enabled": False}, format="json")
    assert res.status_code == 200
    assert res.json()["enabled"] is False and res.json()["labels_current"] is True
    assert res.json()["changed_by"]
    p.refresh_from_db()
    assert p.trust_label is False and p.trust_missing == ["fast_refund"]
    assert AuditLog.objects.filter(action="service_toggle").exists()
    res = api.put("/api/v1/shop/services/fast_refund", {"enabled": True}, format="json")
    p.refresh_from_db()
    assert p.trust_label is True


def test_service_unknown_code_is_404(api):
    assert api.put("/api/v1/shop/services/shizaibao", {"enabled": True}, format="json").status_code == 404
    assert api.put("/api/v1/shop/services/nope", {"enabled": True}, format="json").json()["code"] == "not_found"


def test_service_toggle_bad_body_is_400(api):
    res = api.put("/api/v1/shop/services/fast_refund", {"enabled": "maybe"}, format="json")
    assert res.status_code == 400 and res.json()["code"] == "invalid"
    res = api.put("/api/v1/shop/services/fast_refund", "not json", content_type="application/json")
    assert res.status_code == 400 and res.json()["code"] == "parse_error"


def test_bx4_service_impact_lists_products_that_gain_or_lose(api, shop):
    p = labelled_product(shop)
    res = api.get("/api/v1/shop/services/fake_pay_nine/impact?enabled=false")
    assert res.status_code == 200
    assert res.json()["lose"] == 1 and res.json()["lose_products"] == [p.code]
    assert api.get("/api/v1/shop/services/fake_pay_nine/impact").status_code == 400


def test_gp1_global_shop_mandatory_service_cannot_be_turned_off(client_for):
    shop = ShopFactory(kind="global", regions=["CN"])
    api = client_for(merchant_of(shop))
    for code in ("authentic_guarantee", "local_return", "damage_return"):
        assert api.put(f"/api/v1/shop/services/{code}", {"enabled": True}, format="json").status_code == 200
    res = api.put("/api/v1/shop/services/local_return", {"enabled": False}, format="json")
    assert res.status_code == 409 and res.json()["code"] == "service_mandatory"
    assert ShopService.objects.get(shop=shop, code="local_return").enabled is True
    listed = {s["code"]: s for s in api.get("/api/v1/shop/services").json()}
    assert listed["local_return"]["mandatory"] is True and listed["fast_refund"]["mandatory"] is False


def test_gp1_regular_shop_may_turn_any_service_off(api):
    assert api.put("/api/v1/shop/services/local_return", {"enabled": False}, format="json").status_code == 200


def test_gp1_global_products_wait_until_services_and_addresses_exist(client_for):
    shop = ShopFactory(kind="global", regions=["CN", "HK"])
    api = client_for(merchant_of(shop))
    cat = CategoryFactory()
    res = api.post(
        "/api/v1/shop/products",
        {"code": "GP1", "title": "香水", "category": cat.code, "price": "99.00"},
        format="json",
    )
    assert res.status_code == 201
    body = res.json()
    assert body["on_sale"] is False
    assert body["blocked_reasons"] == ["mandatory_services_missing", "return_address_missing"]
    for code in ("authentic_guarantee", "local_return", "damage_return"):
        api.put(f"/api/v1/shop/services/{code}", {"enabled": True}, format="json")
    addr = {"name": "张三", "phone": "13800000000", "address": "上海市浦东新区 1 号"}
    assert api.put("/api/v1/shop/return-addresses/CN", addr, format="json").status_code == 200
    body = api.get("/api/v1/shop/products/GP1").json()
    assert body["blocked_reasons"] == ["return_address_missing"]  # HK still missing (GP-3)
    api.put("/api/v1/shop/return-addresses/HK", {**addr, "address": "香港九龙 2 号"}, format="json")
    body = api.get("/api/v1/shop/products/GP1").json()
    assert body["on_sale"] is True and body["blocked_reasons"] == []
    assert body["trust_label"] is False  # TP-1: global shops never carry the label


def test_gp1_product_cannot_opt_out_of_mandatory_service(client_for):
    shop = ShopFactory(kind="global")
    api = client_for(merchant_of(shop))
    p = ProductFactory(shop=shop)
    res = api.patch(f"/api/v1/shop/products/{p.code}", {"opt_outs": ["damage_return"]}, format="json")
    assert res.status_code == 409 and res.json()["code"] == "service_mandatory"


def test_gp3_return_addresses_put_and_list(api):
    addr = {"name": "李四", "phone": "021-1234", "address": "北京市朝阳区"}
    res = api.put("/api/v1/shop/return-addresses/CN", addr, format="json")
    assert res.status_code == 200 and res.json() == {"region": "CN", **addr}
    assert api.get("/api/v1/shop/return-addresses").json() == [{"region": "CN", **addr}]
    res = api.put("/api/v1/shop/return-addresses/US", addr, format="json")
    assert res.status_code == 400 and res.json()["code"] == "invalid_region"
    res = api.put("/api/v1/shop/return-addresses/HK", {"name": "x"}, format="json")
    assert res.status_code == 400 and res.json()["code"] == "invalid"


def test_gp3_return_address_for_selector(shop, api):
    from guarantees.selectors import return_address_for

    assert return_address_for(shop, "CN") is None
    api.put("/api/v1/shop/return-addresses/CN", {"name": "a", "phone": "1", "address": "addr"}, format="json")
    assert return_address_for(shop, "CN") == {"region": "CN", "name": "a", "phone": "1", "address": "addr"}


def test_products_create_with_opt_outs_and_idempotent_repeat(api, shop):
    cat = CategoryFactory()
    body = {"code": "NEW1", "title": "T", "category": cat.code, "price": 10, "opt_outs": ["fast_refund"]}
    res = api.post("/api/v1/shop/products", body, format="json")
    assert res.status_code == 201
    out = res.json()
    assert out["trust_label"] is False and out["trust_missing"] == ["fast_refund"] and out["on_sale"] is True
    assert out["opt_outs"] == ["fast_refund"]
    assert out["explanation"]["missing"][0]["cause"] == "opted_out"
    again = api.post("/api/v1/shop/products", body, format="json")
    assert again.status_code == 200 and again.json()["code"] == "NEW1"
    clash = api.post("/api/v1/shop/products", {**body, "title": "other"}, format="json")
    assert clash.status_code == 400 and clash.json()["code"] == "invalid"


def test_products_create_bad_input_is_400_and_applies_nothing(api):
    res = api.post(
        "/api/v1/shop/products", {"code": "B1", "title": "T", "category": "nope", "price": "1.00"}, format="json"
    )
    assert res.status_code == 400 and "category" in res.json()["errors"]
    res = api.post(
        "/api/v1/shop/products",
        {"code": "B2", "title": "T", "category": CategoryFactory().code, "price": "-1", "opt_outs": ["zzz"]},
        format="json",
    )
    assert res.status_code == 400
    assert not Product.objects.filter(code__in=["B1", "B2"]).exists()


def test_tp3_patch_category_turns_label_off_and_on(api, shop):
    p = labelled_product(shop)
    needs = CategoryFactory(industry_services=["allergy_return"])
    res = api.patch(f"/api/v1/shop/products/{p.code}", {"category": needs.code}, format="json")
    assert res.status_code == 200
    assert res.json()["trust_label"] is False and res.json()["trust_missing"] == ["allergy_return"]
    assert "allergy_return" in res.json()["explanation"]["fix"] or res.json()["explanation"]["fix"]
    enable(shop, "allergy_return")
    res = api.patch(f"/api/v1/shop/products/{p.code}", {"title": "renamed"}, format="json")
    assert res.json()["trust_label"] is True


def test_tp3_patch_opt_outs_round_trip(api, shop):
    p = labelled_product(shop)
    res = api.patch(f"/api/v1/shop/products/{p.code}", {"opt_outs": ["seven_day_return"]}, format="json")
    assert res.json()["trust_label"] is False
    res = api.patch(f"/api/v1/shop/products/{p.code}", {"opt_outs": []}, format="json")
    assert res.json()["trust_label"] is True


def test_products_filter_by_label_and_on_sale(api, shop):
    on = labelled_product(shop)
    off = labelled_product(shop, source="taobao")
    codes = lambda q: [r["code"] for r in api.get(f"/api/v1/shop/products?{q}").json()["results"]]  # noqa: E731
    assert codes("trust_label=true") == [on.code]
    assert codes("trust_label=false") == [off.code]
    assert sorted(codes("on_sale=true")) == sorted([on.code, off.code])
    assert api.get("/api/v1/shop/products?trust_label=yes").status_code == 400


def test_product_list_is_paginated_and_query_count_is_flat(api, shop, django_assert_max_num_queries):
    for _ in range(5):
        labelled_product(shop)
    with django_assert_max_num_queries(12):
        res = api.get("/api/v1/shop/products?page_size=2")
    assert res.json()["count"] == 5 and len(res.json()["results"]) == 2


def test_tp4_product_api_exposes_surfaces(api, shop):
    p = labelled_product(shop)
    s = api.get(f"/api/v1/shop/products/{p.code}").json()["surfaces"]
    assert s["dedicated"] == ["buyer_home", "live_page", "cart_top", "product_detail", "checkout", "order_detail"]
    assert s["ordinary"] == ["cart_list", "product_detail", "checkout", "order_detail"]


def test_bx7_bulk_opt_out_and_back(api, shop):
    a, b = labelled_product(shop), labelled_product(shop)
    res = api.post(
        "/api/v1/shop/product-opt-outs",
        {"products": [a.code, b.code], "service": "fake_pay_nine", "opted_out": True},
        format="json",
    )
    assert res.status_code == 200 and res.json() == {"changed": 2}
    a.refresh_from_db()
    assert a.trust_label is False
    res = api.post(
        "/api/v1/shop/product-opt-outs",
        {"products": [a.code, b.code], "service": "fake_pay_nine", "opted_out": False},
        format="json",
    )
    assert res.json() == {"changed": 2}
    b.refresh_from_db()
    assert b.trust_label is True


def test_bx7_bulk_opt_out_refuses_whole_batch_with_foreign_product(api, shop):
    mine = labelled_product(shop)
    other = labelled_product(trust_shop())
    res = api.post(
        "/api/v1/shop/product-opt-outs",
        {"products": [mine.code, other.code], "service": "fast_refund", "opted_out": True},
        format="json",
    )
    assert res.status_code == 400
    mine.refresh_from_db()
    assert mine.trust_label is True


def test_tenant_isolation_other_shops_product_is_404(api):
    other = labelled_product(trust_shop())
    assert api.get(f"/api/v1/shop/products/{other.code}").status_code == 404
    assert api.patch(f"/api/v1/shop/products/{other.code}", {"title": "x"}, format="json").status_code == 404
    assert other.code not in [r["code"] for r in api.get("/api/v1/shop/products").json()["results"]]


def test_roles_other_than_merchant_are_refused(client_for):
    from tests.shop.factories import make_user

    streamer = client_for(make_user("streamer"))
    assert streamer.get("/api/v1/shop/services").status_code == 403
    assert streamer.get("/api/v1/shop/products").status_code == 403


def test_qualifications_are_handed_to_the_registered_handlers(api, monkeypatch):
    from guarantees import sale_state

    seen = []
    monkeypatch.setattr(sale_state, "product_qualification_handlers", [lambda **kw: seen.append(kw)])
    import guarantees.services as services

    monkeypatch.setattr(services, "product_qualification_handlers", sale_state.product_qualification_handlers)
    res = api.post(
        "/api/v1/shop/products",
        {"code": "Q1", "title": "T", "category": CategoryFactory().code, "price": "1.00", "qualifications": [5]},
        format="json",
    )
    assert res.status_code == 201
    assert seen and seen[0]["qualification_ids"] == [5] and seen[0]["product"].code == "Q1"
