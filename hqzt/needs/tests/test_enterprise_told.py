"""The enterprise is told its tracking number and how to follow progress, by SMS, whichever way
the need arrived; it is told the outcome (with the handling opinion when the need is not met,
§6.4.2) and what follows a 不满意 (issue 12 flow defect 2). The chief is told that the evaluation
link went out, and reminded only while no evaluation has come in (flow defect 9)."""

import datetime
import logging
import uuid

import pytest
from django.urls import reverse

from hqzt.core import clock
from hqzt.needs.models import Channel, NeedType, TrackingSheet
from hqzt.needs.scans import deadline_scan
from hqzt.needs.services.evaluation import need_evaluate, need_verify
from hqzt.needs.services.handling import need_complete
from hqzt.needs.services.registration import (
    NeedItem,
    need_accept_intake,
    need_register,
    need_reject_intake,
)
from hqzt.needs.states import Status
from hqzt.needs.workflow import TransitionRefused
from hqzt.notifications.admin import OutboundMessageAdmin
from hqzt.notifications.backends import LogSmsBackend
from hqzt.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db

TRACK = "凭跟踪单号和手机号后四位查询办理进度：https://hqzt.example.gov.cn/portal/track/"


def _sms() -> list[str]:
    return [m.body for m in OutboundMessage.objects.filter(channel="sms").order_by("id")]


def _portal_form(**overrides) -> dict:
    return {
        "enterprise_name": "晋城市门户测试机械有限公司",
        "credit_code": "",
        "contact_name": "孙经理",
        "contact_phone": "139 0356 1234",
        "need_type": NeedType.objects.get(code="metrology").pk,
        "content": "压力表需要检定",
        "key": str(uuid.uuid4()),
        **overrides,
    }


def test_staff_registration_sends_the_number_once_per_sheet(register):
    needs = register(2)
    number = needs[0].sheet.reference
    assert _sms() == [f"【惠企直通】甲服务站已登记您的2项需求，跟踪单号{number}。{TRACK}"]
    assert OutboundMessage.objects.get().to == "13812345678"


def test_portal_submission_sends_the_number_and_the_receipt_says_so(client, station_a):
    response = client.post(reverse("portal:submit", args=[station_a.pk]), _portal_form())
    assert response.status_code == 302 and response.url == reverse("portal:receipt")
    sheet_number = TrackingSheet.objects.get().reference
    assert _sms() == [
        f"【惠企直通】您的需求已提交至甲服务站，跟踪单号{sheet_number}，受理后将短信告知您。{TRACK}"
    ]
    receipt = client.get(reverse("portal:receipt")).text
    assert "跟踪单号已通过短信发送至 139****1234" in receipt and sheet_number in receipt


def test_mini_program_submission_sends_the_number(client, station_a):
    body = {
        "station": station_a.pk,
        "enterprise_name": "晋城市小程序测试有限公司",
        "contact_name": "周经理",
        "contact_phone": "13903561234",
        "need_type": "metrology",
        "content": "电子秤检定",
        "idempotency_key": str(uuid.uuid4()),
    }
    response = client.post(reverse("api:portal-submit"), body, content_type="application/json")
    number = response.json()["reference"]
    assert len(_sms()) == 1 and f"跟踪单号{number}" in _sms()[0] and TRACK in _sms()[0]
    # The same submission retried sends nothing more.
    again = client.post(reverse("api:portal-submit"), body, content_type="application/json")
    assert again.status_code == 200 and again.json()["reference"] == number  # the same answer
    assert len(_sms()) == 1


def test_acceptance_and_rejection_are_told(drive, staff_a):
    need = drive(Status.PENDING_ACCEPTANCE)
    need_accept_intake(need=need, actor=staff_a)
    number = need.sheet.reference
    assert _sms()[-1] == f"【惠企直通】甲服务站已受理您的需求（跟踪单号{number}）。{TRACK}"
    other = drive(Status.PENDING_ACCEPTANCE)
    need_reject_intake(need=other, actor=staff_a, reason="与本站服务领域无关，请联系税务部门")
    assert _sms()[-1].endswith(
        "未受理您提交的需求（跟踪单号"
        f"{other.sheet.reference}），原因：与本站服务领域无关，请联系税务部门"
    )


def test_a_refused_step_sends_nothing(drive, staff_b):
    need = drive(Status.PENDING_ACCEPTANCE)
    before = len(_sms())
    with pytest.raises(TransitionRefused):
        need_accept_intake(need=need, actor=staff_b)
    assert len(_sms()) == before


# DB1405 §6.4.2
def test_completion_tells_the_outcome_and_an_unmet_needs_opinion(drive, handler):
    need = drive(Status.IN_PROGRESS)
    need_complete(need=need, actor=handler, outcome="met", result="已出具检定证书")
    met = _sms()[-1]
    assert f"您的需求（跟踪单号{need.sheet.reference}）已办理完毕。{TRACK}" in met
    assert "\n请您评价：https://hqzt.example.gov.cn/e/" in met
    other = drive(Status.IN_PROGRESS)
    need_complete(
        need=other,
        actor=handler,
        outcome="unmet",
        result="企业所需的检定项目本市尚无资质机构",
        handling_opinion="已联系省计量院，企业可于下月送检，费用按标准收取",
    )
    unmet = _sms()[-1]
    assert (
        "经分析研判暂未能满足，处理意见：已联系省计量院，企业可于下月送检，费用按标准收取。"
        in unmet
    )
    assert "请您评价：" in unmet


def test_verification_outcome_is_told(drive, chief_a):
    need = drive(Status.AWAITING_VERIFICATION)
    need_verify(need=need, actor=chief_a, rehandle=True, note="属实")
    assert "服务站已核实您的评价，您的需求（跟踪单号" in _sms()[-1]
    assert "将重新办理" in _sms()[-1]
    other = drive(Status.AWAITING_VERIFICATION)
    need_verify(need=other, actor=chief_a, rehandle=False, note="已当面解释")
    assert "服务站已核实您的评价并作出说明" in _sms()[-1]


def test_phone_numbers_are_masked_in_the_log_and_the_admin(register, caplog, rf, admin_user):
    register()
    message = OutboundMessage.objects.get()
    with caplog.at_level(logging.INFO, logger="hqzt.sms"):
        LogSmsBackend().send(message.to, message.body)
    assert "138****5678" in caplog.text and "13812345678" not in caplog.text
    admin = OutboundMessageAdmin(OutboundMessage, None)
    assert "to" in admin.exclude and "recipient" in admin.list_display
    assert admin.recipient(message) == "138****5678"
    assert message.to_masked == "138****5678"


# --- what the chief and the first contact are told about the evaluation (flow defect 9) --------


def _on(day: datetime.date):
    return clock.travel(datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC))


def test_completion_says_the_link_went_to_the_enterprise(drive, chief_a, staff_a):
    need = drive(Status.AWAITING_EVALUATION)
    notice = chief_a.notifications.get(kind="completed")
    assert "评价链接已短信发送给企业" in notice.title and "请征集" not in notice.title
    assert "138****5678" in notice.body and "13812345678" not in notice.body
    assert need.first_contact.notifications.filter(kind="completed").exists()


def test_evaluation_reminder_only_while_unanswered(drive, staff_a, chief_a):
    with _on(datetime.date(2025, 6, 2)):  # Monday; evaluation due in 3 working days
        waiting = drive(Status.AWAITING_EVALUATION)
        answered = drive(Status.AWAITING_EVALUATION)
        need_evaluate(need=answered, actor=staff_a, level="satisfied")
    with _on(datetime.date(2025, 6, 4)):
        deadline_scan()
    reminders = staff_a.notifications.filter(kind="reminder")
    assert [n.title for n in reminders] == [
        f"企业尚未评价：{waiting.label} {waiting.enterprise.name}"
    ]
    assert "请电话或上门征集满意度评价" in reminders.get().body
    assert staff_a.notifications.filter(kind="evaluated").count() == 1  # the answered one


def test_staff_registration_with_the_channel_phone(staff_a, station_a, enterprise_a):
    """A phone-call enterprise (the case that could not use 查进度) gets the number too."""
    sheet = need_register(
        actor=staff_a,
        station=station_a,
        enterprise=enterprise_a,
        contact_name="钱经理",
        contact_phone="13700001111",
        source="inbound",
        channel=Channel.objects.get(code="phone"),
        items=[NeedItem(need_type=NeedType.objects.get(code="metrology"), content="x")],
    )
    message = OutboundMessage.objects.get()
    assert message.to == "13700001111" and sheet.tracking_number in message.body
