"""seed_demo loads every role's demo data and is idempotent (issue 2)."""

from io import StringIO

import pytest
from django.core.management import call_command

from shop.models import Category, Order, Product, Profile, Shop

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "orders": list(Order.objects.order_by("code").values()),
        "products": list(Product.objects.order_by("code").values()),
        "shops": list(Shop.objects.order_by("code").values()),
    }


def test_seed_demo_twice_changes_nothing(django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=out)
    assert "merchant" in out.getvalue() and "demo-pass-123" in out.getvalue()
    first = snapshot()
    out2 = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--quiet", stdout=out2)
    assert "'orders': 0" in out2.getvalue()
    assert snapshot() == first


def test_seed_demo_has_every_kind_and_role():
    call_command("seed_demo", "--quiet", stdout=StringIO())
    assert set(Shop.objects.values_list("kind", flat=True)) == {"regular", "cross_border", "auction", "global"}
    assert set(Profile.objects.values_list("role", flat=True)) == {
        "platform",
        "merchant",
        "streamer",
        "consumer",
        "reviewer",
    }
    assert Category.objects.get(code="milk-powder").damage_window_hours == 24
    assert Category.objects.get(code="second-hand").szb_excluded
    cosmetics = Category.objects.get(code="cosmetics")
    assert cosmetics.requires_return_freight and "allergy_return" in cosmetics.industry_services
    assert cosmetics.required_qualification_types
    assert Order.objects.filter(shipped_at__isnull=False).exists()
    assert Order.objects.filter(completed_at__isnull=False).exists()
