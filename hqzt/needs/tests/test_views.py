import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hqzt.core import clock
from hqzt.needs.models import Attachment, EvaluationInvitation, Need, NeedType
from hqzt.needs.services.evaluation import need_invite_evaluation
from hqzt.needs.states import Status

pytestmark = pytest.mark.django_db


def _register_post(station, enterprise, **overrides):
    data = {
        "station": station.pk,
        "enterprise": enterprise.pk,
        "contact_name": "王经理",
        "contact_phone": "138 1234 5678",
        "source": "inbound",
        "channel": 3,
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "20",
        "items-0-need_type": NeedType.objects.get(code="metrology").pk,
        "items-0-content": "电子秤需要检定",
        "items-1-need_type": NeedType.objects.get(code="standardization").pk,
        "items-1-content": "企业标准自我声明公开",
    }
    data.update(overrides)
    return data


# --- registration -------------------------------------------------------------------------------


def test_staff_register_two_needs_on_one_sheet(client_for, staff_a, station_a, enterprise_a):
    from hqzt.needs.models import Channel

    data = _register_post(station_a, enterprise_a, channel=Channel.objects.get(code="phone").pk)
    response = client_for(staff_a).post(reverse("needs:register"), data)
    assert response.status_code == 302
    needs = Need.objects.order_by("row_number")
    assert needs.count() == 2 and needs[0].sheet_id == needs[1].sheet_id
    assert needs[0].contact_phone == "13812345678" and needs[0].first_contact == staff_a
    page = client_for(staff_a).get(response.url).text
    assert "惠企直通服务站需求处理跟踪单" in page and "企业标准自我声明公开" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"contact_phone": "123"}, "不是有效的电话号码"),
        ({"channel": ""}, "请选择受理渠道"),
        (
            {"items-0-content": "", "items-1-content": "", "items-1-need_type": ""},
            "必填项",
        ),
        ({"contact_name": ""}, "必填项"),
    ],
)
def test_bad_registration_is_refused_in_chinese_and_nothing_saved(
    client_for, staff_a, station_a, enterprise_a, overrides, message
):
    response = client_for(staff_a).post(
        reverse("needs:register"), _register_post(station_a, enterprise_a, **overrides)
    )
    assert response.status_code == 200
    assert message in response.text
    assert not Need.objects.exists()


def test_registering_for_another_stations_enterprise_is_refused(
    client_for, staff_a, station_a, enterprise_b
):
    response = client_for(staff_a).post(
        reverse("needs:register"), _register_post(station_a, enterprise_b)
    )
    assert response.status_code == 200
    assert not Need.objects.exists()


def test_handlers_and_supervisors_do_not_register(client_for, handler, supervisor):
    for user in (handler, supervisor):
        response = client_for(user).get(reverse("needs:register"))
        assert response.status_code == 302


# --- scoping ------------------------------------------------------------------------------------


def test_other_station_gets_404_on_the_page_and_every_action(client_for, drive, staff_b):
    need = drive(Status.REGISTERED)
    client = client_for(staff_b)
    assert client.get(reverse("needs:detail", args=[need.pk])).status_code == 404
    assert client.get(reverse("needs:sheet", args=[need.sheet_id])).status_code == 404
    for action in ["identify", "dispatch", "complete", "evaluate", "archive", "remind", "step"]:
        url = reverse("needs:act", args=[need.pk, action])
        assert client.post(url, {}).status_code == 404
    assert Need.objects.get(pk=need.pk).status == Status.REGISTERED


def test_ledger_shows_only_the_users_scope(client_for, drive, staff_a, staff_b, supervisor):
    need = drive(Status.REGISTERED)
    assert need.content in client_for(staff_a).get(reverse("needs:ledger")).text
    assert need.content not in client_for(staff_b).get(reverse("needs:ledger")).text
    text = client_for(supervisor).get(reverse("needs:ledger")).text
    assert need.content in text and "138****5678" in text and "13812345678" not in text


def test_handler_sees_only_what_was_dispatched_to_their_section(client_for, drive, handler):
    registered = drive(Status.REGISTERED)
    dispatched = drive(Status.DISPATCHED)
    client = client_for(handler)
    assert client.get(reverse("needs:detail", args=[registered.pk])).status_code == 404
    response = client.get(reverse("needs:detail", args=[dispatched.pk]))
    assert response.status_code == 200
    assert "13812345678" in response.text  # the handler calls the enterprise
    assert 'data-testid="panel-accept_task"' in response.text


def test_ledger_filters(client_for, drive, staff_a):
    simple = drive(Status.FIRST_CONTACT_HANDLING, path="simple")
    client = client_for(staff_a)
    text = client.get(reverse("needs:ledger"), {"status": "first_contact_handling"}).text
    assert simple.sheet.tracking_number in text
    text = client.get(reverse("needs:ledger"), {"status": "archived"}).text
    assert simple.sheet.tracking_number not in text
    text = client.get(reverse("needs:ledger"), {"q": "电子秤"}).text
    assert simple.sheet.tracking_number in text
    text = client.get(reverse("needs:ledger"), {"q": "巴公"}).text
    assert simple.sheet.tracking_number not in text
    with clock.travel(clock.now() + datetime.timedelta(days=60)):
        text = client.get(reverse("needs:ledger"), {"overdue": "on"}).text
    assert simple.sheet.tracking_number in text
    assert client.get(reverse("needs:ledger"), {"date_from": "2025-13-40"}).status_code == 200


# --- actions through the page -------------------------------------------------------------------


def test_need_page_offers_only_the_users_actions(client_for, drive, staff_a, chief_a, handler):
    need = drive(Status.AWAITING_DISPATCH)
    url = reverse("needs:detail", args=[need.pk])
    assert 'data-testid="panel-dispatch"' in client_for(chief_a).get(url).text
    assert 'data-testid="panel-dispatch"' not in client_for(staff_a).get(url).text


def test_action_with_bad_input_shows_a_chinese_error(client_for, drive, chief_a):
    need = drive(Status.AWAITING_DISPATCH)
    client = client_for(chief_a)
    response = client.post(
        reverse("needs:act", args=[need.pk, "dispatch"]),
        {"dispatch-handling_mode": "joint", "dispatch-lead_section": "", "dispatch-note": ""},
        follow=True,
    )
    assert "分发任务未完成" in response.text and "牵头科室" in response.text
    assert Need.objects.get(pk=need.pk).status == Status.AWAITING_DISPATCH


def test_wrong_role_action_is_refused_with_a_message(client_for, drive, staff_a):
    need = drive(Status.AWAITING_DISPATCH)
    response = client_for(staff_a).post(
        reverse("needs:act", args=[need.pk, "dispatch"]),
        {
            "dispatch-handling_mode": "independent",
            "dispatch-lead_section": need.need_type.default_section_id,
        },
        follow=True,
    )
    assert "您无权执行「分发任务」" in response.text
    assert Need.objects.get(pk=need.pk).status == Status.AWAITING_DISPATCH


def test_step_with_attachment_and_download_scope(client_for, drive, handler, staff_b, chief_a):
    need = drive(Status.IN_PROGRESS)
    pdf = SimpleUploadedFile("检定证书.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client = client_for(handler)
    response = client.post(
        reverse("needs:act", args=[need.pk, "step"]),
        {
            "step-description": "已上门检定",
            "step-answered_enterprise": "on",
            "step-attachment": pdf,
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("needs:detail", args=[need.pk])
    attachment = Attachment.objects.get()
    assert attachment.original_name == "检定证书.pdf" and attachment.step.need == need
    assert "检定证书" not in attachment.file.name
    need.refresh_from_db()
    assert need.first_answered_at and need.answer_due_on is None
    response = client_for(chief_a).get(reverse("needs:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert (
        client_for(staff_b).get(reverse("needs:attachment", args=[attachment.pk])).status_code
        == 404
    )


def test_disguised_upload_is_refused_and_nothing_saved(client_for, drive, handler):
    need = drive(Status.IN_PROGRESS)
    fake = SimpleUploadedFile(
        "报告.pdf", b"<script>alert(1)</script>", content_type="application/pdf"
    )
    response = client_for(handler).post(
        reverse("needs:act", args=[need.pk, "step"]),
        {"step-description": "上传报告", "step-attachment": fake},
        follow=True,
    )
    assert "附件类型不支持" in response.text
    assert not Attachment.objects.exists()
    assert not need.steps.exists()


# --- the enterprise's evaluation link -----------------------------------------------------------


def _token_from_sms():
    from hqzt.notifications.models import OutboundMessage

    body = OutboundMessage.objects.filter(channel="sms").latest("id").body
    return body.rsplit("/e/", 1)[1].strip("/")


def test_evaluation_link_is_single_use(client, drive):
    need = drive(Status.AWAITING_EVALUATION)
    url = reverse("needs:evaluate_public", args=[_token_from_sms()])
    page = client.get(url)
    assert (
        page.status_code == 200
        and "满意度评价表" in page.text
        and need.enterprise.name in page.text
    )
    response = client.post(url, {"level": "very_satisfied", "comments": "服务很好"})
    assert "感谢您的评价" in response.text
    need.refresh_from_db()
    assert need.status == Status.AWAITING_ARCHIVE
    assert need.evaluations.get().method == "link"
    again = client.post(url, {"level": "dissatisfied"})
    assert again.status_code == 404 and "链接无效或已过期" in again.text


def test_expired_and_unknown_links_look_the_same(client, drive):
    drive(Status.AWAITING_EVALUATION)
    token = _token_from_sms()
    EvaluationInvitation.objects.update(expires_at=clock.now())
    expired = client.get(reverse("needs:evaluate_public", args=[token]))
    unknown = client.get(reverse("needs:evaluate_public", args=["no-such-token"]))
    assert expired.status_code == unknown.status_code == 404
    assert expired.content == unknown.content


def test_a_new_invitation_retires_the_old_link(client, drive, staff_a):
    need = drive(Status.AWAITING_EVALUATION)
    old = _token_from_sms()
    need_invite_evaluation(need=need, actor=staff_a)
    assert client.get(reverse("needs:evaluate_public", args=[old])).status_code == 404
    assert client.get(reverse("needs:evaluate_public", args=[_token_from_sms()])).status_code == 200


def test_todo_lists_what_waits_for_each_person(client_for, drive, chief_a, handler, staff_a):
    waiting = drive(Status.AWAITING_DISPATCH)
    dispatched = drive(Status.DISPATCHED)
    assert waiting.label in client_for(chief_a).get(reverse("needs:todo")).text
    text = client_for(handler).get(reverse("needs:todo")).text
    assert dispatched.label in text and waiting.label not in text


def test_inbox_shows_and_marks_notifications(client_for, drive, handler):
    need = drive(Status.DISPATCHED)
    client = client_for(handler)
    page = client.get(reverse("notifications:inbox")).text
    assert "收到分发任务，请签收" in page
    note = handler.notifications.get(kind="dispatch")
    response = client.post(
        reverse("notifications:read", args=[note.pk]),
        {"next": reverse("needs:detail", args=[need.pk])},
    )
    assert response.url == reverse("needs:detail", args=[need.pk])
    note.refresh_from_db()
    assert note.read_at is not None


def test_documents_can_be_attached_to_the_need_until_archived(
    client_for, drive, staff_a, supervisor
):
    from hqzt.needs.models import Attachment

    need = drive(Status.REGISTERED)
    png = SimpleUploadedFile("营业执照.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    response = client_for(supervisor).post(
        reverse("needs:act", args=[need.pk, "attach"]), {"attach-file": png}
    )
    assert response.status_code == 302  # back to the need, with the refusal as a message
    assert response.url == reverse("needs:detail", args=[need.pk])
    assert not Attachment.objects.exists()  # supervisors read, they do not add documents
    png.seek(0)
    response = client_for(staff_a).post(
        reverse("needs:act", args=[need.pk, "attach"]), {"attach-file": png}
    )
    assert response.status_code == 302
    assert response.url == reverse("needs:detail", args=[need.pk])
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png" and attachment.step is None
    archived = drive(Status.ARCHIVED)
    page = client_for(staff_a).get(reverse("needs:detail", args=[archived.pk])).text
    assert 'data-testid="panel-attach"' not in page
