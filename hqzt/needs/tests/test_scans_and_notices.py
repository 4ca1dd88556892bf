import datetime

import pytest
from django.core import mail

from hqzt.audit.models import AuditEvent
from hqzt.core import clock
from hqzt.needs.models import ExtensionRequest, Need
from hqzt.needs.scans import deadline_scan
from hqzt.needs.services.extensions import extension_decide, extension_request
from hqzt.needs.services.handling import need_complete, need_remind
from hqzt.needs.services.identification import need_accept_task
from hqzt.needs.states import Status
from hqzt.needs.workflow import TransitionRefused
from hqzt.notifications.models import OutboundMessage

pytestmark = pytest.mark.django_db


def _on(day: datetime.date):
    return clock.travel(datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC))


def test_dispatch_deadline_reminders_and_overdue_notice_are_sent_once(drive, handler, chief_a):
    with _on(datetime.date(2025, 9, 30)):
        need = drive(Status.DISPATCHED)
    # Accept within 1 working day: across the National Day holiday that is 9 October.
    assert need.due_on == datetime.date(2025, 10, 9)
    with _on(datetime.date(2025, 10, 9)):
        assert deadline_scan().reminded == 1
        assert deadline_scan().reminded == 0
    assert handler.notifications.filter(kind="reminder").count() == 1
    with _on(datetime.date(2025, 10, 10)):
        report = deadline_scan()
        assert report.overdue == 1 and deadline_scan().overdue == 0
    assert handler.notifications.filter(kind="overdue").count() == 1
    assert chief_a.notifications.filter(kind="overdue").count() == 1
    assert need.events.filter(action="overdue").count() == 1


def test_evaluation_is_invited_again_after_silence(drive):
    with _on(datetime.date(2025, 6, 2)):
        need = drive(Status.AWAITING_EVALUATION)
    assert need.invitations.count() == 1
    with _on(datetime.date(2025, 6, 3)):
        assert deadline_scan().reinvited == 0
    with _on(datetime.date(2025, 6, 6)):
        assert deadline_scan().reinvited == 1
    assert need.invitations.count() == 2
    sms = OutboundMessage.objects.filter(channel="sms", body__contains="请您评价")
    assert [m.to for m in sms] == ["13812345678", "13812345678"]
    assert "尚未收到您的评价" in sms.last().body


def test_sms_and_email_are_delivered_through_the_queue(
    drive, handler, django_capture_on_commit_callbacks
):
    handler.email = "handler@example.gov.cn"
    handler.save()
    with django_capture_on_commit_callbacks(execute=True):
        need = drive(Status.DISPATCHED)
    sms = OutboundMessage.objects.filter(channel="sms")
    assert [m.body for m in sms] == [  # the tracking number when registered; nothing internal
        f"【惠企直通】甲服务站已登记您的需求，跟踪单号{need.sheet.reference}。"
        "凭跟踪单号和手机号后四位查询办理进度：https://hqzt.example.gov.cn/portal/track/"
    ]
    email = OutboundMessage.objects.get(channel="email")
    assert email.to == "handler@example.gov.cn"
    assert email.sent_at is not None
    assert any("收到分发任务" in m.subject for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        need_accept_task(need=need, actor=handler)
        need_complete(need=need, actor=handler, outcome="met", result="完成")
    sms = OutboundMessage.objects.filter(channel="sms").latest("id")
    assert sms.to == "13812345678" and sms.sent_at is not None and "/e/" in sms.body


def test_a_failing_backend_leaves_the_message_unsent_with_the_error(
    drive, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "hqzt.notifications.tests.broken_backend.BrokenSmsBackend"
    need = drive(Status.IN_PROGRESS)
    with django_capture_on_commit_callbacks(execute=True):
        need_complete(need=need, actor=need.responsible_person, outcome="met", result="完成")
    sms = OutboundMessage.objects.filter(channel="sms").latest("id")
    assert sms.sent_at is None and "网关不可用" in sms.error
    assert Need.objects.get(pk=need.pk).status == Status.AWAITING_EVALUATION


def test_manual_reminder_by_the_chief(drive, chief_a, handler, staff_a):
    need = drive(Status.IN_PROGRESS)
    need_remind(need=need, actor=chief_a, note="企业催问进度")
    assert handler.notifications.filter(kind="reminder").exists()
    with pytest.raises(TransitionRefused, match="只有站长"):
        need_remind(need=need, actor=staff_a)


def test_extension_request_approval_and_cap(drive, handler, chief_a, staff_a):
    need = drive(Status.IN_PROGRESS)
    before = need.complete_due_on
    request = extension_request(need=need, actor=handler, working_days=5, reason="等待外检")
    with pytest.raises(TransitionRefused, match="待审批"):
        extension_request(need=need, actor=handler, working_days=1, reason="再延")
    with pytest.raises(TransitionRefused, match="站长或副站长"):
        extension_decide(request=request, actor=staff_a, approve=True)
    extension_decide(request=request, actor=chief_a, approve=True, note="同意")
    need.refresh_from_db()
    assert need.extended_days == 5 and need.complete_due_on > before
    assert need.due_on == need.complete_due_on
    with pytest.raises(TransitionRefused, match="不能超过15个工作日"):
        extension_request(need=need, actor=handler, working_days=11, reason="太长")
    assert ExtensionRequest.objects.count() == 1


def test_a_decided_extension_is_not_decided_again(drive, handler, chief_a):
    need = drive(Status.IN_PROGRESS)
    request = extension_request(need=need, actor=handler, working_days=2, reason="外检")
    extension_decide(request=request, actor=chief_a, approve=False, note="不同意")
    with pytest.raises(TransitionRefused, match="该延期申请已审批"):
        extension_decide(request=request, actor=chief_a, approve=True)
    request.refresh_from_db()
    need.refresh_from_db()
    assert request.decision == ExtensionRequest.Decision.REJECTED and need.extended_days == 0
    assert AuditEvent.objects.filter(action="extension_reject", object_id=str(request.pk)).exists()
    assert not AuditEvent.objects.filter(action="extension_approve").exists()
