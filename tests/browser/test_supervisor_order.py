"""The supervisor's path (issue "Records, supervision…"): the statistics page → a figure → the
needs behind it → a 督办 on one of them → the station's chief responds → the supervisor closes."""

import datetime

import pytest
from django.core.management import call_command

from hqzt.accounts.models import User
from hqzt.core import clock
from hqzt.needs.models import Channel, NeedType, Scope, Source
from hqzt.needs.services.identification import need_dispatch, need_identify
from hqzt.needs.services.registration import NeedItem, need_register
from hqzt.org.models import Section
from hqzt.supervision.models import SupervisionOrder
from tests.browser.conftest import DEMO_PASSWORD, PHONE, login, nav_click, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]
CONTENT = "新建计量实验室，申请最高计量标准考核"


def _need_in_progress():
    """A need of chief1's station, dispatched to 计量科 (what the walkthrough test clicks)."""
    staff = User.objects.get(username="staff1")
    chief = User.objects.get(username="chief1")
    station = staff.station_memberships.get().station
    sheet = need_register(
        actor=staff,
        station=station,
        enterprise=station.enterprises.order_by("pk").first(),
        contact_name="周经理",
        contact_phone="13903561234",
        source=Source.INBOUND,
        channel=Channel.objects.get(code="phone"),
        items=[NeedItem(need_type=NeedType.objects.get(code="metrology"), content=CONTENT)],
    )
    need = sheet.needs.get()
    need = need_identify(
        need=need, actor=staff, scope=Scope.MARKET_REGULATION, complexity="coordinated"
    )
    return need_dispatch(
        need=need,
        actor=chief,
        handling_mode="independent",
        lead_section=Section.objects.get(name="计量科"),
    )


def test_supervisor_orders_and_the_station_responds(settings, tmp_path, live_server, new_page):
    settings.DATA_DIR = tmp_path
    call_command("seed_demo", password=DEMO_PASSWORD, without_needs=True)
    need = _need_in_progress()
    base = live_server.url

    # The supervisor opens the statistics and clicks through to the needs behind a figure.
    page = login(new_page, base, "supervisor")
    nav_click(page, "统计", "统计分析")
    assert page.get_by_test_id("figure-registered").inner_text() == "1"
    page.get_by_test_id("figure-registered").click()
    page.wait_for_url("**/needs/**")
    page.get_by_role("link", name=CONTENT).click()
    assert page.get_by_test_id("need-status").inner_text() == "待科室签收"

    # 督办 on that need.
    page.get_by_test_id("issue-order").click()
    page.get_by_label("督办事项及要求").fill(
        "该需求已分发两日未签收，请督促计量科尽快签收办理并回复。"
    )
    due = clock.today() + datetime.timedelta(days=3)
    page.get_by_label("回复期限").fill(f"{due:%Y-%m-%d}")
    page.get_by_role("button", name="下达督办").click()
    assert page.get_by_test_id("order-status").inner_text() == "待回复"
    order_url = page.url
    screenshot(page, "supervisor-01-order-issued")

    # chief1, on a phone, finds it under 监督 and responds.
    chief = login(new_page, base, "chief1", PHONE)
    chief.goto(f"{base}/supervision/")
    assert chief.get_by_test_id("figure-orders-issued").inner_text() == "1"
    chief.get_by_test_id("figure-orders-issued").click()
    chief.get_by_test_id("orders").get_by_role("link").first.click()
    chief.get_by_label("回复内容（落实情况）").fill(
        "已与计量科沟通，今日已签收，预计下周三前完成考核材料审核。"
    )
    chief.get_by_role("button", name="提交回复").click()
    assert chief.get_by_test_id("order-status").inner_text() == "已回复待审核"
    screenshot(chief, "supervisor-02-chief-responded-phone")

    # The supervisor reads the response and closes the order; the need page shows it.
    page.goto(order_url)
    assert "今日已签收" in page.get_by_test_id("order-response").inner_text()
    page.get_by_label("同意办结").check()
    page.get_by_role("button", name="提交").click()
    assert page.get_by_test_id("order-status").inner_text() == "已办结"
    page.goto(f"{base}/needs/{need.pk}/")
    assert "已办结" in page.get_by_test_id("need-orders").inner_text()
    order = SupervisionOrder.objects.get()
    assert order.need == need and order.responded_by.username == "chief1"
