"""A year of needs for the demo, made through the real services with the clock turned back, so
that every record, deadline, event and notification is what the system itself would produce."""

import datetime
import random
from zoneinfo import ZoneInfo

from django.conf import settings

from hqzt.accounts.models import User
from hqzt.core import clock
from hqzt.core.workdays import add_workdays, is_workday
from hqzt.enterprises.models import Enterprise
from hqzt.needs.models import Channel, Need, NeedType, Scope, Source
from hqzt.needs.services.archive import need_archive
from hqzt.needs.services.evaluation import need_evaluate, need_verify
from hqzt.needs.services.handling import need_add_step, need_complete
from hqzt.needs.services.identification import (
    need_accept_task,
    need_dispatch,
    need_identify,
    need_liaise,
)
from hqzt.needs.services.registration import (
    NeedItem,
    need_register,
    need_reject_intake,
    need_submit,
)
from hqzt.needs.states import Status
from hqzt.org.models import Section
from hqzt.stations.models import Station, StationMember, StationRole

TZ = ZoneInfo(settings.TIME_ZONE)

NEED_TEXTS = {
    "metrology": [
        "电子天平、压力表需要周期检定，希望安排上门检定",
        "新购置的流量计需要首次检定",
        "想建立企业最高计量标准，咨询考核流程",
    ],
    "standardization": [
        "企业标准需要在平台自我声明公开，请指导填报",
        "希望参与制定团体标准",
        "产品执行的国家标准已更新，咨询过渡期要求",
    ],
    "testing": [
        "产品出口需要第三方检测报告，咨询有资质的检测机构",
        "原材料进厂检验能力不足，希望对接检测资源",
    ],
    "certification": [
        "申请 ISO 9001 质量管理体系认证，咨询流程和费用",
        "CCC 认证证书即将到期，咨询换证",
    ],
    "special_equipment": [
        "厂内叉车需要定期检验",
        "新安装的压力容器需要办理使用登记",
        "电梯年检即将到期，申请安排检验",
    ],
    "product_quality": ["产品抽检不合格，希望指导整改", "咨询产品质量追溯体系建设"],
    "brand": ["申报山西精品品牌，请指导材料准备", "希望创建地理标志证明商标"],
    "intellectual_property": ["商标被他人抢注，咨询异议程序", "申请发明专利，希望获得预审服务"],
    "credit": ["因年报逾期被列入经营异常名录，咨询移出", "申请信用修复"],
    "policy": ["咨询小微企业质量提升奖补政策", "了解专精特新企业认定的政策支持"],
    "other": ["厂区周边道路施工影响物流，希望协调", "招工困难，希望对接人社部门招聘会"],
}
TYPE_WEIGHTS = {
    "metrology": 16,
    "standardization": 12,
    "testing": 9,
    "certification": 8,
    "special_equipment": 12,
    "product_quality": 7,
    "brand": 6,
    "intellectual_property": 8,
    "credit": 6,
    "policy": 10,
    "other": 6,
}
EVALUATION_WEIGHTS = {"very_satisfied": 50, "satisfied": 32, "neutral": 12, "dissatisfied": 6}
SHEETS_PER_STATION_MONTH = 4


def _moment(day: datetime.date, rng: random.Random) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(rng.randint(9, 16), rng.randint(0, 59)), TZ)


def workdays_back(today: datetime.date, workdays: int, rng: random.Random) -> datetime.datetime:
    """A moment in office hours `workdays` working days before `today`."""
    day = today
    while workdays > 0:
        day -= datetime.timedelta(days=1)
        workdays -= is_workday(day)
    return _moment(day, rng)


class NeedsBuilder:
    def __init__(self, rng: random.Random, today: datetime.date) -> None:
        self.rng, self.today = rng, today
        self.types = {t.code: t for t in NeedType.objects.all()}
        self.channels = list(Channel.objects.exclude(code="other"))
        self.portal = Channel.objects.get(code="portal")
        self.departments = list(Section.objects.filter(kind=Section.Kind.OTHER_DEPARTMENT))
        staffed = Section.objects.filter(kind=Section.Kind.BUREAU_SECTION, members__isnull=False)
        self.sections = {s.pk: s for s in staffed.distinct()}
        self.handler_of = {s.pk: s.members.first() for s in self.sections.values()}

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
            count += self._showcase(station)
        return count

    def _back(self, workdays: int) -> datetime.datetime:
        return workdays_back(self.today, workdays, self.rng)

    def _showcase(self, station: Station) -> int:
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

    def _contact(self, enterprise: Enterprise) -> tuple[str, str]:
        contact = enterprise.contacts.first()
        return (contact.name, contact.phone) if contact else ("办公室", "03562220000")

    def _portal_submissions(self, station: Station, enterprises: list[Enterprise]) -> int:
        enterprise = self.rng.choice(enterprises)
        name, phone = self._contact(enterprise)
        with clock.travel(_moment(self.today, self.rng)):
            need_submit(
                station=station,
                enterprise=enterprise,
                contact_name=name,
                contact_phone=phone,
                channel=self.portal,
                items=[self._item()],
            )
        return 1

    def _item(self) -> NeedItem:
        code = self.rng.choices(list(TYPE_WEIGHTS), weights=list(TYPE_WEIGHTS.values()))[0]
        return NeedItem(need_type=self.types[code], content=self.rng.choice(NEED_TEXTS[code]))

    def _sheet(self, station, chief, trained, enterprises, registered: datetime.date) -> int:
        enterprise = self.rng.choice(enterprises)
        first = self.rng.choice(trained)
        name, phone = self._contact(enterprise)
        visit = self.rng.random() < 0.3
        items = [self._item() for _ in range(self.rng.choice([1, 1, 1, 2, 3]))]
        with clock.travel(_moment(registered, self.rng)):
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
        with clock.travel(_moment(day, rng)):
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
            with clock.travel(_moment(day, rng)):
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
                with clock.travel(_moment(day, rng)):
                    need = need_accept_task(need=need, actor=handler)
        for round_ in (1, 2):
            if (day := self._when(day, rng.randint(1, 6))) is None:
                return
            with clock.travel(_moment(day, rng)):
                need_add_step(
                    need=need,
                    actor=handler,
                    answered_enterprise=True,
                    description="与企业电话沟通，了解具体情况并告知办理流程。",
                )
            if (day := self._when(day, rng.randint(1, 10))) is None:
                return
            met = rng.random() < 0.9
            with clock.travel(_moment(day, rng)):
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
            with clock.travel(_moment(day, rng)):
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
            with clock.travel(_moment(day, rng)):
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
            with clock.travel(_moment(day, rng)):
                need_archive(need=need, actor=first)
