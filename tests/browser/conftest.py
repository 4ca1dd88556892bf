"""Playwright driving Debian's Chromium (`playwright install` cannot download here).

Outside CI a missing /usr/bin/chromium skips these tests with a message; in CI it fails them.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(viewport=DESKTOP, **options):
        context = browser.new_context(viewport=viewport, locale="zh-CN", **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> None:
    """Keep a picture of what the test saw, for people to look at (test-artifacts/)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


# The demo data set's password in browser tests (seed_demo --password).
DEMO_PASSWORD = "Browser-Demo-2025"


def login(new_page, base: str, username: str, viewport=DESKTOP, **options):
    """A new browser window signed in as `username`, on its home page."""
    page = new_page(viewport, **options)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/home/")
    return page


def nav_click(page, group: str, item: str) -> None:
    """Follow a left-menu entry, unfolding its group first where it is folded (only the group of
    the current page and, on the home page, every group start unfolded)."""
    menu = page.get_by_test_id("main-nav")
    link = menu.get_by_role("link", name=item, exact=True)
    if not link.is_visible():
        menu.get_by_role("button", name=group, exact=True).click()
    link.click()
    page.wait_for_load_state()


def open_action(page, panel: str):
    """Open a need action's dialog — a primary button at the top of the need page (the bottom
    bar on a phone) or an entry of its 更多操作 menu — and return the dialog."""
    dialog = page.get_by_test_id(f"panel-{panel}")
    if not dialog.is_visible():
        trigger = page.get_by_test_id(f"open-{panel}")
        if not trigger.is_visible():
            page.get_by_test_id("more-actions").click()
        trigger.click()
        dialog.wait_for(state="visible")
    return dialog


def pick_enterprise(page, text: str, name: str | None = None) -> None:
    """Choose an enterprise in the registration form's picker as a person does: type part of
    its name, click the match (the first, or the one named `name`).

    Waits for the page's load first: the scripts sit at the end of <body>, so on a loaded
    machine the search box can be typed into before HTMX listens, and no list ever comes."""
    page.wait_for_load_state()
    page.get_by_label("企业名称").fill(text)
    options = page.get_by_role("listbox", name="匹配的企业").get_by_role("option")
    option = options.filter(has_text=name) if name else options.first
    option.first.click()
