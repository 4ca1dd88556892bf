"""Demo supervision: 督办 in every state, callbacks with results (one that does not match), feedback
from the portal and the supervision phone, and improvement plans with tasks at each step."""

import datetime
import random

from hqzt.accounts.models import User
from hqzt.core import clock
from hqzt.core.workdays import add_workdays
from hqzt.demo.needs_base import workdays_back
from hqzt.needs.models import Need
from hqzt.needs.states import Status
from hqzt.stations.models import Station, StationRole
from hqzt.supervision.callbacks import callback_record, callbacks_sample
from hqzt.supervision.models import Callback, Feedback
from hqzt.supervision.orders import order_issue, order_respond, order_review
from hqzt.supervision.rectification import TaskSpec, plan_create, task_submit, task_verify
from hqzt.supervision.services import feedback_close, feedback_receive


class SupervisionBuilder:
    def __init__(self, rng: random.Random, today: datetime.date) -> None:
        self.rng, self.today = rng, today
        self.supervisor = User.objects.get(username="supervisor")

    def _back(self, workdays: int) -> datetime.datetime:
        return workdays_back(self.today, workdays, self.rng)

    def _at(self, workdays_ago: int, step, **kwargs):
        with clock.travel(self._back(workdays_ago)):
            return step(**kwargs)

    def _lead(self, station: Station) -> User:
        return User.objects.filter(
            station_memberships__role=StationRole.CHIEF,
            station_memberships__station=station,
            station_memberships__is_active=True,
        ).first()

    def _staff(self, station: Station) -> User:
        return User.objects.filter(
            station_memberships__role=StationRole.RESIDENT_STAFF,
            station_memberships__station=station,
            station_memberships__is_active=True,
        ).first() or self._lead(station)

    def build(self, stations: list[Station]) -> None:
        first, second = stations[0], stations[1]
        self._orders(first, second)
        self._callbacks()
        self._feedback(first, second)

    def _orders(self, first: Station, second: Station) -> None:
        boss = self.supervisor
        open_needs = Need.objects.filter(
            station=first, status__in=[Status.DISPATCHED, Status.IN_PROGRESS]
        ).order_by("registered_on")
        needs = list(open_needs[:2])
        if needs:  # issued a week ago, no answer yet: overdue
            self._at(
                6,
                order_issue,
                actor=boss,
                station=first,
                need=needs[0],
                instruction="该需求办理已超过时限，请说明原因并于三个工作日内办结。",
                due_on=add_workdays(self._back(6).date(), 3),
            )
        if len(needs) > 1:  # answered, waiting for the supervisor
            order = self._at(
                4,
                order_issue,
                actor=boss,
                station=first,
                need=needs[1],
                instruction="企业反映进度较慢，请督促牵头科室加快办理。",
                due_on=add_workdays(self._back(4).date(), 5),
            )
            self._at(
                2,
                order_respond,
                actor=self._lead(first),
                order=order,
                response="已与牵头科室沟通，科室已安排专人上门，预计本周内办结。",
            )
        order = self._at(
            20,
            order_issue,
            actor=boss,
            station=second,
            instruction="近一个月周报两次迟报，请说明原因并落实专人负责。",
            due_on=add_workdays(self._back(20).date(), 5),
        )
        self._at(
            17,
            order_respond,
            actor=self._lead(second),
            order=order,
            response="已明确由副站长负责周报，每周一上午报送。",
        )
        self._at(15, order_review, actor=boss, order=order, accept=True, note="同意。")

    def _callbacks(self) -> None:
        """The builder's 不满意 evaluations already have callbacks; record most of them and
        sample others from the last month, one of which does not match."""
        boss = self.supervisor
        pending = list(Callback.objects.filter(status=Callback.Status.PENDING).order_by("pk"))
        now = clock.now()
        for callback in pending[: max(len(pending) - 2, 0)]:
            # Called back two days after the evaluation, as a supervisor would.
            with clock.travel(min(callback.created_at + datetime.timedelta(days=2), now)):
                callback_record(
                    actor=boss,
                    callback=callback,
                    reached=True,
                    method="phone",
                    confirmed_level="dissatisfied",
                    notes="企业确认不满意，主要是办理时间较长，服务站已重新办理。",
                )
        month_ago = self.today - datetime.timedelta(days=30)
        sampled = callbacks_sample(actor=boss, start=month_ago, end=self.today, size=8)
        # The draw is random: put one the enterprise did not rate 一般 first, so that the callback
        # confirming 一般 always disagrees with the recorded level.
        sampled.sort(key=lambda callback: callback.evaluation.level == "neutral")
        for i, callback in enumerate(sampled[:5]):
            if i == 0:
                callback_record(
                    actor=boss,
                    callback=callback,
                    reached=True,
                    method="phone",
                    confirmed_level="neutral",
                    notes="企业称评价并非本人填写，对办理结果感觉一般。",
                )
            elif i == 1:
                callback_record(
                    actor=boss,
                    callback=callback,
                    reached=False,
                    method="phone",
                    notes="两次拨打联系电话均无人接听。",
                )
            else:
                callback_record(
                    actor=boss,
                    callback=callback,
                    reached=True,
                    method="phone",
                    confirmed_level=callback.evaluation.level,
                    notes="评价属实。",
                )
        mismatch = Callback.objects.filter(mismatch=True).select_related("station").first()
        if mismatch is not None:
            lead = self._lead(mismatch.station)
            plan = plan_create(
                actor=boss,
                station=mismatch.station,
                callback=mismatch,
                problem="回访发现满意度评价非企业本人填写。",
                measures="满意度评价一律由企业通过评价链接或电话本人作出，工作人员不得代填。",
                tasks=[
                    TaskSpec(
                        "组织全站学习满意度评价要求并留存记录", lead, add_workdays(self.today, 5)
                    )
                ],
            )
            task_submit(
                actor=lead,
                task=plan.tasks.get(),
                evidence="已于本周例会组织学习，参会人员签字表见附件。",
            )

    def _feedback(self, first: Station, second: Station) -> None:
        boss = self.supervisor
        complaint = self._at(
            12,
            feedback_receive,
            kind=Feedback.Kind.COMPLAINT,
            channel=Feedback.Channel.PORTAL,
            station=first,
            name="某企业办公室",
            content="周三下午到服务站咨询，值班人员不在岗，电话也无人接听。",
        )
        lead, staff = self._lead(first), self._staff(first)
        plan = self._at(
            11,
            plan_create,
            actor=boss,
            station=first,
            feedback=complaint,
            problem="值班人员不在岗，值班电话无人接听。",
            measures="严格执行值班制度，值班表上墙公示，值班电话呼叫转移到值班人员手机。",
            tasks=[
                TaskSpec(
                    "重新排定值班表并在站内和门户公示", lead, add_workdays(self._back(11).date(), 3)
                ),
                TaskSpec(
                    "值班电话设置呼叫转移并测试", staff, add_workdays(self._back(11).date(), 10)
                ),
            ],
        )
        # The first task is done and verified; the second is still open.
        first_task = plan.tasks.order_by("pk").first()
        self._at(
            9,
            task_submit,
            actor=lead,
            task=first_task,
            evidence="值班表已更新并上墙公示，门户同步更新。",
        )
        self._at(8, task_verify, actor=boss, task=first_task, accept=True, note="已现场核实。")
        suggestion = self._at(
            7,
            feedback_receive,
            kind=Feedback.Kind.SUGGESTION,
            channel=Feedback.Channel.PHONE,
            station=second,
            name="李女士",
            phone="13903567788",
            recorded_by=boss,
            content="建议服务站在周末安排预约服务，方便企业负责人来咨询。",
        )
        self._at(
            5,
            feedback_close,
            actor=boss,
            feedback=suggestion,
            reply="已采纳，服务站开通周末预约，已电话告知来电人。",
        )
        feedback_receive(
            kind=Feedback.Kind.OPINION,
            channel=Feedback.Channel.PORTAL,
            station=None,
            content="希望多组织标准化方面的政策宣讲。",
            name="",
        )
