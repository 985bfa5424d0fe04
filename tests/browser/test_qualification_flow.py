"""Browser: a merchant publishes a product whose category needs a licence, adds the licence with
an image from the product form, a reviewer approves it in Django admin, and the product goes on
sale (QL-2, QL-3)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from qualifications.constants import RevisionStatus
from qualifications.models import Qualification
from shop.models import Product
from tests.browser.helpers import png_file, tr
from tests.qualifications.factories import license_type
from tests.shop.factories import CategoryFactory, ShopFactory, make_user

pytestmark = pytest.mark.django_db(transaction=True)

CERT_NO = "JY13101150012345"


def test_ql2_ql3_licence_uploaded_approved_in_admin_puts_the_product_on_sale(page, new_page, login, live_server):
    license_type(code="food_license", name="食品经营许可证")
    category = CategoryFactory(code="snacks", name="休闲零食", required_qualification_types=["food_license"])
    shop = ShopFactory(code="S-NUTS", name="坚果铺")
    make_user("merchant", shop=shop, username="qual-m")
    make_user("reviewer", username="qual-r")
    until = timezone.localdate() + timedelta(days=365)

    # Merchant: 商品资质 → publish a product of a category that needs a 食品经营许可证.
    login(page, "qual-m")
    page.locator("nav a[data-menu=qualifications]").click()
    expect(page).to_have_url(f"{live_server.url}/qualifications/")
    page.locator("main a.button[href='/qualifications/publish/']").click()
    form = page.locator("form#publish")
    form.locator("[name=code]").fill("P-NUTS-1")
    form.locator("[name=title]").fill("每日坚果 750g")
    form.locator("[name=category]").select_option(str(category.pk))
    form.locator("[name=price]").fill("89.00")
    form.locator("button[value=refresh]").click()
    add = page.locator("button[value='add:food_license']")
    expect(add).to_be_visible()

    # "Add a new one" keeps the product form and opens 新增资质 for that type.
    add.click()
    expect(page).to_have_url(f"{live_server.url}/qualifications/new/?type=food_license&return=publish")
    page.locator("[name=number]").fill(CERT_NO)
    page.locator("[name=holder]").fill("坚果铺食品有限公司")
    page.locator("[name=issued_on]").fill((timezone.localdate() - timedelta(days=30)).isoformat())
    page.locator("[name=valid_until]").fill(until.isoformat())
    page.locator("input[type=file][name=certificate]").set_input_files(png_file())
    preview = page.locator("input[name=certificate] + img.preview")
    expect(preview).to_be_visible()  # client-side preview of the chosen image
    page.locator("main form button[type=submit]").click()

    # Back on the product form, with the new licence ticked and marked as under review.
    expect(page).to_have_url(re.compile(r"/qualifications/publish/\?added=\d+$"))
    q = Qualification.objects.get(certificate_number=CERT_NO)
    assert q.latest_revision.status == RevisionStatus.PENDING  # automatic checks ran and passed
    assert q.latest_revision.uploads.count() == 1
    picked = page.locator(f"input[name=qualifications][value='{q.pk}']")
    expect(picked).to_be_checked()
    expect(page.locator("form#publish [name=code]")).to_have_value("P-NUTS-1")
    page.locator("button[value=publish]").click()
    expect(page.locator("ul.messages li.warning")).to_contain_text("qualification_missing")
    product = Product.objects.get(code="P-NUTS-1")
    assert product.on_sale is False

    page.goto(f"{live_server.url}/products/?q=P-NUTS-1")
    sale = page.locator("#product-P-NUTS-1 td").last
    expect(sale.locator(".badge.off")).to_be_visible()
    expect(sale).to_contain_text("qualification_missing")

    # Reviewer: Django admin → qualifications → review queue, look at the image, approve.
    admin = new_page()
    login(admin, "qual-r")
    admin.goto(f"{live_server.url}/admin/qualifications/qualification/?queue=review")
    row = admin.locator("#result_list tbody tr", has_text=CERT_NO)
    expect(row).to_have_count(1)
    thumb = row.locator("img").first
    expect(thumb).to_be_visible()
    assert thumb.evaluate("img => img.complete && img.naturalWidth > 0"), "the reviewer cannot see the licence image"
    row.locator("input[name=_selected_action]").check()
    admin.locator("select[name=action]").select_option("approve_selected")
    admin.locator("button[name=index]").click()
    expect(admin.locator("ul.messagelist li.success")).to_contain_text(tr("%(n)d qualification(s) decided.", n=1))
    expect(admin.locator("#result_list tbody tr", has_text=CERT_NO)).to_have_count(0)  # left the queue

    # Merchant: the product is on sale, in the list and on its page; the licence shows approved.
    page.goto(f"{live_server.url}/products/?q=P-NUTS-1")
    expect(sale.locator(".badge.on")).to_have_text(tr("on sale"))
    page.locator("#product-P-NUTS-1 a").first.click()
    expect(page).to_have_url(f"{live_server.url}/products/P-NUTS-1/")
    expect(page.locator("main .badge.on", has_text=tr("on sale"))).to_be_visible()
    page.goto(f"{live_server.url}/qualifications/{q.pk}/")
    expect(page.locator("main h1")).to_contain_text("食品经营许可证")
    expect(page.locator("main .card").first.locator(".badge.on").first).to_be_visible()
    product.refresh_from_db()
    assert product.on_sale is True and product.blocked_reasons == []
