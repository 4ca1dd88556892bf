"""The chief's inbox on a PC and a phone: 未读 only, page 2 by its number, 全部已读."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from hqzt.accounts.models import User
from hqzt.notifications.models import Notification
from tests.browser.conftest import DEMO_PASSWORD, DESKTOP, PHONE, login, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_unread_filter_pages_and_read_all(settings, tmp_path, live_server, new_page, viewport):
    settings.DATA_DIR = tmp_path
    call_command("seed_demo", password=DEMO_PASSWORD, without_needs=True)
    chief = User.objects.get(username="chief1")
    Notification.objects.filter(recipient=chief).update(read_at="2025-06-01T08:00:00+08:00")
    Notification.objects.bulk_create(
        Notification(recipient=chief, kind="test", title=f"催办提醒 {i:02d}") for i in range(25)
    )
    base, size = live_server.url, viewport["width"]
    page = login(new_page, base, "chief1", viewport)
    page.get_by_test_id("inbox-link").click()
    page.get_by_test_id("inbox-filter").get_by_role("link", name="未读").click()
    # expect() waits for the new page: a bare count() can read the DOM of a page still loading.
    expect(page.get_by_test_id("inbox-pages")).to_contain_text("共 25 条")
    expect(page.get_by_test_id("inbox").locator("li")).to_have_count(20)
    assert page.evaluate("document.documentElement.scrollWidth") <= size
    screenshot(page, f"inbox-chief1-{size}")
    page.get_by_role("link", name="第 2 页").click()
    expect(page.get_by_test_id("inbox").locator("li")).to_have_count(5)
    page.get_by_test_id("read-all").click()
    page.wait_for_load_state()
    page.get_by_test_id("inbox-filter").get_by_role("link", name="未读").click()
    expect(page.get_by_test_id("inbox")).to_contain_text("没有未读消息")
    assert not Notification.objects.filter(recipient=chief, read_at__isnull=True).exists()
