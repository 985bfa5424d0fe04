"""QL-6 legacy migration command on messy data."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from qualifications.models import ProductQualification, Qualification, QualificationEvent
from tests.qualifications.factories import license_type
from tests.shop.factories import CategoryFactory, ProductFactory, ShopFactory

pytestmark = pytest.mark.django_db


def legacy(number="JY1", type_="food_license", approved=True, until=None, **extra):
    until = until or (timezone.localdate() + dt.timedelta(days=300)).isoformat()
    return {"type": type_, "number": number, "valid_until": until, "approved": approved, **extra}


@pytest.fixture
def messy(db):
    license_type()
    cat = CategoryFactory(code="snacks", required_qualification_types=["food_license"])
    s1, s2 = ShopFactory(code="S1"), ShopFactory(code="S2")
    past = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    rows = {
        "P1": (s1, {"qualification": legacy("JY1", holder="甲公司")}),
        "P2": (s1, {"qualification": legacy(" jy1 ")}),  # duplicate: same shop, type, number
        "P3": (s2, {"qualification": legacy("JY1")}),  # same number, other shop: separate record
        "P4": (s1, {"qualifications": [legacy("JY2", approved=False), legacy("JY3", until=past)]}),
        "P5": (s1, {"qualification": {"type": "food_license"}}),  # missing number
        "P6": (s1, {"qualification": legacy("X", type_="martian_permit")}),  # unknown type
        "P7": (s1, {"qualification": "approved"}),  # not an object
        "P8": (s1, {"qualification": legacy("JY9", until="next year")}),  # bad date
        "P9": (s1, {"colour": "red"}),  # no legacy data at all
    }
    for code, (shop, attrs) in rows.items():
        ProductFactory(code=code, shop=shop, category=cat, attributes=attrs)
    return rows


def run(*args) -> str:
    out = StringIO()
    call_command("migrate_legacy_qualifications", *args, stdout=out)
    return out.getvalue()


def test_ql6_dry_run_reports_and_writes_nothing(messy):
    out = run("--dry-run")
    assert "DRY RUN" in out
    assert "qualifications created:    4" in out
    assert "bad entries (skipped):     4" in out
    assert not Qualification.objects.exists() and not ProductQualification.objects.exists()


def test_ql6_migrates_merges_links_and_keeps_approval(messy):
    out = run()
    assert "duplicates merged:         1" in out
    s1 = Qualification.objects.filter(shop__code="S1")
    jy1 = s1.get(certificate_number="JY1")
    assert jy1.status == "approved" and jy1.in_force
    assert jy1.latest_revision.fields["holder"] == "甲公司"
    assert sorted(jy1.product_links.values_list("product__code", flat=True)) == ["P1", "P2"]
    assert Qualification.objects.get(shop__code="S2").product_links.get().product.code == "P3"
    assert s1.get(certificate_number="JY2").status == "pending"
    assert s1.get(certificate_number="JY3").status == "expired"
    assert QualificationEvent.objects.count() == 4
    from shop.models import Product

    p1, p4 = Product.objects.get(code="P1"), Product.objects.get(code="P4")
    assert p1.on_sale and p1.blocked_reasons == []
    assert p4.blocked_reasons == ["qualification_expired"]
    for reason in ("missing_number", "unknown_type", "not_an_object", "bad_date"):
        assert reason in out


def test_ql6_running_twice_changes_nothing(messy):
    run()
    counts = (Qualification.objects.count(), ProductQualification.objects.count(), QualificationEvent.objects.count())
    out = run()
    assert "qualifications created:    0" in out and "product links created:     0" in out
    assert counts == (
        Qualification.objects.count(),
        ProductQualification.objects.count(),
        QualificationEvent.objects.count(),
    )


def test_ql6_existing_record_with_same_number_is_reused(messy, submit):
    # A merchant already submitted JY1 for S1 by hand: the legacy rows link to it.
    from shop.models import Shop

    q = Qualification.objects.create(shop=Shop.objects.get(code="S1"), type=license_type(), certificate_number="JY1")
    run()
    assert Qualification.objects.filter(shop__code="S1", certificate_number__iexact="JY1").count() == 1
    assert sorted(q.product_links.values_list("product__code", flat=True)) == ["P1", "P2"]
