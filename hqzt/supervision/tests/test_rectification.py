"""External supervision and rectification: feedback → improvement plan → tasks with owner,
deadline and evidence → verification → plan closed → feedback closed."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hqzt.audit.models import AuditEvent
from hqzt.core import clock
from hqzt.notifications.models import Notification
from hqzt.supervision.access import SupervisionRefused
from hqzt.supervision.models import Feedback, ImprovementPlan, RectificationTask
from hqzt.supervision.rectification import (
    TaskSpec,
    plan_add_task,
    plan_close,
    plan_create,
    task_submit,
    task_verify,
)
from hqzt.supervision.services import feedback_close, feedback_receive

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _due(days: int = 10) -> datetime.date:
    return clock.today() + datetime.timedelta(days=days)


@pytest.fixture
def complaint(station_a, supervisor):
    return feedback_receive(
        kind="complaint",
        channel="portal",
        content="服务站周三下午无人值守",
        station=station_a,
        name="张先生",
        phone="13900001111",
    )


@pytest.fixture
def plan(complaint, supervisor, chief_a, station_a):
    return plan_create(
        actor=supervisor,
        station=station_a,
        problem=complaint.content,
        measures="落实值班表，公示值班电话",
        tasks=[TaskSpec("重新排定值班表并上墙公示", chief_a, _due())],
        feedback=complaint,
    )


def test_portal_feedback_reaches_the_supervisors(complaint, supervisor):
    assert complaint.status == Feedback.Status.RECEIVED
    assert Notification.objects.filter(recipient=supervisor, kind="feedback").exists()


def test_a_plan_moves_the_feedback_into_rectification_and_tells_the_owner(plan, complaint, chief_a):
    complaint.refresh_from_db()
    assert complaint.status == Feedback.Status.RECTIFYING
    assert plan.origin == ImprovementPlan.Origin.FEEDBACK
    assert Notification.objects.filter(recipient=chief_a, kind="rectification").exists()
    assert AuditEvent.objects.filter(action="plan_create").exists()


# DB1405 §7.2
def test_whole_cycle_submit_return_resubmit_verify_close(plan, chief_a, supervisor, complaint):
    task = plan.tasks.get()
    with pytest.raises(SupervisionRefused, match="还有整改任务未验收"):
        plan_close(actor=supervisor, plan=plan, conclusion="完成")
    task = task_submit(
        actor=chief_a,
        task=task,
        evidence="已排班公示",
        upload=SimpleUploadedFile("值班表.png", PNG, content_type="image/png"),
    )
    assert task.status == RectificationTask.Status.SUBMITTED and task.evidence_type == "image/png"
    assert Notification.objects.filter(recipient=supervisor, title__contains="待验收").exists()
    task = task_verify(actor=supervisor, task=task, accept=False, note="照片看不清")
    assert task.status == RectificationTask.Status.OPEN
    task = task_submit(actor=chief_a, task=task, evidence="重新拍照上传")
    task = task_verify(actor=supervisor, task=task, accept=True)
    assert task.status == RectificationTask.Status.VERIFIED and task.verified_by == supervisor
    plan = plan_close(actor=supervisor, plan=plan, conclusion="值班制度已落实，回访投诉人满意")
    complaint.refresh_from_db()
    assert plan.status == ImprovementPlan.Status.CLOSED
    assert complaint.status == Feedback.Status.CLOSED and complaint.reply.startswith("值班制度")
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    for action in ["task_submit", "task_return", "task_verify", "plan_close", "feedback_close"]:
        assert action in actions


def test_only_the_owner_submits_and_only_an_overseer_verifies(
    plan, staff_a, chief_a, county_supervisor
):
    task = plan.tasks.get()
    with pytest.raises(SupervisionRefused, match="责任人"):
        task_submit(actor=staff_a, task=task, evidence="代为提交")
    with pytest.raises(SupervisionRefused, match="已提交整改情况"):
        task_verify(actor=plan.created_by, task=task, accept=True)
    task_submit(actor=chief_a, task=task, evidence="已完成")
    with pytest.raises(SupervisionRefused):
        task_verify(actor=county_supervisor, task=task, accept=True)
    with pytest.raises(SupervisionRefused):
        task_verify(actor=chief_a, task=task, accept=True)


def test_disguised_evidence_is_refused_and_nothing_saved(plan, chief_a):
    task = plan.tasks.get()
    fake = SimpleUploadedFile("照片.png", b"MZ\x90\x00 not an image", content_type="image/png")
    with pytest.raises(SupervisionRefused, match="附件类型不支持"):
        task_submit(actor=chief_a, task=task, evidence="见附件", upload=fake)
    task.refresh_from_db()
    assert task.status == RectificationTask.Status.OPEN and not task.evidence_file


@pytest.mark.parametrize(
    ("owner", "due", "message"),
    [("staff_b", 5, "不能担任"), ("chief_a", -1, "不能早于今天")],
)
def test_bad_tasks_are_refused_and_no_plan_saved(
    request, supervisor, station_a, owner, due, message
):
    with pytest.raises(SupervisionRefused, match=message):
        plan_create(
            actor=supervisor,
            station=station_a,
            problem="问题",
            measures="措施",
            tasks=[TaskSpec("任务", request.getfixturevalue(owner), _due(due))],
        )
    assert not ImprovementPlan.objects.exists()


def test_a_plan_needs_a_task_and_an_overseer(supervisor, county_supervisor, station_a, chief_a):
    with pytest.raises(SupervisionRefused, match="至少需要一项"):
        plan_create(actor=supervisor, station=station_a, problem="p", measures="m", tasks=[])
    with pytest.raises(SupervisionRefused, match="监督人员"):
        plan_create(
            actor=county_supervisor,
            station=station_a,
            problem="p",
            measures="m",
            tasks=[TaskSpec("t", chief_a, _due())],
        )


def test_tasks_can_be_added_while_open_and_owners_include_handlers(plan, supervisor, handler):
    task = plan_add_task(
        actor=supervisor, plan=plan, task=TaskSpec("计量科派员驻站", handler, _due(20))
    )
    assert task.owner == handler and plan.tasks.count() == 2


def test_feedback_closed_without_rectification_needs_a_reply(complaint, supervisor, staff_a):
    with pytest.raises(SupervisionRefused, match="办理结果及答复"):
        feedback_close(actor=supervisor, feedback=complaint, reply=" ")
    with pytest.raises(SupervisionRefused, match="只有监督人员"):
        feedback_close(actor=staff_a, feedback=complaint, reply="已答复")
    done = feedback_close(actor=supervisor, feedback=complaint, reply="经核实为误解，已电话说明")
    assert done.status == Feedback.Status.CLOSED


def test_feedback_with_an_open_plan_cannot_be_closed(plan, complaint, supervisor):
    with pytest.raises(SupervisionRefused, match="整改计划尚未完成"):
        feedback_close(actor=supervisor, feedback=complaint, reply="已处理")


# --- Pages --------------------------------------------------------------------------------------


def test_recording_a_supervision_phone_call(client_for, supervisor, station_a):
    client = client_for(supervisor)
    response = client.post(
        "/supervision/feedback/new/",
        {
            "kind": "suggestion",
            "station": station_a.pk,
            "content": "建议增加周末值班",
            "name": "李女士",
            "phone": "１３９-0000-2222",
        },
    )
    feedback = Feedback.objects.get()
    assert response.status_code == 302
    assert feedback.channel == Feedback.Channel.PHONE and feedback.recorded_by == supervisor
    assert feedback.phone == "13900002222"
    assert AuditEvent.objects.filter(action="feedback_record").exists()


def test_a_bad_phone_call_record_is_refused(client_for, supervisor):
    response = client_for(supervisor).post(
        "/supervision/feedback/new/", {"kind": "complaint", "content": "", "phone": "12"}
    )
    text = response.content.decode()
    assert response.status_code == 200 and "不是有效的电话号码" in text
    assert not Feedback.objects.exists()


def test_feedback_is_for_supervisors_only(
    client_for, complaint, chief_a, handler, county_supervisor
):
    for user in (chief_a, handler):
        assert client_for(user).get(f"/supervision/feedback/{complaint.pk}/").status_code == 404
        assert client_for(user).get("/supervision/feedback/").status_code == 404
        assert client_for(user).get("/supervision/feedback/new/").status_code == 404
    # Station A is outside the county supervisor's subtree.
    county = client_for(county_supervisor)
    assert county.get(f"/supervision/feedback/{complaint.pk}/").status_code == 404


def test_plan_pages_from_feedback_to_verified_task(client_for, complaint, supervisor, chief_a):
    client = client_for(supervisor)
    form_page = client.get(f"/supervision/plans/new/?feedback={complaint.pk}").content.decode()
    assert "服务站周三下午无人值守" in form_page
    response = client.post(
        f"/supervision/plans/new/?feedback={complaint.pk}",
        {
            "problem": "无人值守",
            "measures": "落实值班",
            "tasks-TOTAL_FORMS": "3",
            "tasks-INITIAL_FORMS": "0",
            "tasks-0-description": "排班公示",
            "tasks-0-owner": chief_a.pk,
            "tasks-0-due_on": f"{_due():%Y-%m-%d}",
        },
    )
    plan = ImprovementPlan.objects.get()
    assert response.status_code == 302 and plan.station == complaint.station
    task = plan.tasks.get()

    chief = client_for(chief_a)
    assert "提交整改情况" in chief.get(f"/supervision/plans/{plan.pk}/").content.decode()
    response = chief.post(
        f"/supervision/tasks/{task.pk}/submit/",
        {"evidence": "已公示", "file": SimpleUploadedFile("a.png", PNG, content_type="image/png")},
    )
    assert response.status_code == 302
    assert response.url == f"/supervision/plans/{plan.pk}/"
    task.refresh_from_db()
    assert task.status == RectificationTask.Status.SUBMITTED and task.evidence == "已公示"
    download = chief.get(f"/supervision/tasks/{task.pk}/evidence/")
    assert download.status_code == 200 and download["Content-Type"] == "image/png"

    client = client_for(supervisor)
    response = client.post(f"/supervision/tasks/{task.pk}/verify/", {"decision": "accept"})
    assert response.status_code == 302
    assert response.url == f"/supervision/plans/{plan.pk}/"
    task.refresh_from_db()
    assert task.status == RectificationTask.Status.VERIFIED and task.verified_by == supervisor
    response = client.post(f"/supervision/plans/{plan.pk}/close/", {"conclusion": "已整改"})
    assert response.status_code == 302
    assert response.url == f"/supervision/plans/{plan.pk}/"
    plan.refresh_from_db()
    assert plan.status == ImprovementPlan.Status.CLOSED


def test_plan_pages_are_scoped(client_for, plan, staff_b, handler):
    task = plan.tasks.get()
    for user in (staff_b, handler):
        client = client_for(user)
        assert client.get(f"/supervision/plans/{plan.pk}/").status_code == 404
        assert client.get(f"/supervision/tasks/{task.pk}/evidence/").status_code == 404
        response = client.post(f"/supervision/tasks/{task.pk}/submit/", {"evidence": "x"})
        assert response.status_code == 404
    task.refresh_from_db()
    assert task.status == RectificationTask.Status.OPEN


def test_hub_counts_for_supervisor_and_owner(client_for, plan, supervisor, chief_a):
    assert client_for(supervisor).get("/supervision/").status_code == 200
    page = client_for(chief_a).get("/supervision/").content.decode()
    assert "重新排定值班表并上墙公示" in page


def test_the_complainants_number_is_masked_encrypted_and_revealed_with_a_record(
    client_for, complaint, supervisor, chief_a
):
    from django.db import connection

    client = client_for(supervisor)
    page = client.get(f"/supervision/feedback/{complaint.pk}/").content.decode()
    assert "139****1111" in page and "13900001111" not in page
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM supervision_feedback WHERE id = %s", [complaint.pk])
        assert "13900001111" not in cursor.fetchone()[0]
    revealed = client.post(
        f"/supervision/feedback/{complaint.pk}/phone/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "13900001111" in revealed
    assert AuditEvent.objects.filter(
        action="reveal_phone", object_type="supervision.feedback", actor=supervisor
    ).exists()
    assert (
        client_for(chief_a).post(f"/supervision/feedback/{complaint.pk}/phone/").status_code == 404
    )


def test_resubmitted_evidence_replaces_the_old_file(
    plan, chief_a, supervisor, django_capture_on_commit_callbacks
):
    task = plan.tasks.get()
    first = task_submit(
        actor=chief_a,
        task=task,
        evidence="第一次",
        upload=SimpleUploadedFile("a.png", PNG, content_type="image/png"),
    )
    old_name = first.evidence_file.name
    task_verify(actor=supervisor, task=first, accept=False, note="看不清")
    with django_capture_on_commit_callbacks(execute=True):
        second = task_submit(
            actor=chief_a,
            task=first,
            evidence="第二次",
            upload=SimpleUploadedFile("b.png", PNG, content_type="image/png"),
        )
    storage = second.evidence_file.storage
    assert second.evidence_file.name != old_name
    assert storage.exists(second.evidence_file.name) and not storage.exists(old_name)


def test_hub_figures_link_to_the_matching_lists(client_for, plan, chief_a, supervisor, complaint):
    client = client_for(supervisor)
    assert "服务站周三下午无人值守" in client.get("/supervision/feedback/?open=1").text
    assert plan.problem[:10] not in client.get("/supervision/plans/?to_verify=1").text
    task_submit(actor=chief_a, task=plan.tasks.get(), evidence="已公示")
    assert plan.problem[:10] in client.get("/supervision/plans/?to_verify=1").text
