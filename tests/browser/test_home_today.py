"""The chief's day starts on the home page at 1366×768 and 390×844: the need waiting for dispatch
is in the 待我办理 table, its 分发任务 button opens the need page with that dialog open, and
登记需求 is one click away."""

import pytest
from django.core.management import call_command

from tests.browser.conftest import DEMO_PASSWORD, DESKTOP, PHONE, login, screenshot
from tests.browser.test_need_workbench import _need_awaiting_dispatch

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_action_waiting_for_the_chief_is_one_click_away(
    settings, tmp_path, live_server, new_page, viewport
):
    settings.DATA_DIR = tmp_path
    call_command("seed_demo", password=DEMO_PASSWORD, without_needs=True)
    need = _need_awaiting_dispatch()
    base, size = live_server.url, viewport["width"]
    page = login(new_page, base, "chief1", viewport)
    row = page.get_by_test_id("home-todo-row").filter(has_text=need.label)
    row.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= size
    screenshot(page, f"home-today-chief1-{size}")
    row.get_by_role("link", name="分发任务").click()
    page.wait_for_url(f"**/needs/{need.pk}/#action-dispatch")
    page.get_by_test_id("panel-dispatch").wait_for(state="visible")
    page.goto(f"{base}/home/")
    page.get_by_test_id("quick-register").click()
    page.wait_for_url("**/needs/new/")
