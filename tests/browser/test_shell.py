"""Browser: login and the language switch (BX-8)."""

import pytest

from tests.shop.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_and_language_switch(page, login, live_server):
    make_user("merchant", username="browser-m")
    login(page, "browser-m")
    assert page.locator("nav").get_by_text("权益中心").first.is_visible()
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("nav").get_by_text("Rights centre").first.is_visible()
    with page.expect_navigation():
        page.select_option("select[name=language]", "zh-hans")
    assert page.locator("nav").get_by_text("权益中心").first.is_visible()


def test_phone_width_menu_collapses(phone_page, login):
    make_user("merchant", username="browser-p")
    login(phone_page, "browser-p")
    menu = phone_page.locator("nav.menu")
    assert not menu.is_visible()
    phone_page.click("label.menu-button")
    assert menu.is_visible()
