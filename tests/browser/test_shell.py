"""The staff shell for each demo role on a government PC (1366×768) and a phone (390×844): the
left menu shows exactly the role's groups; on a phone it is a drawer behind a ≥44 px toggle; the
main staff pages never scroll sideways at 390 px; breadcrumbs and the user menu say where one is
and who one is."""

import pytest
from django.core.management import call_command

from tests.browser.conftest import DEMO_PASSWORD, DESKTOP, PHONE, login, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

STATION = ["需求办理", "站务", "监督", "统计", "档案", "基础数据"]
GROUPS = {
    "admin": [*STATION, "系统管理"],
    "supervisor": STATION,
    "chief1": STATION,
    "handler1": ["需求办理", "监督", "统计", "档案", "基础数据"],
}
PAGES = [
    "/home/",
    "/todo/",
    "/needs/",
    "/inbox/",
    "/stats/",
    "/ops/",
    "/supervision/",
    "/conformance/",
    "/records/archive/",
    "/enterprises/",
    "/stations/",
    "/policies/",
]


@pytest.fixture
def base(settings, tmp_path, live_server):
    settings.DATA_DIR = tmp_path
    call_command("seed_demo", password=DEMO_PASSWORD, without_needs=True)
    return live_server.url


def _groups(page) -> list[str]:
    toggles = page.get_by_test_id("main-nav").locator(".app-nav-group-toggle")
    return [t.strip() for t in toggles.all_inner_texts()]


@pytest.mark.parametrize("username", list(GROUPS))
def test_desktop_shell_per_role(base, new_page, username):
    page = login(new_page, base, username, DESKTOP)
    menu = page.get_by_test_id("main-nav")
    assert menu.is_visible()
    assert _groups(page) == GROUPS[username]
    # Full width: the content runs to the right edge, not capped at Bootstrap's 1,140 px.
    main = page.locator("#main").bounding_box()
    assert main["x"] + main["width"] >= DESKTOP["width"] - 20
    page.goto(f"{base}/needs/")
    crumbs = page.get_by_test_id("breadcrumbs").inner_text().split()
    assert crumbs == ["首页", "需求办理", "需求台账"]
    assert menu.locator("a[aria-current=page]").inner_text() == "需求台账"
    screenshot(page, f"shell-{username}-ledger-1366")
    # The other groups are folded on a page of one group; a click unfolds them.
    reference = menu.get_by_role("link", name="政策库", exact=True)
    assert not reference.is_visible()
    menu.get_by_role("button", name="基础数据").click()
    reference.wait_for()
    page.get_by_test_id("user-menu").click()
    identity = page.get_by_test_id("user-identity").inner_text()
    assert username not in ("chief1",) or "站长" in identity
    page.context.close()


@pytest.mark.parametrize("username", list(GROUPS))
def test_phone_shell_per_role(base, new_page, username):
    page = login(new_page, base, username, PHONE)
    menu = page.get_by_test_id("main-nav")
    assert not menu.is_visible()
    toggle = page.get_by_test_id("menu-toggle")
    box = toggle.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    toggle.click()
    page.locator("#sideNav.show").wait_for()
    assert _groups(page) == GROUPS[username]
    screenshot(page, f"shell-{username}-drawer-390")
    menu.get_by_role("link", name="需求台账", exact=True).click()
    page.wait_for_url("**/needs/")
    assert not menu.is_visible()  # the drawer closed with the new page
    for path in PAGES:
        page.goto(f"{base}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{username} {path}: {width}px wide"
    page.goto(f"{base}/needs/")
    screenshot(page, f"shell-{username}-ledger-390")
    page.context.close()
