"""Demo data (seed_demo part): idempotent, covers the QL cases."""

from __future__ import annotations

from io import StringIO

import pytest

from qualifications import demo
from qualifications.models import Qualification
from shop import demo as shop_demo
from shop.models import Product
from shop.sync import platform_sync

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_migrates_legacy_cream(django_capture_on_commit_callbacks):
    platform_sync(document=shop_demo.document())
    demo.seed(StringIO())
    assert Qualification.objects.filter(shop__code="S-SNACK", status="approved").count() == 2
    assert Qualification.objects.filter(shop__code="S-BEAUTY", type__code="business_license").exists()
    cream = Product.objects.get(code="P-CREAM")
    assert cream.qualification_links.count() == 1 and cream.on_sale
    assert Product.objects.get(code="P-FLASH").blocked_reasons == ["qualification_missing"]
    out = StringIO()
    demo.seed(out)
    assert "changed 0" in out.getvalue()
