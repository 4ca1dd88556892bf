"""A chief's week: a visit that raises two needs → a weekly meeting with an action item → the
weekly report drafted, edited and submitted → the supervisor comments on it."""

import re

import pytest
from django.core.management import call_command

from hqzt.needs.models import Need
from hqzt.operations.models import ActionItem, WeeklyReport
from tests.browser.conftest import DEMO_PASSWORD, login, nav_click, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_a_chiefs_week(settings, tmp_path, live_server, new_page):
    settings.DATA_DIR = tmp_path
    call_command("seed_demo", password=DEMO_PASSWORD, without_needs=True)
    base = live_server.url
    page = login(new_page, base, "chief1")

    # Plan a visit, record it, register the two needs the enterprise raised.
    nav_click(page, "站务", "站务概览")
    page.locator("#main").get_by_role("link", name="走访（进企业）").click()
    page.get_by_role("link", name="安排走访").click()
    page.get_by_label("走访企业").select_option(index=1)
    page.get_by_label("走访目的").fill("了解企业质量提升需求")
    page.get_by_role("button", name="保存").click()
    record = page.get_by_test_id("visit-record")
    record.get_by_label("走访情况").fill("企业新上两条生产线，计量器具和标准化工作需要指导。")
    record.get_by_role("button", name="保存走访情况").click()
    needs = page.get_by_test_id("visit-needs")
    needs.get_by_label("联系电话").fill("13903568888")
    items = needs.get_by_test_id("need-item")
    items.nth(0).get_by_label("企业需求类型").select_option(label="计量")
    items.nth(0).get_by_label("企业需求", exact=True).fill("新生产线计量器具首次检定")
    items.nth(1).get_by_label("企业需求类型").select_option(label="标准化")
    items.nth(1).get_by_label("企业需求", exact=True).fill("制定企业产品标准")
    needs.get_by_role("button", name="登记需求").click()
    number = page.get_by_test_id("tracking-number").inner_text()
    raised = Need.objects.filter(sheet__tracking_number=number)
    assert raised.count() == 2 and {n.source for n in raised} == {"visit"}
    label = f"{number}-1"

    # The weekly meeting with an action item on one of the needs.
    nav_click(page, "站务", "站务概览")
    page.locator("#main").get_by_role("link", name="会议", exact=True).click()
    page.get_by_role("link", name="记录会议").click()
    page.get_by_label("会议类型").select_option(label="工作例会")
    page.get_by_label("议题").fill("本周工作例会")
    page.get_by_label("会议纪要").fill("通报走访情况，部署需求办理。")
    item = page.get_by_test_id("action-item").nth(0)
    item.get_by_label("事项").fill("跟进计量器具首次检定")
    item.get_by_label("责任人").select_option(index=1)
    item.get_by_label("完成期限").fill("2099-12-31")
    item.get_by_label("关联需求（如 20250012-1）").fill(label)
    page.get_by_role("button", name="保存").click()
    assert label in page.get_by_test_id("action-items").inner_text()
    assert ActionItem.objects.get().need.label == label

    # The weekly report: drafted from the data, edited, submitted.
    nav_click(page, "站务", "站务概览")
    page.locator("#main").get_by_role("link", name="周报", exact=True).click()
    page.get_by_role("button", name="起草本周周报").click()
    assert page.get_by_test_id("fig-needs-new").inner_text() == "2"
    assert page.get_by_test_id("fig-visits").inner_text() == "1"
    assert page.get_by_test_id("fig-meetings").inner_text() == "1"
    page.get_by_label("本周工作完成情况").fill("走访企业1家，登记需求2项，召开工作例会1次。")
    page.get_by_label("下周工作计划").fill("督促计量科完成首次检定。")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_role("button", name="报送上级单位").click()
    assert page.get_by_test_id("report-status").inner_text() == "已报送"
    report_url = page.url
    screenshot(page, "week-01-report")

    # The supervisor reads and comments.
    supervisor = login(new_page, base, "supervisor")
    supervisor.goto(report_url)
    supervisor.get_by_label("批阅意见").fill("走访扎实，请跟踪检定进度。")
    supervisor.get_by_role("button", name="提交批阅意见").click()
    assert "走访扎实" in supervisor.get_by_test_id("report-comment").inner_text()
    report = WeeklyReport.objects.get(pk=int(re.search(r"/reports/(\d+)/", report_url).group(1)))
    assert report.status == "submitted" and report.commented_by.username == "supervisor"
