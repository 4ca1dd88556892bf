"""The whole flow as the enterprise and each role live it (issue 12, done-when): the enterprise
submits on its phone and gets its tracking number by SMS; the station accepts, the chief
dispatches, 计量科 completes; the enterprise answers 不满意 (the reason is required) through its
link; the chief verifies and re-dispatches to 标准化科, which handles round 2; the enterprise is
satisfied; staff archive. Every SMS text is checked, and every time shown is Asia/Shanghai."""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from hqzt.needs.models import Need
from hqzt.notifications.models import OutboundMessage
from hqzt.stations.models import Station
from tests.browser.conftest import PHONE, login, open_action, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

PHONE_NUMBER = "13903568888"


def _act(page, panel: str, button: str) -> None:
    open_action(page, panel).get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()
    alert = page.locator(".alert-danger")
    assert alert.count() == 0, alert.first.inner_text()


def _status(page) -> str:
    return page.get_by_test_id("need-status").inner_text()


def _sms() -> list[str]:
    return [
        m.body
        for m in OutboundMessage.objects.filter(channel="sms").order_by("id")
        if m.to == PHONE_NUMBER
    ]


def _evaluation_link(body: str) -> str:
    return re.search(r"https?://\S+/e/\S+", body).group(0)


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def test_portal_to_archive_with_dissatisfaction_and_redispatch(
    settings, tmp_path, live_server, new_page
):
    settings.DATA_DIR = tmp_path
    settings.HQZT_BASE_URL = live_server.url
    call_command("seed_demo", password="Browser-Demo-2025", without_needs=True)
    base = live_server.url
    station = Station.objects.get(name="光机电产业链惠企直通服务站")
    track = f"凭跟踪单号和手机号后四位查询办理进度：{base}/portal/track/"

    # The enterprise submits on its phone and is told its number on the receipt and by SMS.
    phone = new_page(PHONE)
    phone.goto(f"{base}/portal/stations/{station.pk}/submit/")
    phone.get_by_label("企业名称").fill("晋城市示例光电科技有限公司")
    phone.get_by_label("联系人").fill("韩经理")
    phone.get_by_label("手机号码").fill(PHONE_NUMBER)
    phone.get_by_label("需求类型").select_option(label="计量")
    phone.get_by_label("需求内容").fill("激光测距仪需要校准，并希望了解企业标准备案")
    phone.get_by_role("button", name="提交").click()
    number = phone.get_by_test_id("receipt-number").inner_text()
    assert (
        "跟踪单号已通过短信发送至 139****8888" in phone.get_by_test_id("receipt-sms").inner_text()
    )
    assert _sms() == [
        f"【惠企直通】您的需求已提交至{station.name}，跟踪单号{number}，受理后将短信告知您。{track}"
    ]
    screenshot(phone, "flow-01-receipt")
    # The receipt writes the number with its station's (ADR 0008): "43-20260001".
    need = Need.objects.get(sheet__tracking_number=number.split("-")[1], sheet__station=station)
    assert need.sheet.reference == number
    need_url = f"{base}/needs/{need.pk}/"

    # staff1 accepts it (SMS) and finds it needs coordination.
    staff = login(new_page, base, "staff1")
    staff.goto(need_url)
    _act(staff, "accept_intake", "受理登记")
    assert _sms()[-1] == f"【惠企直通】{station.name}已受理您的需求（跟踪单号{number}）。{track}"
    open_action(staff, "identify").get_by_label("市场监管职能范围").check()
    open_action(staff, "identify").get_by_label("需要协调").check()
    _act(staff, "identify", "需求识别")

    # chief1 dispatches to 计量科; handler1 accepts, records a step and completes.
    chief = login(new_page, base, "chief1")
    chief.goto(need_url)
    open_action(chief, "dispatch").get_by_label("牵头科室").select_option(label="计量科")
    _act(chief, "dispatch", "分发任务")
    metrology = login(new_page, base, "handler1")
    metrology.goto(need_url)
    _act(metrology, "accept_task", "签收")
    open_action(metrology, "step").get_by_label("处理过程").fill("已校准激光测距仪")
    _act(metrology, "step", "记录处理过程")
    panel = open_action(metrology, "complete")
    panel.get_by_label("需求满足（办结）").check()
    panel.get_by_label("处理过程及结果").fill("测距仪已校准并出具校准证书")
    _act(metrology, "complete", "办理完毕")
    assert _status(metrology) == "待评价"
    completed = _sms()[-1]
    assert completed.startswith(f"【惠企直通】您的需求（跟踪单号{number}）已办理完毕。{track}\n")
    assert "\n请您评价：" in completed
    # The chief hears that the link went out, not "请征集满意度评价".
    chief.goto(f"{base}/inbox/")
    inbox = chief.content()
    assert "评价链接已短信发送给企业" in inbox and "请征集满意度评价" not in inbox

    # The enterprise is not satisfied: the reason is required, then it reads what happens next.
    phone.goto(_evaluation_link(completed))
    phone.get_by_label("不满意").check()
    phone.get_by_role("button", name="提交评价").click()
    assert "评价为“不满意”时，请填写不满意的原因" in phone.content()
    phone.get_by_label("不满意").check()
    phone.get_by_label("意见建议").fill("标准备案的问题没有人答复")
    phone.get_by_role("button", name="提交评价").click()
    thanks = phone.get_by_test_id("evaluate-thanks").inner_text()
    assert "核实了解具体情况，并重新办理您的需求" in thanks and number in thanks
    screenshot(phone, "flow-02-dissatisfied")

    # chief1 verifies and re-dispatches round 2 to 标准化科.
    chief.goto(need_url)
    assert _status(chief) == "不满意待核实"
    panel = open_action(chief, "verify")
    panel.get_by_label("改派其他科室办理").check()
    panel.get_by_label("核实情况").fill("企业标准备案属标准化科职责，改派标准化科答复")
    panel.get_by_label("改派的牵头科室").select_option(label="标准化科")
    _act(chief, "verify", "核实")
    assert _status(chief) == "待科室签收" and "第 2 轮" in chief.content()
    assert "将重新办理" in _sms()[-1]

    standards = login(new_page, base, "handler2")
    standards.goto(need_url)
    _act(standards, "accept_task", "签收")
    open_action(standards, "step").get_by_label("处理过程").fill("电话讲解企业标准自我声明公开")
    _act(standards, "step", "记录处理过程")
    panel = open_action(standards, "complete")
    panel.get_by_label("需求满足（办结）").check()
    panel.get_by_label("处理过程及结果").fill("已指导企业在平台完成标准自我声明公开")
    _act(standards, "complete", "办理完毕")
    # Round 1 stays readable beside round 2's own handling.
    past = standards.get_by_test_id("past-rounds").inner_text()
    assert "第 1 轮" in past and "计量科" in past and "标准备案的问题没有人答复" in past
    assert "改派标准化科答复" in past

    # Satisfied this time, through the new link; staff1 archives.
    phone.goto(_evaluation_link(_sms()[-1]))
    phone.get_by_label("满意", exact=True).check()
    phone.get_by_role("button", name="提交评价").click()
    assert "感谢您的评价" in phone.content()
    staff.goto(need_url)
    _act(staff, "archive", "归档")
    assert _status(staff) == "已归档"

    # Every SMS the enterprise received, in order.
    texts = _sms()
    assert len(texts) == 5, texts
    assert texts[2] == completed
    assert texts[3].startswith(
        f"【惠企直通】服务站已核实您的评价，您的需求（跟踪单号{number}）将重新办理"
    )
    assert texts[4].startswith(f"【惠企直通】您的需求（跟踪单号{number}）已办理完毕。{track}\n")
    assert _evaluation_link(texts[4]) != _evaluation_link(texts[2])

    # The tracking sheet on screen lists both rounds.
    staff.get_by_role("link", name=f"跟踪单 {need.sheet.tracking_number}").click()
    handling = staff.get_by_test_id("sheet-handling").inner_text()
    for part in [
        "第1轮（计量科",
        "已校准激光测距仪",
        "企业评价：不满意——标准备案的问题没有人答复",
        "核实",
        "第2轮（标准化科",
        "已指导企业在平台完成标准自我声明公开",
    ]:
        assert part in handling, part
    screenshot(staff, "flow-03-sheet")

    # Times shown are Asia/Shanghai: the progress page and the need page's history.
    need.refresh_from_db()
    submitted = need.events.get(action="submit").at
    archived = need.events.get(action="archive").at
    phone.goto(f"{base}/portal/track/")
    phone.get_by_label("跟踪单号").fill(number)
    phone.get_by_label("提交时所留手机号码的后四位").fill("8888")
    phone.get_by_role("button", name="查询").click()
    progress = phone.get_by_test_id("track-result").inner_text()
    assert _local(submitted) in progress and _local(archived) in progress
    assert submitted.strftime("%Y-%m-%d %H:%M") not in progress  # the stored UTC
    staff.goto(need_url)
    timeline = staff.get_by_test_id("timeline").inner_text()
    assert _local(submitted) in timeline and submitted.strftime("%Y-%m-%d %H:%M") not in timeline
    screenshot(phone, "flow-04-progress")
