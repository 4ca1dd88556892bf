"""The demo's showcase of needs: a fixed set in every state, with overdue work and an escalation."""

from hqzt.core import clock
from hqzt.demo.needs_base import NeedsDemo
from hqzt.needs.models import Need, Scope, Source
from hqzt.needs.services.archive import need_archive
from hqzt.needs.services.evaluation import need_evaluate, need_verify
from hqzt.needs.services.handling import need_complete
from hqzt.needs.services.identification import (
    need_accept_task,
    need_dispatch,
    need_identify,
    need_liaise,
)
from hqzt.needs.services.registration import need_register, need_reject_intake, need_submit
from hqzt.needs.states import Status
from hqzt.stations.models import Station, StationMember, StationRole


class NeedsShowcase(NeedsDemo):
    def build(self, station: Station) -> int:
        """Every state, overdue work and escalation, whatever day the demo is built on: the year's
        random flow alone leaves some states empty on some days (e.g. nothing awaits dispatch on a
        Monday when every identification of last week was dispatched)."""
        people = StationMember.objects.filter(station=station, is_active=True).exclude(
            onboarding_trained_on=None
        )
        chief = next(m.user for m in people if m.role == StationRole.CHIEF)
        first = next(m.user for m in people if m.role == StationRole.RESIDENT_STAFF)
        enterprise = station.enterprises.order_by("id").first()
        name, phone = self._contact(enterprise)
        section = next(iter(self.sections.values()))
        handler = self.handler_of[section.pk]

        def register(days_ago: int) -> Need:
            with clock.travel(self._back(days_ago)):
                return need_register(
                    actor=first,
                    station=station,
                    enterprise=enterprise,
                    contact_name=name,
                    contact_phone=phone,
                    source=Source.INBOUND,
                    channel=self.channels[0],
                    items=[self._item()],
                ).needs.get()

        def at(days_ago: int, step, **kwargs) -> Need:
            with clock.travel(self._back(days_ago)):
                return step(**kwargs)

        register(0)  # 待识别
        with clock.travel(self._back(1)):
            submitted = need_submit(
                station=station,
                enterprise=enterprise,
                contact_name=name,
                contact_phone=phone,
                channel=self.portal,
                items=[self._item()],
            ).needs.get()
        at(1, need_reject_intake, need=submitted, actor=first, reason="与已登记的需求重复")
        late = register(8)  # dispatched but never accepted: overdue
        late = at(
            8,
            need_identify,
            need=late,
            actor=first,
            scope=Scope.MARKET_REGULATION,
            complexity="coordinated",
        )
        at(
            7,
            need_dispatch,
            need=late,
            actor=chief,
            handling_mode="independent",
            lead_section=section,
        )
        waiting = register(1)  # identified as needing coordination, not yet dispatched
        waiting = at(
            0,
            need_identify,
            need=waiting,
            actor=first,
            scope=Scope.MARKET_REGULATION,
            complexity="coordinated",
        )
        working = register(3)  # accepted by the section, being handled
        working = at(
            3,
            need_identify,
            need=working,
            actor=first,
            scope=Scope.MARKET_REGULATION,
            complexity="coordinated",
        )
        working = at(
            2,
            need_dispatch,
            need=working,
            actor=chief,
            handling_mode="independent",
            lead_section=section,
        )
        at(1, need_accept_task, need=working, actor=handler)
        liaising = register(2)  # another department's matter, the chief liaising
        liaising = at(
            2,
            need_identify,
            need=liaising,
            actor=first,
            scope=Scope.OTHER_DEPARTMENT,
        )
        at(
            1,
            need_liaise,
            need=liaising,
            actor=chief,
            department=self.departments[0],
            department_contact="王科长 0356-2000000",
            assistance="服务站工作人员陪同企业对接部门窗口，跟踪办理进度。",
        )
        for target in (Status.AWAITING_EVALUATION, Status.AWAITING_ARCHIVE, Status.ARCHIVED):
            done = register(12)
            done = at(
                12,
                need_identify,
                need=done,
                actor=first,
                scope=Scope.MARKET_REGULATION,
                complexity="simple",
            )
            done = at(
                9,
                need_complete,
                need=done,
                actor=first,
                outcome="met",
                result="已电话告知企业办理流程和所需材料。",
            )
            if target != Status.AWAITING_EVALUATION:
                done = at(
                    7,
                    need_evaluate,
                    need=done,
                    actor=first,
                    level="satisfied",
                    method="phone",
                    comments="",
                )
            if target == Status.ARCHIVED:
                at(6, need_archive, need=done, actor=first)
        slow = register(20)  # handled by the first contact past its completion limit
        at(
            20,
            need_identify,
            need=slow,
            actor=first,
            scope=Scope.MARKET_REGULATION,
            complexity="simple",
        )
        unhappy = register(30)  # dissatisfied twice: escalated to the supervisor
        unhappy = at(
            30,
            need_identify,
            need=unhappy,
            actor=first,
            scope=Scope.MARKET_REGULATION,
            complexity="coordinated",
        )
        unhappy = at(
            29,
            need_dispatch,
            need=unhappy,
            actor=chief,
            handling_mode="independent",
            lead_section=section,
        )
        unhappy = at(29, need_accept_task, need=unhappy, actor=handler)
        for days_ago, round_ in ((20, 1), (6, 2)):
            unhappy = at(
                days_ago,
                need_complete,
                need=unhappy,
                actor=handler,
                outcome="met",
                result="已办理完毕。",
            )
            unhappy = at(
                days_ago - 2,
                need_evaluate,
                need=unhappy,
                actor=first,
                level="dissatisfied",
                method="phone",
                comments="问题没有真正解决。",
            )
            if round_ == 1:
                unhappy = at(
                    17,
                    need_verify,
                    need=unhappy,
                    actor=chief,
                    rehandle=True,
                    note="核实：企业反映检定证书信息有误，重新办理。",
                )
        return 12
