"""Staff register a need for an enterprise the station does not know yet, without leaving the
registration form: search (nothing), 新建企业 in the dialog, a mistake, the fix; the new
enterprise is chosen and its contact fills the form. Then a known one by two characters."""

import pytest
from django.core.management import call_command

from hqzt.enterprises.models import Enterprise
from hqzt.needs.models import Need
from tests.browser.conftest import DEMO_PASSWORD, PHONE, login, pick_enterprise, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_a_new_enterprise_is_registered_in_the_dialog_and_chosen(
    settings, tmp_path, live_server, new_page
):
    settings.DATA_DIR = tmp_path
    call_command("seed_demo", password=DEMO_PASSWORD, without_needs=True)
    base = live_server.url
    page = login(new_page, base, "staff1")
    page.goto(f"{base}/needs/new/")
    page.get_by_label("企业名称").fill("星辰光电")
    page.get_by_text("没有与「星辰光电」匹配的").wait_for()

    page.get_by_role("button", name="新建企业").click()
    dialog = page.get_by_role("dialog", name="新建企业")
    dialog.get_by_label("企业名称").fill("晋城市星辰光电有限公司")
    dialog.get_by_label("统一社会信用代码").fill("91350100M000100Y44")
    dialog.locator("#id_c-0-name").fill("孙七")
    dialog.locator("#id_c-0-phone").fill("139 0356 7777")
    dialog.get_by_role("button", name="保存并选用").click()
    assert "校验位错误" in dialog.locator('[data-field="credit_code"]').inner_text()
    screenshot(page, "register-new-enterprise-error")
    assert not Enterprise.objects.filter(name="晋城市星辰光电有限公司").exists()

    dialog.get_by_label("统一社会信用代码").fill("91350100M000100Y43")
    dialog.get_by_role("button", name="保存并选用").click()
    dialog.wait_for(state="hidden")
    assert page.get_by_label("企业联系人").input_value() == "孙七"
    assert page.get_by_label("联系电话").input_value() == "13903567777"
    assert "已选择：晋城市星辰光电有限公司" in page.locator("[data-picker-chosen]").inner_text()

    page.get_by_label("受理渠道").select_option(label="现场")
    item = page.get_by_test_id("need-item").nth(0)
    item.get_by_label("企业需求类型").select_option(label="计量")
    item.get_by_label("企业需求", exact=True).fill("新厂房的地磅需要首次检定")
    page.get_by_role("button", name="登记").click()
    page.get_by_text("已登记，跟踪单号").wait_for()
    need = Need.objects.get()
    assert need.enterprise.name == "晋城市星辰光电有限公司" and need.contact_name == "孙七"


def test_a_known_enterprise_by_two_characters_on_a_phone(settings, tmp_path, live_server, new_page):
    settings.DATA_DIR = tmp_path
    call_command("seed_demo", password=DEMO_PASSWORD, without_needs=True)
    base = live_server.url
    page = login(new_page, base, "staff1", viewport=PHONE)
    page.goto(f"{base}/needs/new/")
    enterprise = Enterprise.objects.filter(stations__members__user__username="staff1").first()
    pick_enterprise(page, enterprise.name[3:5], enterprise.name)
    assert page.get_by_label("企业名称").input_value() == enterprise.name
    contact = enterprise.contacts.first()
    if contact:
        assert page.get_by_label("企业联系人").input_value() == contact.name
    screenshot(page, "register-picker-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def test_another_stations_enterprise_is_not_offered_and_the_page_says_whom_to_ask(
    settings, tmp_path, live_server, new_page
):
    """Staff type the full name of an enterprise only another station serves (ADR 0006): no
    match, a sentence saying the 上级单位 adds the link; the 新建企业 dialog refuses its code the
    same way, and nothing of that enterprise beyond what was typed is shown."""
    settings.DATA_DIR = tmp_path
    call_command("seed_demo", password=DEMO_PASSWORD, without_needs=True)
    base = live_server.url
    foreign = (
        Enterprise.objects.exclude(stations__members__user__username="staff1")
        .exclude(credit_code=None)
        .first()
    )
    page = login(new_page, base, "staff1")
    page.goto(f"{base}/needs/new/")
    page.wait_for_load_state()
    page.get_by_label("企业名称").fill(foreign.name)
    page.get_by_text("如需由本站服务，请联系上级单位添加服务关系").wait_for()
    screenshot(page, "register-picker-other-station")

    page.get_by_role("button", name="新建企业").click()
    dialog = page.get_by_role("dialog", name="新建企业")
    dialog.get_by_label("企业名称").fill("员工输入的名称有限公司")
    dialog.get_by_label("统一社会信用代码").fill(foreign.credit_code)
    dialog.get_by_role("button", name="保存并选用").click()
    field = dialog.locator('[data-field="credit_code"]')
    field.get_by_text("该企业已由其他服务站登记").wait_for()
    assert foreign.name not in dialog.inner_text()
    screenshot(page, "register-new-enterprise-other-station")
    assert not Enterprise.objects.filter(name="员工输入的名称有限公司").exists()
