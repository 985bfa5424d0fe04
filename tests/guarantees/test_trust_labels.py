"""TP-1 / TP-2 / TP-3: the 信任购 product label computed in set-based SQL."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from guarantees.models import ProductOptOut
from guarantees.rules import SHOP_SERVICES
from guarantees.selectors import explain_product, required_services
from guarantees.trust import Scope, recompute_labels
from shop.models import Product
from tests.guarantees.trust_helpers import enable, labelled_product, recompute_all, trust_shop
from tests.shop.factories import CategoryFactory, ProductFactory, ShopFactory

pytestmark = pytest.mark.django_db


def test_tp2_base_services_give_the_label():
    p = labelled_product()
    assert p.trust_label is True
    assert p.trust_missing == []


@pytest.mark.parametrize("missing", ["seven_day_return", "fast_refund", "fake_pay_nine"])
def test_tp2_each_base_service_is_required(missing):
    shop = trust_shop()
    enable(shop, missing, on=False)
    p = labelled_product(shop)
    assert p.trust_label is False
    assert p.trust_missing == [missing]


def test_tp2_return_freight_required_only_where_category_requires_it():
    shop = trust_shop()
    plain = labelled_product(shop, category=CategoryFactory())
    freight = labelled_product(shop, category=CategoryFactory(requires_return_freight=True))
    assert plain.trust_label is True
    assert freight.trust_label is False
    assert freight.trust_missing == ["return_freight"]
    enable(shop, "return_freight")
    recompute_all()
    freight.refresh_from_db()
    assert freight.trust_label is True


def test_tp2_industry_services_required_only_for_categories_listing_them():
    shop = trust_shop()
    cosmetics = labelled_product(shop, category=CategoryFactory(industry_services=["allergy_return", "broken_return"]))
    other = labelled_product(shop)
    assert cosmetics.trust_missing == ["allergy_return", "broken_return"]
    assert other.trust_label is True
    enable(shop, "allergy_return", "broken_return")
    recompute_all()
    cosmetics.refresh_from_db()
    assert cosmetics.trust_label is True and cosmetics.trust_missing == []


@pytest.mark.parametrize("kind", ["cross_border", "auction", "global"])
def test_tp1_only_regular_shops_carry_the_label(kind):
    shop = trust_shop(kind=kind)
    p = labelled_product(shop)
    assert p.trust_label is False
    assert p.trust_missing == []  # services are fine; the shop kind excludes it
    assert explain_product(p).excluded == "shop_kind"


@pytest.mark.parametrize("source", ["youzan", "mokuai", "taobao"])
def test_tp1_third_party_products_never_get_the_label(source):
    p = labelled_product(source=source)
    assert p.trust_label is False
    assert explain_product(p).excluded == "third_party_source"
    assert explain_product(p).rule == "TP-1"


def test_tp3_product_opt_out_removes_the_label_and_explains_the_fix():
    p = labelled_product()
    ProductOptOut.objects.create(product=p, code="fast_refund")
    recompute_labels(scope=Scope.of(product_ids=[p.pk]))
    p.refresh_from_db()
    assert p.trust_label is False and p.trust_missing == ["fast_refund"]
    e = explain_product(p)
    assert e.rule == "TP-2"
    assert e.missing == [{"code": "fast_refund", "name": "极速退款", "cause": "opted_out"}]
    assert e.fix


def test_tp3_recompute_of_one_shop_touches_only_that_shop():
    a, b = trust_shop(), trust_shop()
    pa, pb = labelled_product(a), labelled_product(b)
    Product.objects.filter(pk__in=[pa.pk, pb.pk]).update(trust_label=False)
    changed = recompute_labels(scope=Scope.of(shop_ids=[a.pk])).changed
    assert changed == 1
    pa.refresh_from_db()
    pb.refresh_from_db()
    assert pa.trust_label is True and pb.trust_label is False


def test_tp3_recompute_writes_only_changed_rows():
    shop = trust_shop()
    for _ in range(3):
        labelled_product(shop)
    assert recompute_labels(scope=Scope.of()).changed == 0


def test_tp3_full_recompute_samples_wrong_rows():
    p = labelled_product()
    Product.objects.filter(pk=p.pk).update(trust_label=False)
    result = recompute_labels(scope=Scope.of(), sample=10)
    assert result.changed == 1 and result.sample_ids == [p.pk]


def _reference_label(shop_kind, source, enabled, opted, category) -> tuple[bool, list[str]]:
    missing = [c for c in required_services(category) if not (c in enabled and c not in opted)]
    return (shop_kind == "regular" and source == "own" and not missing), missing


class TestLabelMatchesReference(HypothesisTestCase):
    """Property (TP-1/TP-2): the SQL label equals the rule written plainly in Python."""

    @settings(max_examples=40, deadline=None)
    @given(
        kind=st.sampled_from(["regular", "cross_border", "auction", "global"]),
        source=st.sampled_from(["own", "youzan"]),
        enabled=st.sets(st.sampled_from(SHOP_SERVICES)),
        opted=st.sets(st.sampled_from(SHOP_SERVICES), max_size=3),
        freight=st.booleans(),
        industry=st.sets(st.sampled_from(["allergy_return", "damage_return", "broken_return", "local_return"])),
    )
    def test_tp2_sql_matches_reference(self, kind, source, enabled, opted, freight, industry):
        shop = ShopFactory(kind=kind)
        enable(shop, *enabled)
        cat = CategoryFactory(requires_return_freight=freight, industry_services=sorted(industry))
        p = ProductFactory(shop=shop, category=cat, source=source)
        for code in opted:
            ProductOptOut.objects.create(product=p, code=code)
        recompute_labels(scope=Scope.of(product_ids=[p.pk]))
        p.refresh_from_db()
        label, missing = _reference_label(kind, source, enabled, opted, cat)
        assert p.trust_label is label
        assert p.trust_missing == missing
