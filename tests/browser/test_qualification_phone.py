"""Browser, phone width (390×844): the qualification pages — list, 新增资质 form, detail — fit
the screen without sideways scrolling and their main actions can be reached and used (QL-7)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from qualifications import services
from qualifications.models import Qualification
from tests.browser.helpers import horizontal_overflow, png_file, within_viewport
from tests.qualifications.factories import license_type, make_upload
from tests.shop.factories import ShopFactory, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def assert_fits(page, what: str) -> None:
    overflow = horizontal_overflow(page)
    assert overflow is None, f"{what} scrolls sideways at phone width: {overflow}"


def assert_reachable(page, locator, what: str) -> None:
    expect(locator).to_be_visible()
    locator.scroll_into_view_if_needed()
    assert within_viewport(page, locator), f"{what} is outside the screen width"


def test_ql7_qualification_pages_fit_a_phone_and_their_actions_work(phone_page, login, live_server):
    page = phone_page
    qtype = license_type(code="food_license", name="食品经营许可证")
    shop = ShopFactory(code="S-PHONE", name="手机小店")
    merchant = make_user("merchant", shop=shop, username="phone-m")
    until = timezone.localdate() + timedelta(days=200)
    services.qualification_submit(
        actor=merchant,
        qtype=qtype,
        values={
            "number": "JY13101150000001",
            "holder": "手机小店食品经营有限责任公司（上海市浦东新区分公司）",
            "valid_until": until.isoformat(),
            "certificate": make_upload(merchant).pk,
        },
        shop=shop,
    )
    assert page.viewport_size == {"width": 390, "height": 844}

    # List: reached through the phone menu.
    login(page, "phone-m")
    page.locator("label.menu-button").tap()
    page.locator("nav a[data-menu=qualifications]").tap()
    expect(page).to_have_url(f"{live_server.url}/qualifications/")
    expect(page.locator("main table.responsive")).to_contain_text("JY13101150000001")
    assert_fits(page, "the qualification list")
    assert_reachable(page, page.locator("main tbody tr a[href$='/edit/']").first, "the row's Edit link")
    add = page.locator("main a.button[href='/qualifications/new/']")
    assert_reachable(page, add, "Add qualification")
    add.tap()

    # New: type picker, then the type's form with an image taken from the phone.
    expect(page).to_have_url(f"{live_server.url}/qualifications/new/")
    assert_fits(page, "the type picker")
    page.locator("#id_type").select_option("food_license")
    nxt = page.locator("main form button[type=submit]")
    assert_reachable(page, nxt, "Next")
    nxt.tap()
    expect(page.locator("input[type=file][name=certificate]")).to_be_attached()
    assert_fits(page, "the new-qualification form")
    page.locator("[name=number]").fill("JY13101150000002")
    page.locator("[name=valid_until]").fill(until.isoformat())
    page.locator("input[name=certificate]").set_input_files(png_file(size=(1200, 800)))
    expect(page.locator("input[name=certificate] + img.preview")).to_be_visible()
    assert_fits(page, "the new-qualification form with an image preview")
    submit = page.locator("main form[method=post] button[type=submit]")
    assert_reachable(page, submit, "Submit for review")
    submit.tap()

    # Detail: revisions, history and the actions, all within the screen width.
    expect(page).to_have_url(re.compile(r"/qualifications/\d+/$"))
    q = Qualification.objects.get(certificate_number="JY13101150000002")
    assert page.url.endswith(f"/qualifications/{q.pk}/")
    expect(page.locator("main h1")).to_contain_text("食品经营许可证")
    expect(page.locator("main img[src^='/files/']").first).to_be_visible()
    assert_fits(page, "the qualification detail")
    assert_reachable(page, page.locator(f"main a.button[href='/qualifications/{q.pk}/edit/']"), "Edit")
    back = page.locator("main a.button[href='/qualifications/']")
    assert_reachable(page, back, "Back to list")
    back.tap()
    expect(page).to_have_url(f"{live_server.url}/qualifications/")
    expect(page.locator("main tbody tr")).to_have_count(2)
    assert_fits(page, "the qualification list with two rows")
