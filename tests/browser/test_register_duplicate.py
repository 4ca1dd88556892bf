"""Staff register what the enterprise already asked for: the page shows the probable duplicate
before saving, and the staff member adds the need to the enterprise's existing sheet."""

import pytest
from django.core.management import call_command

from hqzt.needs.models import TrackingSheet
from tests.browser.conftest import DEMO_PASSWORD, login, pick_enterprise, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def _register(page, base: str, text: str) -> None:
    page.goto(f"{base}/needs/new/")
    pick_enterprise(page, "公司")
    page.get_by_label("企业联系人").fill("赵经理")
    page.get_by_label("联系电话").fill("139 0356 8888")
    page.get_by_label("受理渠道").select_option(label="现场")
    item = page.get_by_test_id("need-item").nth(0)
    item.get_by_label("企业需求类型").select_option(label="计量")
    item.get_by_label("企业需求", exact=True).fill(text)
    page.get_by_role("button", name="登记").click()
    page.wait_for_load_state()


def test_a_duplicate_is_offered_and_added_to_the_existing_sheet(
    settings, tmp_path, live_server, new_page
):
    settings.DATA_DIR = tmp_path
    call_command("seed_demo", password=DEMO_PASSWORD, without_needs=True)
    base = live_server.url
    page = login(new_page, base, "staff1")
    _register(page, base, "厂里地磅检定到期了，请安排上门检定")
    page.get_by_text("已登记，跟踪单号").wait_for()
    first = TrackingSheet.objects.get()

    _register(page, base, "厂里的地镑检订到期了，请安排上门检定。")
    panel = page.get_by_test_id("registration-duplicates")
    assert "可能是重复登记" in panel.inner_text()
    assert TrackingSheet.objects.count() == 1 and first.needs.count() == 1
    screenshot(page, "register-duplicate")
    panel.get_by_label(f"加入已有跟踪单 {first.tracking_number}").check()
    page.get_by_role("button", name="登记").click()
    page.get_by_text("已登记，跟踪单号").wait_for()
    assert TrackingSheet.objects.count() == 1
    assert list(first.needs.values_list("row_number", flat=True).order_by("row_number")) == [1, 2]
