"""TP-3 triggers: shop toggle, product opt-out, product category, category rule flags (sync),
nightly full recompute that reports wrong rows, GP-1 sale state after sync."""

from __future__ import annotations

import pytest

from guarantees.models import TrustRecomputeRun
from guarantees.tasks_trust import trust_full_recompute, trust_recompute
from shop.models import AuditLog, Product
from tests.guarantees.trust_helpers import enable, labelled_product, trust_shop
from tests.shop.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def cat_doc(cat, **flags):
    return {"categories": [{"code": cat.code, "name": cat.name, "parent": None, **flags}]}


def test_tp3_category_rule_change_turns_labels_off_then_on(platform_api, django_capture_on_commit_callbacks):
    cat = CategoryFactory()
    shop = trust_shop()
    p = labelled_product(shop, category=cat)
    untouched = labelled_product(shop)
    with django_capture_on_commit_callbacks(execute=True):
        res = platform_api.post("/api/v1/platform/sync", cat_doc(cat, requires_return_freight=True), format="json")
    assert res.status_code == 200
    p.refresh_from_db()
    assert p.trust_label is False and p.trust_missing == ["return_freight"]
    enable(shop, "return_freight")
    with django_capture_on_commit_callbacks(execute=True):
        platform_api.post("/api/v1/platform/sync", cat_doc(cat, requires_return_freight=False), format="json")
    p.refresh_from_db()
    untouched.refresh_from_db()
    assert p.trust_label is True and untouched.trust_label is True


def test_tp3_category_industry_service_added_by_sync(platform_api, django_capture_on_commit_callbacks):
    cat = CategoryFactory()
    p = labelled_product(category=cat)
    with django_capture_on_commit_callbacks(execute=True):
        platform_api.post("/api/v1/platform/sync", cat_doc(cat, industry_services=["broken_return"]), format="json")
    p.refresh_from_db()
    assert p.trust_missing == ["broken_return"] and p.trust_label is False


def test_tp3_synced_product_moving_category_is_recomputed_in_the_sync(platform_api):
    shop = trust_shop()
    p = labelled_product(shop)
    needs = CategoryFactory(requires_return_freight=True)
    doc = {"products": [{"code": p.code, "shop": shop.code, "title": p.title, "category": needs.code, "price": "1.00"}]}
    assert platform_api.post("/api/v1/platform/sync", doc, format="json").status_code == 200
    p.refresh_from_db()
    assert p.trust_label is False  # no on_commit needed: synced products are recomputed inline


def test_tp1_shop_kind_change_by_sync_turns_label_off(platform_api, django_capture_on_commit_callbacks):
    shop = trust_shop()
    p = labelled_product(shop)
    doc = {"shops": [{"code": shop.code, "name": shop.name, "kind": "cross_border"}]}
    with django_capture_on_commit_callbacks(execute=True):
        platform_api.post("/api/v1/platform/sync", doc, format="json")
    p.refresh_from_db()
    assert p.trust_label is False


def test_gp1_shop_becoming_global_blocks_its_products(platform_api, django_capture_on_commit_callbacks):
    shop = trust_shop()
    p = labelled_product(shop)
    doc = {"shops": [{"code": shop.code, "name": shop.name, "kind": "global", "regions": ["CN"]}]}
    with django_capture_on_commit_callbacks(execute=True):
        platform_api.post("/api/v1/platform/sync", doc, format="json")
    p.refresh_from_db()
    assert p.on_sale is False
    assert p.blocked_reasons == ["mandatory_services_missing", "return_address_missing"]


def test_tp3_recompute_task_is_idempotent_and_scoped():
    shop = trust_shop()
    p = labelled_product(shop)
    Product.objects.filter(pk=p.pk).update(trust_label=False)
    assert trust_recompute.apply(kwargs={"shop_id": shop.pk}).get() == 1
    assert trust_recompute.apply(kwargs={"shop_id": shop.pk}).get() == 0
    assert trust_recompute.apply(kwargs={}).get() == 0


def test_tp3_large_shop_toggle_goes_through_outbox(client_for, django_capture_on_commit_callbacks, settings):
    from shop.models import OutboxMessage, RuleSetting
    from shop.rules import invalidate
    from tests.guarantees.trust_helpers import merchant_of

    RuleSetting.objects.create(key="trust.sync_recompute_max_products", value=0)
    invalidate("trust.sync_recompute_max_products")
    shop = trust_shop()
    p = labelled_product(shop)
    api = client_for(merchant_of(shop))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        res = api.put("/api/v1/shop/services/fast_refund", {"enabled": False}, format="json")
    assert res.json()["labels_current"] is False
    assert OutboxMessage.objects.filter(task="guarantees.trust_recompute", dedupe_key=f"trust:shop:{shop.pk}").exists()
    p.refresh_from_db()
    assert p.trust_label is True  # not yet
    for cb in callbacks:
        cb()
    p.refresh_from_db()
    assert p.trust_label is False
    invalidate("trust.sync_recompute_max_products")


def test_tp3_nightly_full_recompute_reports_wrong_rows():
    p = labelled_product()
    ok = labelled_product()
    Product.objects.filter(pk=p.pk).update(trust_label=False)
    assert trust_full_recompute.apply().get() == 1
    run = TrustRecomputeRun.objects.get(kind="product_labels")
    assert run.changed == 1 and run.sample_ids == [p.pk] and run.finished_at
    assert AuditLog.objects.filter(action="trust_labels_corrected").exists()
    p.refresh_from_db()
    ok.refresh_from_db()
    assert p.trust_label is True and ok.trust_label is True
    assert trust_full_recompute.apply().get() == 0


def test_beat_schedule_has_trust_jobs():
    from config.celery import collect_beat_schedule

    beat = collect_beat_schedule()
    assert beat["guarantees.trust_shop_badges"]["task"] == "guarantees.trust_shop_badges"
    assert beat["guarantees.trust_full_recompute"]["task"] == "guarantees.trust_full_recompute"
