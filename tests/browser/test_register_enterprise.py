"""A chief registers an enterprise the way a person would: a mistake first, then the fix."""

import pytest
from django.core.management import call_command

from hqzt.enterprises.models import Enterprise
from tests.browser.conftest import nav_click, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

PASSWORD = "Browser-Demo-2025"


def test_chief_registers_an_enterprise(settings, tmp_path, live_server, new_page):
    settings.DATA_DIR = tmp_path
    call_command("seed_demo", password=PASSWORD, without_needs=True)
    page = new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "chief1")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()

    page.wait_for_url("**/home/")
    nav_click(page, "基础数据", "企业")
    page.get_by_role("link", name="登记企业").click()
    page.get_by_label("企业名称").fill("晋城市示例光学有限公司")
    page.get_by_label("统一社会信用代码").fill("91350100M000100Y44")
    page.locator("#id_c-0-name").fill("赵六")
    page.locator("#id_c-0-phone").fill("139 0356 1234")
    page.get_by_role("button", name="保存").click()

    error = page.locator('[data-field="credit_code"]')
    assert "校验位错误" in error.inner_text()
    screenshot(page, "enterprise-form-error")
    assert not Enterprise.objects.filter(name="晋城市示例光学有限公司").exists()

    page.get_by_label("统一社会信用代码").fill("91350100m000100y43")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("已保存").wait_for()
    assert "91350100M000100Y43" in page.content()
    assert "13903561234" in page.get_by_test_id("contacts").inner_text()
    enterprise = Enterprise.objects.get(name="晋城市示例光学有限公司")
    assert enterprise.stations.get().name == "光机电产业链惠企直通服务站"
    screenshot(page, "enterprise-detail")
