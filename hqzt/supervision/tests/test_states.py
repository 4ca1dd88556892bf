"""Each supervision machine refuses a step its table does not allow from the current state, in
Chinese, and saves nothing (hqzt/supervision/states.py)."""

import datetime

import pytest

from hqzt.audit.models import AuditEvent
from hqzt.audit.statemachine import transition
from hqzt.core import clock
from hqzt.needs.services.evaluation import need_evaluate
from hqzt.needs.states import Status
from hqzt.supervision.access import SupervisionRefused
from hqzt.supervision.callbacks import callback_record
from hqzt.supervision.models import Callback, Feedback, ImprovementPlan, SupervisionOrder
from hqzt.supervision.orders import order_issue, order_review
from hqzt.supervision.rectification import TaskSpec, plan_close, plan_create, task_verify
from hqzt.supervision.services import feedback_close, feedback_receive

pytestmark = pytest.mark.django_db


def _due() -> datetime.date:
    return clock.today() + datetime.timedelta(days=5)


def _audited(obj, action: str) -> bool:
    return AuditEvent.objects.filter(action=action, object_id=str(obj.pk)).exists()


@pytest.fixture
def plan(station_a, supervisor, chief_a):
    feedback = feedback_receive(
        kind="complaint", channel="portal", content="无人值守", station=station_a
    )
    return plan_create(
        actor=supervisor,
        station=station_a,
        problem="无人值守",
        measures="排班",
        tasks=[TaskSpec("排班上墙", chief_a, _due())],
        feedback=feedback,
    )


def test_an_order_not_yet_answered_cannot_be_closed(supervisor, station_a, chief_a):
    order = order_issue(actor=supervisor, station=station_a, instruction="请说明", due_on=_due())
    with pytest.raises(SupervisionRefused, match="只有已回复的督办可以审核"):
        order_review(actor=supervisor, order=order, accept=True)
    order.refresh_from_db()
    assert order.status == SupervisionOrder.Status.ISSUED and order.closed_at is None
    assert not _audited(order, "order_close")


def test_a_recorded_callback_is_not_recorded_again(drive, staff_a, supervisor):
    need = drive(Status.AWAITING_EVALUATION)
    need_evaluate(need=need, actor=staff_a, level="dissatisfied", comments="慢")
    callback = callback_record(
        actor=supervisor,
        callback=Callback.objects.get(),
        reached=False,
        method="phone",
        notes="空号",
    )
    with pytest.raises(SupervisionRefused, match="该回访已记录结果"):
        callback_record(
            actor=supervisor,
            callback=callback,
            reached=True,
            method="visit",
            confirmed_level="satisfied",
        )
    callback.refresh_from_db()
    assert (callback.status, callback.method) == (Callback.Status.UNREACHABLE, "phone")


def test_closed_feedback_is_neither_closed_again_nor_put_into_rectification(station_a, supervisor):
    feedback = feedback_receive(kind="opinion", channel="portal", content="好", station=station_a)
    feedback = feedback_close(actor=supervisor, feedback=feedback, reply="已答复")
    with pytest.raises(SupervisionRefused, match="该意见已办结"):
        feedback_close(actor=supervisor, feedback=feedback, reply="再答复")
    with pytest.raises(SupervisionRefused, match="当前为「已办结」，不能执行「制定整改计划」"):
        transition(feedback, "feedback_rectify", supervisor)
    feedback.refresh_from_db()
    assert (feedback.status, feedback.reply) == (Feedback.Status.CLOSED, "已答复")
    assert not _audited(feedback, "feedback_rectify")


def test_a_task_not_submitted_cannot_be_verified_nor_a_closed_plan_closed(plan, supervisor):
    task = plan.tasks.get()
    with pytest.raises(SupervisionRefused, match="只有已提交整改情况的任务可以验收"):
        task_verify(actor=supervisor, task=task, accept=True)
    task.refresh_from_db()
    assert task.verified_at is None and not _audited(task, "task_verify")
    ImprovementPlan.objects.filter(pk=plan.pk).update(status=ImprovementPlan.Status.CLOSED)
    with pytest.raises(SupervisionRefused, match="该整改计划已完成"):
        plan_close(actor=supervisor, plan=plan, conclusion="完成")
    assert not _audited(plan, "plan_close")
