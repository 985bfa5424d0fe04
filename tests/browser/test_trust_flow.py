"""Browser: a merchant turns on a service in 权益中心 and the 信任购 badge appears on a product
(TP-1, TP-2, TP-3, BX-4)."""

import pytest
from playwright.sync_api import expect

from guarantees.models import ShopService
from guarantees.trust import Scope, recompute_labels
from shop.constants import ServiceCode
from tests.browser.helpers import tr, trn
from tests.guarantees.trust_helpers import enable
from tests.shop.factories import CategoryFactory, ProductFactory, ShopFactory, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_tp2_bx4_turning_on_the_last_base_service_shows_the_trust_badge(page, login, live_server):
    # A regular shop; the category needs only the three base services; two of them are on.
    shop = ShopFactory(kind="regular", name="好味小铺")
    category = CategoryFactory(name="零食", requires_return_freight=False, industry_services=[])
    enable(shop, ServiceCode.SEVEN_DAY_RETURN, ServiceCode.FAST_REFUND)
    product = ProductFactory(shop=shop, category=category, title="坚果礼盒")
    # A second product whose category also needs 退货补运费 (off): it must not gain the label.
    other = ProductFactory(shop=shop, category=CategoryFactory(requires_return_freight=True), title="大闸蟹礼券")
    recompute_labels(scope=Scope.of(shop_ids=[shop.pk]))
    make_user("merchant", shop=shop, username="trust-m")

    login(page, "trust-m")

    # Before: the product list shows the product without the label.
    page.locator("nav a[data-menu=products]").click()
    row = page.locator(f"#product-{product.code}")
    expect(row).to_contain_text("坚果礼盒")
    expect(row.locator(".badge.trust")).to_have_count(0)

    # 权益中心: 假一赔九 is off, and turning it on would give one product the label.
    page.locator("nav a[data-menu=rights]").click()
    expect(page).to_have_url(f"{live_server.url}/rights/")
    service = page.locator(f"#service-{ServiceCode.FAKE_PAY_NINE}")
    expect(service.locator(".badge.off")).to_be_visible()
    expect(service).to_contain_text("+1")
    service.locator("a.button").click()

    # Confirmation step: the impact is shown before anything changes.
    expect(page).to_have_url(f"{live_server.url}/rights/services/{ServiceCode.FAKE_PAY_NINE}/toggle/")
    gain = page.locator("#gain")
    expect(gain).to_contain_text(
        trn("%(n)s product will gain the 信任购 label.", "%(n)s products will gain the 信任购 label.", 1)
    )
    expect(page.locator("#lose")).to_contain_text(
        trn("%(n)s product will lose the 信任购 label.", "%(n)s products will lose the 信任购 label.", 0)
    )
    # "See them" lists exactly the products that would gain the label; back to confirm.
    gain.locator("a").click()
    expect(page.locator("main tbody tr[id^=product-]")).to_have_count(1)
    expect(row).to_be_visible()
    expect(page.locator(f"#product-{other.code}")).to_have_count(0)
    page.go_back()
    assert not ShopService.objects.filter(shop=shop, code=ServiceCode.FAKE_PAY_NINE, enabled=True).exists()
    page.locator("main form button[type=submit]").click()

    # Back in 权益中心: the service is on, with the success message.
    expect(page).to_have_url(f"{live_server.url}/rights/")
    service_name = tr("假一赔九")
    expect(page.locator("ul.messages li.success")).to_contain_text(tr("%(service)s is on.", service=service_name))
    expect(service.locator(".badge.on")).to_be_visible()

    # After: the product list shows the 信任购 badge on the product.
    page.locator("nav a[data-menu=products]").click()
    expect(row.locator(".badge.trust")).to_have_text("信任购")
    expect(page.locator(f"#product-{other.code} .badge.trust")).to_have_count(0)
    product.refresh_from_db()
    assert product.trust_label is True
