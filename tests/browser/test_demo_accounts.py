"""Every demo account logs in through the real login page and lands on its own home page, on a
government PC screen and on a phone."""

import pytest
from django.core.management import call_command

from tests.browser.conftest import DESKTOP, PHONE, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

PASSWORD = "Browser-Demo-2025"
HOME_TITLES = {
    "admin": "系统管理员工作台",
    "supervisor": "晋城市市场监督管理局 · 监督工作台",
    "chief1": "站长工作台",
    "staff1": "驻站工作人员工作台",
    "staff2": "驻站工作人员工作台",
    "handler1": "经办科室工作台",
}


@pytest.fixture
def demo(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    call_command("seed_demo", password=PASSWORD, without_needs=True)


def _login(page, base_url, username, password=PASSWORD):
    page.goto(f"{base_url}/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base_url}/home/")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_each_demo_account_lands_on_its_home(demo, live_server, new_page, viewport):
    for username, title in HOME_TITLES.items():
        page = new_page(viewport)
        _login(page, live_server.url, username)
        assert page.get_by_test_id("home-title").inner_text() == title
        # Nothing wider than the screen: the layout holds at phone width.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{username}: page is {width}px wide"
        screenshot(page, f"home-{username}-{viewport['width']}")
        page.context.close()


def test_wrong_password_shows_a_chinese_error(demo, live_server, new_page):
    page = new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "staff1")
    page.fill("#id_password", "not-the-password")
    page.get_by_role("button", name="登录").click()
    assert "请输入一个正确的用户名和密码" in page.locator(".alert-danger").inner_text()


def test_logout_from_the_phone_menu(demo, live_server, new_page):
    page = new_page(PHONE)
    _login(page, live_server.url, "staff2")
    page.get_by_label("展开菜单").click()
    page.locator("#sideNav.show").wait_for()  # the drawer's animation has finished
    page.get_by_label("关闭菜单").click()
    page.locator("#sideNav.show").wait_for(state="detached")
    page.get_by_test_id("user-menu").click()
    page.locator(".dropdown-menu.show").wait_for()
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    page.goto(f"{live_server.url}/home/")
    assert "/accounts/login/" in page.url
