"""Browser: login, the language switch (menu and page body), the phone-width menu (BX-8)."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import tr
from tests.shop.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


BODY_MSGID = "Badges, sale state and opt-outs per product."  # a sentence of the merchant home page


def test_login_and_language_switch(page, login, live_server):
    make_user("merchant", username="browser-m")
    login(page, "browser-m")
    body_zh = tr(BODY_MSGID, "zh-hans")
    assert body_zh != BODY_MSGID, "the zh-hans catalogue must translate the home page"
    main = page.locator("main")
    assert page.locator("nav").get_by_text("权益中心").first.is_visible()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(main).to_contain_text(body_zh)
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("nav").get_by_text("Rights centre").first.is_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(main).to_contain_text(BODY_MSGID)
    expect(main).not_to_contain_text(body_zh)
    # The choice sticks: another page is in English too, body included.
    page.locator("nav a[data-menu=rights]").click()
    expect(page.locator("main h1")).to_have_text("Rights centre (权益中心)")
    with page.expect_navigation():
        page.select_option("select[name=language]", "zh-hans")
    assert page.locator("nav").get_by_text("权益中心").first.is_visible()
    expect(page.locator("main h1")).to_have_text(tr("Rights centre (权益中心)", "zh-hans"))
    page.goto(f"{live_server.url}/")
    expect(main).to_contain_text(body_zh)
    expect(main).not_to_contain_text(BODY_MSGID)


def test_phone_width_menu_collapses(phone_page, login):
    make_user("merchant", username="browser-p")
    login(phone_page, "browser-p")
    menu = phone_page.locator("nav.menu")
    assert not menu.is_visible()
    phone_page.click("label.menu-button")
    assert menu.is_visible()
