"""An enterprise on a phone (390×844): submit a need, get the number, look up progress, and once
the station has completed it, evaluate through the link it received."""

import re

import pytest
from django.core.management import call_command

from hqzt.accounts.models import User
from hqzt.needs.models import Need
from hqzt.needs.services.handling import need_complete
from hqzt.needs.services.identification import need_identify
from hqzt.needs.services.registration import need_accept_intake
from hqzt.notifications.models import OutboundMessage
from hqzt.stations.models import Station
from tests.browser.conftest import PHONE, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_enterprise_submits_tracks_and_evaluates_on_a_phone(
    settings, tmp_path, live_server, new_page
):
    settings.DATA_DIR = tmp_path
    settings.HQZT_BASE_URL = live_server.url
    call_command("seed_demo", password="Browser-Demo-2025", without_needs=True)
    station = Station.objects.get(name="巴公装备制造专业镇惠企直通服务站")
    page = new_page(PHONE)

    page.goto(f"{live_server.url}/portal/")
    page.get_by_role("link", name=re.compile("巴公装备制造专业镇")).click()
    assert page.get_by_test_id("station-name").inner_text() == station.name
    screenshot(page, "portal-01-board")
    page.get_by_role("link", name="向本站提交需求").click()
    page.get_by_label("企业名称").fill("泽州县巴公示例铸造有限公司")
    page.get_by_label("联系人").fill("周经理")
    page.get_by_label("手机号码").fill("13903567777")
    page.get_by_label("需求类型").select_option(label="特种设备检验")
    page.get_by_label("需求内容").fill("厂内两台行车需要定期检验")
    screenshot(page, "portal-02-form")
    page.get_by_role("button", name="提交").click()
    number = page.get_by_test_id("receipt-number").inner_text()
    assert re.fullmatch(r"\d{2,}-\d{8}", number)  # the station's number, then its own
    screenshot(page, "portal-03-receipt")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("link", name="查询办理进度").click()
    page.get_by_label("跟踪单号").fill(number)
    page.get_by_label("提交时所留手机号码的后四位").fill("7777")
    page.get_by_role("button", name="查询").click()
    assert "需求已提交，等待服务站受理" in page.get_by_test_id("track-result").inner_text()

    # The station accepts and completes it (as staff2 would on the staff pages).
    staff = User.objects.get(username="staff2")
    station_id, sheet_number = number.split("-")
    need = Need.objects.get(sheet__tracking_number=sheet_number, station_id=int(station_id))
    need = need_accept_intake(need=need, actor=staff)
    need = need_identify(need=need, actor=staff, scope="market_regulation", complexity="simple")
    need_complete(need=need, actor=staff, outcome="met", result="已预约特种设备检验所上门检验")

    page.goto(f"{live_server.url}/portal/track/")
    page.get_by_label("跟踪单号").fill(number)
    page.get_by_label("提交时所留手机号码的后四位").fill("7777")
    page.get_by_role("button", name="查询").click()
    result = page.get_by_test_id("track-result").inner_text()
    assert "办理完毕，请您评价" in result and "已预约特种设备检验所上门检验" in result
    screenshot(page, "portal-04-progress")

    message = OutboundMessage.objects.filter(channel="sms").latest("id")
    assert message.to == "13903567777"
    sms = message.body
    page.goto(re.search(r"https?://\S+/e/\S+", sms).group(0))
    page.get_by_label("满意", exact=True).check()
    page.get_by_role("button", name="提交评价").click()
    # Wait for the thank-you page: content() read mid-navigation is empty on a busy machine.
    page.get_by_text("感谢您的评价").first.wait_for()
    assert Need.objects.get(pk=need.pk).evaluations.get().level == "satisfied"
