"""A year of needs for the demo, made through the real services with the clock turned back, so
that every record, deadline, event and notification is what the system itself would produce."""

import datetime

from hqzt.accounts.models import User
from hqzt.core import clock
from hqzt.core.workdays import add_workdays, is_workday
from hqzt.demo.needs_base import EVALUATION_WEIGHTS, SHEETS_PER_STATION_MONTH, NeedsDemo, moment
from hqzt.demo.needs_showcase import NeedsShowcase
from hqzt.enterprises.models import Enterprise
from hqzt.needs.models import Need, Scope, Source
from hqzt.needs.services.archive import need_archive
from hqzt.needs.services.evaluation import need_evaluate, need_verify
from hqzt.needs.services.handling import need_add_step, need_complete
from hqzt.needs.services.identification import (
    need_accept_task,
    need_dispatch,
    need_identify,
    need_liaise,
)
from hqzt.needs.services.registration import need_register, need_submit
from hqzt.needs.states import Status
from hqzt.stations.models import Station, StationMember, StationRole


class NeedsBuilder(NeedsDemo):
    def build(self, stations: list[Station]) -> int:
        count = 0
        start = self.today - datetime.timedelta(days=365)
        for station in stations:
            people = StationMember.objects.filter(station=station, is_active=True)
            trained_members = list(
                people.exclude(onboarding_trained_on=None).select_related("user")
            )
            trained = [m.user for m in trained_members]
            chief = next(m.user for m in trained_members if m.role == StationRole.CHIEF)
            enterprises = list(station.enterprises.all())
            day = start
            while day < self.today:
                for _ in range(self.rng.randint(2, SHEETS_PER_STATION_MONTH * 2 - 2)):
                    registered = day + datetime.timedelta(days=self.rng.randint(0, 29))
                    if registered >= self.today or not is_workday(registered):
                        continue
                    count += self._sheet(station, chief, trained, enterprises, registered)
                day += datetime.timedelta(days=30)
            count += self._portal_submissions(station, enterprises)
        for station in stations[:2]:
            count += NeedsShowcase(self.rng, self.today).build(station)
        return count

    def _portal_submissions(self, station: Station, enterprises: list[Enterprise]) -> int:
        enterprise = self.rng.choice(enterprises)
        name, phone = self._contact(enterprise)
        with clock.travel(moment(self.today, self.rng)):
            need_submit(
                station=station,
                enterprise=enterprise,
                contact_name=name,
                contact_phone=phone,
                channel=self.portal,
                items=[self._item()],
            )
        return 1

    def _sheet(self, station, chief, trained, enterprises, registered: datetime.date) -> int:
        enterprise = self.rng.choice(enterprises)
        first = self.rng.choice(trained)
        name, phone = self._contact(enterprise)
        visit = self.rng.random() < 0.3
        items = [self._item() for _ in range(self.rng.choice([1, 1, 1, 2, 3]))]
        with clock.travel(moment(registered, self.rng)):
            sheet = need_register(
                actor=first,
                station=station,
                enterprise=enterprise,
                contact_name=name,
                contact_phone=phone,
                source=Source.VISIT if visit else Source.INBOUND,
                channel=None if visit else self.rng.choice(self.channels),
                items=items,
            )
        for need in sheet.needs.all():
            self._advance(need, first, chief, registered)
        return len(items)

    def _when(self, day: datetime.date, workdays: int) -> datetime.date | None:
        """The day a step happens, or None if that is still in the future."""
        nxt = add_workdays(day, workdays)
        return nxt if nxt < self.today else None

    def _advance(self, need: Need, first: User, chief: User, day: datetime.date) -> None:
        rng = self.rng
        path = rng.choices(["simple", "section", "other"], weights=[45, 42, 13])[0]
        if need.need_type.code == "other":
            path = "other"
        if (day := self._when(day, 0 if rng.random() < 0.7 else 1)) is None:
            return
        with clock.travel(moment(day, rng)):
            if path == "simple":
                need = need_identify(
                    need=need, actor=first, scope=Scope.MARKET_REGULATION, complexity="simple"
                )
                handler = first
            elif path == "other":
                need = need_identify(need=need, actor=first, scope=Scope.OTHER_DEPARTMENT)
            else:
                need = need_identify(
                    need=need, actor=first, scope=Scope.MARKET_REGULATION, complexity="coordinated"
                )
        if path != "simple":
            if (day := self._when(day, rng.choice([0, 1, 1, 2]))) is None:
                return
            with clock.travel(moment(day, rng)):
                if path == "other":
                    need = need_liaise(
                        need=need,
                        actor=chief,
                        department=rng.choice(self.departments),
                        department_contact=f"{rng.choice('王李张刘陈')}科长 0356-2{rng.randint(100000, 999999)}",
                        assistance="服务站工作人员陪同企业对接部门窗口，跟踪办理进度。",
                    )
                    handler = chief
                else:
                    section = self.sections.get(need.need_type.default_section_id) or rng.choice(
                        list(self.sections.values())
                    )
                    need = need_dispatch(
                        need=need,
                        actor=chief,
                        handling_mode=rng.choice(["independent", "independent", "coordinated"]),
                        lead_section=section,
                    )
                    handler = self.handler_of[section.pk]
            if path == "section":
                if (day := self._when(day, rng.choice([0, 1, 1, 2]))) is None:
                    return
                with clock.travel(moment(day, rng)):
                    need = need_accept_task(need=need, actor=handler)
        for round_ in (1, 2):
            if (day := self._when(day, rng.randint(1, 6))) is None:
                return
            with clock.travel(moment(day, rng)):
                need_add_step(
                    need=need,
                    actor=handler,
                    answered_enterprise=True,
                    description="与企业电话沟通，了解具体情况并告知办理流程。",
                )
            if (day := self._when(day, rng.randint(1, 10))) is None:
                return
            met = rng.random() < 0.9
            with clock.travel(moment(day, rng)):
                need = need_complete(
                    need=need,
                    actor=handler,
                    outcome="met" if met else "unmet",
                    result="已按企业需求办理完毕，相关材料已交企业。"
                    if met
                    else "经分析研判，现阶段无法满足。",
                    handling_opinion=""
                    if met
                    else "建议企业完善条件后再次申请，服务站将持续跟踪。",
                )
            if (day := self._when(day, rng.randint(1, 4))) is None:
                return
            level = rng.choices(
                list(EVALUATION_WEIGHTS), weights=list(EVALUATION_WEIGHTS.values())
            )[0]
            with clock.travel(moment(day, rng)):
                need = need_evaluate(
                    need=need,
                    actor=first,
                    level=level,
                    method=rng.choice(["phone", "visit"]),
                    comments="办理及时，服务热情。"
                    if level != "dissatisfied"
                    else "办理周期太长，希望加快。",
                )
            if level != "dissatisfied":
                break
            if (day := self._when(day, 1)) is None:
                return
            with clock.travel(moment(day, rng)):
                rehandle = round_ == 1 and rng.random() < 0.7
                verifier = chief if need.dispatched_by_id == chief.pk else need.dispatched_by
                need = need_verify(
                    need=need,
                    actor=verifier,
                    rehandle=rehandle,
                    note="已电话核实企业不满意的原因。",
                )
            if not rehandle:
                break
        if need.status == Status.AWAITING_ARCHIVE and (day := self._when(day, rng.randint(1, 3))):
            with clock.travel(moment(day, rng)):
                need_archive(need=need, actor=first)
