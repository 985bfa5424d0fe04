"""Admin screens of 权益中心 / 信任购: every model lists; actions call the same services (TP-3, GP-1)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from guarantees.models import ShopService, TrustRecomputeRun
from tests.guarantees.trust_helpers import labelled_product, trust_shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    user = get_user_model().objects.create_superuser("root", "root@example.com", "pass-word-123")
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.parametrize(
    "model", ["shopservice", "productoptout", "returnaddress", "trustguideshown", "trustrecomputerun"]
)
def test_admin_changelists_render(admin_client, model):
    trust_shop()
    assert admin_client.get(f"/admin/guarantees/{model}/?q=x").status_code == 200


def test_tp3_admin_turn_off_action_uses_service_and_recomputes(admin_client):
    shop = trust_shop()
    p = labelled_product(shop)
    row = ShopService.objects.get(shop=shop, code="fast_refund")
    res = admin_client.post(
        "/admin/guarantees/shopservice/", {"action": "turn_off", "_selected_action": [row.pk]}, follow=True
    )
    assert res.status_code == 200
    row.refresh_from_db()
    p.refresh_from_db()
    assert row.enabled is False and p.trust_label is False


def test_tp3_admin_full_recompute_action(admin_client):
    labelled_product()
    TrustRecomputeRun.objects.create(kind="shop_badges")
    run = TrustRecomputeRun.objects.first()
    res = admin_client.post(
        "/admin/guarantees/trustrecomputerun/",
        {"action": "run_full_recompute", "_selected_action": [run.pk]},
        follow=True,
    )
    assert res.status_code == 200
    assert TrustRecomputeRun.objects.filter(kind="product_labels").exists()
