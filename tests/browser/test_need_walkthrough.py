"""One need from intake to archive through the UI, each step by the right demo account, with a
不满意 evaluation that sends it back for a second round, and the enterprise's own evaluation."""

import re

import pytest
from django.core.management import call_command

from hqzt.needs.models import Need
from hqzt.notifications.models import OutboundMessage
from tests.browser.conftest import (
    DEMO_PASSWORD,
    PHONE,
    login,
    nav_click,
    open_action,
    pick_enterprise,
    screenshot,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def _act(page, panel: str, button: str) -> None:
    open_action(page, panel).get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()
    alert = page.locator(".alert-danger")
    assert alert.count() == 0, alert.first.inner_text()


def _status(page) -> str:
    return page.get_by_test_id("need-status").inner_text()


def test_need_from_intake_to_archive(settings, tmp_path, live_server, new_page):
    settings.DATA_DIR = tmp_path
    settings.HQZT_BASE_URL = live_server.url
    call_command("seed_demo", password=DEMO_PASSWORD, without_needs=True)
    base = live_server.url

    # staff1 registers two needs of one enterprise on one sheet.
    page = login(new_page, base, "staff1")
    nav_click(page, "需求办理", "需求台账")
    page.locator("#main").get_by_role("link", name="登记需求").click()
    pick_enterprise(page, "公司")
    page.get_by_label("企业联系人").fill("赵经理")
    page.get_by_label("联系电话").fill("139 0356 8888")
    page.get_by_label("受理渠道").select_option(label="现场")
    items = page.get_by_test_id("need-item")
    items.nth(0).get_by_label("企业需求类型").select_option(label="计量")
    items.nth(0).get_by_label("企业需求", exact=True).fill("压力表周期检定，希望上门服务")
    items.nth(1).get_by_label("企业需求类型").select_option(label="政策咨询")
    items.nth(1).get_by_label("企业需求", exact=True).fill("咨询质量提升奖补政策")
    page.get_by_role("button", name="登记").click()
    number = page.get_by_test_id("tracking-number").inner_text()
    assert re.fullmatch(r"\d{8}", number)
    assert page.get_by_test_id("sheet-table").locator("tbody tr").count() == 2
    screenshot(page, "walk-01-sheet")
    page.get_by_role("link", name="压力表周期检定，希望上门服务").click()
    need_url = page.url

    open_action(page, "identify").get_by_label("市场监管职能范围").check()
    open_action(page, "identify").get_by_label("需要协调").check()
    _act(page, "identify", "需求识别")
    assert _status(page) == "待站长分发"

    # chief1 dispatches it to 计量科.
    chief = login(new_page, base, "chief1")
    chief.goto(need_url)
    panel = open_action(chief, "dispatch")
    panel.get_by_label("牵头科室").select_option(label="计量科")
    _act(chief, "dispatch", "分发任务")
    assert _status(chief) == "待科室签收"

    # handler1 accepts, records a step and completes.
    handler = login(new_page, base, "handler1")
    handler.get_by_test_id("inbox-link").click()
    handler.get_by_role("button", name=re.compile("收到分发任务")).first.click()
    assert handler.url == need_url
    _act(handler, "accept_task", "签收")
    open_action(handler, "step").get_by_label("处理过程").fill("电话联系企业，约定上门时间")
    open_action(handler, "step").get_by_label("已就此向企业答复").check()
    _act(handler, "step", "记录处理过程")
    # 办理完毕 submitted empty: its dialog comes back with the errors, nothing saved.
    panel = open_action(handler, "complete")
    panel.get_by_role("button", name="办理完毕", exact=True).click()
    panel.locator(".errorlist").first.wait_for()
    assert "办理完毕未完成" in panel.inner_text() and _status(handler) == "科室办理中"
    panel.get_by_label("需求满足（办结）").check()
    panel.get_by_label("处理过程及结果").fill("已上门检定压力表 12 块，出具检定证书")
    _act(handler, "complete", "办理完毕")
    assert _status(handler) == "待评价"

    # staff1 records the enterprise's dissatisfaction from a phone call.
    page.goto(need_url)
    panel = open_action(page, "evaluate")
    panel.get_by_label("不满意").check()
    panel.get_by_label("意见建议").fill("证书上的出厂编号有误")
    _act(page, "evaluate", "录入满意度评价")
    assert _status(page) == "不满意待核实"

    # chief1 verifies and sends it back to the section: round two.
    chief.goto(need_url)
    panel = open_action(chief, "verify")
    panel.get_by_label("由原办理人员重新办理").check()
    panel.get_by_label("核实情况").fill("核实属实，请计量科更正证书")
    _act(chief, "verify", "核实")
    assert _status(chief) == "科室办理中"
    assert "第 2 轮" in chief.content()

    handler.goto(need_url)
    panel = open_action(handler, "complete")
    panel.get_by_label("需求满足（办结）").check()
    panel.get_by_label("处理过程及结果").fill("已更正证书并送达企业")
    _act(handler, "complete", "办理完毕")

    # The enterprise evaluates through the one-time link it received by SMS, on a phone.
    sms = OutboundMessage.objects.filter(channel="sms").latest("id").body
    link = re.search(r"https?://\S+/e/\S+", sms).group(0)
    enterprise = new_page(PHONE)
    enterprise.goto(link)
    assert "满意度评价表" in enterprise.content()
    enterprise.get_by_label("非常满意").check()
    enterprise.get_by_label("意见建议").fill("更正及时，感谢")
    screenshot(enterprise, "walk-02-evaluation-phone")
    enterprise.get_by_role("button", name="提交评价").click()
    assert "感谢您的评价" in enterprise.content()

    # staff1 archives it.
    page.goto(need_url)
    _act(page, "archive", "归档")
    assert _status(page) == "已归档"
    timeline = page.get_by_test_id("timeline").inner_text()
    for step in [
        "登记",
        "需要协调，报站长",
        "分发任务",
        "签收",
        "办理完毕",
        "评价：不满意",
        "核实后重新办理",
        "评价：非常满意/满意/一般",
        "分类归档",
    ]:
        assert step in timeline, step
    screenshot(page, "walk-03-archived")
    need = Need.objects.get(content="压力表周期检定，希望上门服务")
    assert need.round == 2 and need.evaluations.count() == 2
