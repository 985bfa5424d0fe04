"""Browser tests: Playwright (Python) driving Debian's chromium (never a downloaded browser),
headless, against pytest-django's live server. A failing test leaves a screenshot in
test-results/screenshots/."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import IN_CI

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail("Debian chromium must be installed in CI (apt-get install chromium)")
        pytest.skip("Debian chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


EXTRA_PAGES = pytest.StashKey[list]()


def _pages_of(item) -> list[tuple[str, object]]:
    """Every browser page the test used: the page fixtures plus pages made by ``new_page``."""
    from playwright.sync_api import Page

    found = [(name, value) for name, value in item.funcargs.items() if isinstance(value, Page)]
    found += [(f"extra{i}", p) for i, p in enumerate(item.stash.get(EXTRA_PAGES, []), start=1)]
    return found


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        pages = _pages_of(item)
        if pages:
            SHOTS.mkdir(parents=True, exist_ok=True)
        for name, page in pages:
            suffix = "" if name == "page" else f"-{name}"
            # A screenshot must never hide the real failure.
            with contextlib.suppress(Exception):
                page.screenshot(path=str(SHOTS / f"{item.name}{suffix}.png"), full_page=True)


@pytest.fixture
def context(browser):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    p = context.new_page()
    p.set_default_timeout(15_000)
    return p


@pytest.fixture
def phone_page(browser):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    p = ctx.new_page()
    p.set_default_timeout(15_000)
    yield p
    ctx.close()


@pytest.fixture
def login(live_server):
    def do(page, username, password="pass-word-123"):
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("button[type=submit]")
        return page

    return do


@pytest.fixture
def new_page(browser, request):
    """``new_page(locale="zh-CN", phone=False)`` → a page in a browser context of its own, for a
    second user in the same test (e.g. the reviewer in Django admin next to the merchant)."""
    contexts = []
    request.node.stash[EXTRA_PAGES] = []

    def make(*, locale: str = "zh-CN", phone: bool = False):
        size = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
        ctx = browser.new_context(locale=locale, viewport=size, is_mobile=phone, has_touch=phone)
        contexts.append(ctx)
        p = ctx.new_page()
        p.set_default_timeout(15_000)
        request.node.stash[EXTRA_PAGES].append(p)
        return p

    yield make
    for ctx in contexts:
        ctx.close()
