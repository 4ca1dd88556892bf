"""系统管理 looks like the same product at 1366×768 and 390×844: the brand, the way back to the
工作台 and the shell's menu, Chinese column names on the axes and send-log lists."""

import pytest
from django.core.management import call_command

from hqzt.notifications.models import OutboundMessage
from tests.browser.conftest import DEMO_PASSWORD, DESKTOP, PHONE, login, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_admin_is_part_of_the_product(settings, tmp_path, live_server, new_page, viewport):
    settings.DATA_DIR = tmp_path
    call_command("seed_demo", password=DEMO_PASSWORD, without_needs=True)
    OutboundMessage.objects.create(channel="sms", to="13812345678", body="您的需求已受理")
    base, size = live_server.url, viewport["width"]
    page = login(new_page, base, "admin", viewport)
    page.goto(f"{base}/admin/")
    page.get_by_test_id("admin-shell-nav").wait_for()
    assert "登录安全" in page.locator("#content").inner_text()
    screenshot(page, f"admin-index-{size}")
    page.goto(f"{base}/admin/axes/accesslog/")  # the login above wrote one
    page.locator("#changelist").wait_for()
    assert "浏览器标识" in page.locator("#changelist").inner_text()
    page.goto(f"{base}/admin/notifications/outboundmessage/")
    page.locator("#changelist").wait_for()
    assert "收件人" in page.locator("#changelist").inner_text()
    screenshot(page, f"admin-outbound-{size}")
    page.get_by_test_id("admin-back").click()
    page.wait_for_url(f"{base}/home/")
