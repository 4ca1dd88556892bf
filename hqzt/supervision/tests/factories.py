"""Supervision records (§7). Feedback and orders are rows the services create as they are
(status 已登记 / 待回复); a callback exists only for an evaluation and a plan only with a task,
so those go through the services (the callback through a 不满意 evaluation, §7.1)."""

import datetime

import factory

from hqzt.accounts.tests.factories import UserFactory
from hqzt.core import clock
from hqzt.needs.models import EvaluationLevel
from hqzt.needs.tests.factories import EvaluationFactory
from hqzt.stations.tests.factories import StationFactory, StationMemberFactory
from hqzt.supervision.models import (
    Callback,
    Feedback,
    ImprovementPlan,
    RectificationTask,
    SupervisionOrder,
)


def _in_a_week() -> datetime.date:
    return clock.today() + datetime.timedelta(days=7)


class SupervisorFactory(UserFactory):
    """A supervisor of the unit a station reports to (so they oversee it)."""

    class Params:
        station = None

    role = "supervisor"
    org_unit = factory.LazyAttribute(lambda o: o.station.superior_unit if o.station else None)


class FeedbackFactory(factory.django.DjangoModelFactory):
    """An opinion, suggestion or complaint as the portal records it (§7.2)."""

    class Meta:
        model = Feedback

    kind = Feedback.Kind.SUGGESTION
    channel = Feedback.Channel.PORTAL
    station = factory.SubFactory(StationFactory)
    name = "某企业"
    phone = "13812345678"
    content = factory.Sequence(lambda n: f"建议服务站延长周末值班时间（{n}）")


class SupervisionOrderFactory(factory.django.DjangoModelFactory):
    """A 督办 issued by a supervisor over the station, due in a week (§7.1)."""

    class Meta:
        model = SupervisionOrder

    station = factory.SubFactory(StationFactory)
    instruction = "请说明本月超期需求的原因并提出改进措施"
    due_on = factory.LazyFunction(_in_a_week)
    issued_by = factory.LazyAttribute(lambda o: SupervisorFactory(station=o.station))


class CallbackFactory(factory.Factory):
    """The callback every 不满意 gets (R-5.1): made by need_evaluate through the workflow."""

    class Meta:
        model = Callback

    comments = "证书出具太慢"

    @classmethod
    def _create(cls, model_class, *args, comments):
        evaluation = EvaluationFactory(level=EvaluationLevel.DISSATISFIED, comments=comments)
        return evaluation.callback


class ImprovementPlanFactory(factory.Factory):
    """A plan found by inspection with one task for a staff member, through plan_create (a plan
    always has at least one task)."""

    class Meta:
        model = ImprovementPlan

    station = factory.SubFactory(StationFactory)
    actor = factory.LazyAttribute(lambda o: SupervisorFactory(station=o.station))
    problem = "需求超期未办结较多"
    measures = "每周例会通报超期需求，站长督促办理"
    task_owner = factory.LazyAttribute(lambda o: StationMemberFactory(station=o.station).user)

    @classmethod
    def _create(cls, model_class, *args, task_owner, **kwargs):
        from hqzt.supervision.rectification import TaskSpec, plan_create

        task = TaskSpec(description="清理超期需求", owner=task_owner, due_on=_in_a_week())
        return plan_create(tasks=[task], **kwargs)


class RectificationTaskFactory(factory.Factory):
    """One more task on a plan, through plan_add_task."""

    class Meta:
        model = RectificationTask

    plan = factory.SubFactory(ImprovementPlanFactory)
    description = factory.Sequence(lambda n: f"整改任务{n}")
    due_on = factory.LazyFunction(_in_a_week)

    @classmethod
    def _create(cls, model_class, *args, plan, description, due_on):
        from hqzt.supervision.rectification import TaskSpec, plan_add_task

        owner = plan.tasks.first().owner
        spec = TaskSpec(description=description, owner=owner, due_on=due_on)
        return plan_add_task(actor=plan.created_by, plan=plan, task=spec)
