"""A year of station operations for the demo: plans, weekly reports, meetings, rota, policies,
trainings and visits — made through the same services where the system has them."""

import datetime
import random
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count

from hqzt.accounts.models import Role, User
from hqzt.core import clock
from hqzt.core.workdays import add_workdays, is_workday
from hqzt.demo import dataset
from hqzt.enterprises.models import Chain, Enterprise, Town
from hqzt.needs.models import Need, NeedType
from hqzt.needs.services.registration import NeedItem
from hqzt.needs.states import Status
from hqzt.operations.models import (
    ActionItem,
    AnnualPlan,
    Meeting,
    Metric,
    PlanGoal,
    Training,
    Visit,
    WorkSuggestion,
)
from hqzt.operations.reports import (
    week_of,
    weekly_report_comment,
    weekly_report_draft,
    weekly_report_submit,
)
from hqzt.operations.rota import rota_generate
from hqzt.operations.suggestions import suggestion_answer, suggestion_submit
from hqzt.operations.visits import visit_register_needs
from hqzt.policies.models import Policy
from hqzt.records.closing import book_close
from hqzt.records.models import ClosedBook
from hqzt.records.practices import practice_save
from hqzt.stations.models import Station, StationRole

TZ = ZoneInfo(settings.TIME_ZONE)


def _moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """`hour`:30 on `day`, or now if that is still to come (a demo never records the future)."""
    return min(datetime.datetime.combine(day, datetime.time(hour, 30), TZ), clock.now())


class OperationsBuilder:
    def __init__(self, rng: random.Random, today: datetime.date) -> None:
        self.rng, self.today = rng, today
        self.supervisor = User.objects.filter(role=Role.SUPERVISOR, org_unit__level="city").first()

    def build(self, stations: list[Station]) -> None:
        self._policies(stations)
        for station in stations:
            members = list(
                station.members.filter(is_active=True)
                .exclude(onboarding_trained_on=None)
                .select_related("user")
            )
            people = [m.user for m in members]
            chief = next(m.user for m in members if m.role == StationRole.CHIEF)
            self._plans(station)
            self._visits(station, people)
            self._trainings(station)
            self._meetings(station, chief, people)
            self._suggestions(station, people)
            self._practice(station, chief)
            self._close_last_year(station, chief)
            self._reports(station, chief)
            rota_generate(
                actor=chief,
                station=station,
                start=week_of(self.today) - datetime.timedelta(weeks=2),
                weeks=6,
            )

    def _policies(self, stations: list[Station]) -> None:
        chains = {c.name: c for c in Chain.objects.all()}
        towns = {t.name: t for t in Town.objects.all()}
        types = {t.code: t for t in NeedType.objects.all()}
        for i, (
            title,
            issuer,
            number,
            chain_names,
            town_names,
            industries,
            type_codes,
        ) in enumerate(dataset.POLICIES):
            with clock.travel(_moment(self.today - datetime.timedelta(days=330 - 30 * i))):
                policy = Policy.objects.create(
                    title=title,
                    issuer=issuer,
                    document_number=number,
                    issued_on=clock.today() - datetime.timedelta(days=20),
                    industries=industries,
                    station=stations[i % len(stations)],
                    summary=f"{title}明确了支持对象、支持内容和申报程序，符合条件的企业可向所在服务站咨询申报。",
                    interpretation="一、适用对象：见正文第二条。二、支持标准：按实际发生费用给予一定比例补助。三、申报时间：每年集中申报一次。",
                )
            policy.chains.set([chains[n] for n in chain_names if n in chains])
            policy.towns.set([towns[n] for n in town_names if n in towns])
            policy.need_types.set([types[c] for c in type_codes])

    def _plans(self, station: Station) -> None:
        for year in (self.today.year - 1, self.today.year):
            plan = AnnualPlan.objects.create(
                station=station,
                year=year,
                summary="围绕服务领域企业质量提升需求，深化“进企业”走访，提升需求办结率和满意率。",
            )
            targets = {
                Metric.VISITS: 40,
                Metric.NEEDS_REGISTERED: 60,
                Metric.NEEDS_CLOSED: 55,
                Metric.ON_TIME_RATE: 95,
                Metric.SATISFACTION_RATE: 90,
                Metric.TRAININGS: 6,
                Metric.MEETINGS: 45,
                Metric.POLICIES: 2,
            }
            PlanGoal.objects.bulk_create(
                PlanGoal(plan=plan, metric=m, target=t) for m, t in targets.items()
            )

    def _practice(self, station: Station, chief: User) -> None:
        """§6.6.3: a good practice written up by the chief and published on the portal."""
        needs = list(
            Need.objects.filter(
                station=station, status=Status.ARCHIVED, need_type__code="metrology"
            ).order_by("-archived_at")[:3]
        )
        with clock.travel(_moment(self.today - datetime.timedelta(days=20))):
            practice_save(
                actor=chief,
                station=station,
                title=f"{station.name.removesuffix('惠企直通服务站')}：计量器具集中检定进园区",
                summary="服务站汇总企业压力表、电子秤等计量器具的检定到期情况，与市计量检定测试所"
                "约定每季度进园区集中检定一次，企业不再分散送检，检定周期由平均 7 个工作日缩短到"
                "2 个工作日。做法已在全市服务站推广。",
                needs=needs,
                publish=True,
            )

    def _close_last_year(self, station: Station, chief: User) -> None:
        """§6.6.2: early in the new year the chief closed last year's book of the enterprise the
        station served most, so the archive (and the self-check) shows a frozen volume."""
        year = self.today.year - 1
        busiest = (
            Need.objects.filter(station=station, registered_on__year=year)
            .values("enterprise")
            .annotate(n=Count("pk"))
            .order_by("-n", "enterprise")
            .first()
        )
        if busiest is None:
            return
        closed_on = min(datetime.date(self.today.year, 1, 8), self.today)
        with clock.travel(_moment(closed_on)):
            book_close(
                actor=chief,
                station=station,
                kind=ClosedBook.Kind.ENTERPRISE,
                subject=Enterprise.objects.get(pk=busiest["enterprise"]),
                year=year,
            )

    def _suggestions(self, station: Station, people: list[User]) -> None:
        """§5.3 a: one suggestion from visits (answered by the bureau) and one from needs that
        keep coming back (awaiting an answer)."""
        visit = station.visits.filter(visited_on__isnull=False).order_by("-visited_on").first()
        with clock.travel(_moment(self.today - datetime.timedelta(days=35))):
            first = suggestion_submit(
                actor=people[0],
                station=station,
                title="建议组织计量器具集中送检",
                content="走访中多家企业反映压力表、电子秤分散送检耗时长，建议由局里协调检定机构"
                "按季度到园区集中检定。",
                source=WorkSuggestion.Source.VISIT,
                visit=visit,
            )
        if self.supervisor is not None:
            with clock.travel(_moment(self.today - datetime.timedelta(days=31))):
                suggestion_answer(
                    actor=self.supervisor,
                    suggestion=first,
                    reply="同意。已请市计量检定测试所制定集中检定计划，下月起按季度进园区。",
                )
        with clock.travel(_moment(self.today - datetime.timedelta(days=4))):
            suggestion_submit(
                actor=people[-1],
                station=station,
                title="建议编印企业标准自我声明公开操作指引",
                content="近三个月企业反复询问企业标准自我声明公开的流程，建议编印操作指引并在"
                "各服务站发放。",
                source=WorkSuggestion.Source.RECURRING_NEEDS,
            )

    def _visits(self, station: Station, people: list[User]) -> None:
        enterprises = list(station.enterprises.all())
        metrology = NeedType.objects.get(code="metrology")
        day = self.today - datetime.timedelta(days=360)
        while day < self.today + datetime.timedelta(days=14):
            if is_workday(day):
                enterprise = self.rng.choice(enterprises)
                visit = Visit.objects.create(
                    station=station,
                    enterprise=enterprise,
                    planned_on=day,
                    purpose=self.rng.choice(
                        [
                            "了解质量提升需求",
                            "宣讲惠企政策",
                            "回访需求办理情况",
                            "特种设备安全检查前走访",
                        ]
                    ),
                )
                visit.staff.set(self.rng.sample(people, k=min(2, len(people))))
                if day < self.today:
                    Visit.objects.filter(pk=visit.pk).update(
                        visited_on=day,
                        findings="企业生产经营正常，介绍了质量管理和计量器具使用情况。",
                    )
                    if self.rng.random() < 0.15:
                        visit.refresh_from_db()
                        contact = enterprise.contacts.first()
                        with clock.travel(_moment(day, 15)):
                            visit_register_needs(
                                actor=self.rng.choice(people),
                                visit=visit,
                                contact_name=contact.name if contact else "办公室",
                                contact_phone=contact.phone if contact else "03562220000",
                                items=[
                                    NeedItem(
                                        need_type=metrology,
                                        content="走访中企业提出：在用计量器具需要集中检定",
                                    )
                                ],
                            )
            day += datetime.timedelta(days=self.rng.randint(6, 12))

    def _trainings(self, station: Station) -> None:
        enterprises = list(station.enterprises.all())
        for month in range(12):
            day = self.today - datetime.timedelta(days=30 * month + self.rng.randint(0, 20))
            training = Training.objects.create(
                station=station,
                topic=self.rng.choice(
                    [
                        "计量法律法规与器具管理培训",
                        "企业标准自我声明公开实务",
                        "特种设备安全管理人员培训",
                        "质量管理体系认证辅导",
                        "商标与地理标志品牌培育讲座",
                    ]
                ),
                held_on=day,
                organiser_kind=self.rng.choice(["superior", "technical", "experts"]),
                organiser=self.rng.choice(
                    [
                        "晋城市市场监督管理局",
                        "晋城市综合检验检测中心",
                        "山西省计量科学研究院",
                        "市质量专家服务团",
                    ]
                ),
                experts=self.rng.choice(["高级工程师 李明", "研究员 王芳", "正高级工程师 赵建华"]),
                materials="培训课件、政策汇编",
            )
            training.enterprises.set(self.rng.sample(enterprises, k=min(5, len(enterprises))))

    def _meetings(self, station: Station, chief: User, people: list[User]) -> None:
        monday = week_of(self.today) - datetime.timedelta(weeks=52)
        while monday < self.today:
            day = monday if is_workday(monday) else add_workdays(monday, 1)
            if day < self.today:
                meeting = Meeting.objects.create(
                    station=station,
                    kind=Meeting.Kind.REGULAR,
                    held_on=day,
                    topic=f"{day:%Y年第%W周}工作例会",
                    minutes="总结上周需求办理和走访情况，安排本周走访和待办需求。",
                    decisions="按期办结本周到期需求；完成两家企业走访。",
                )
                meeting.attendees.set(people)
                ActionItem.objects.create(
                    meeting=meeting,
                    description="跟进本周到期需求并向企业答复",
                    owner=self.rng.choice(people),
                    due_on=add_workdays(day, 4),
                    done_at=_moment(add_workdays(day, 3))
                    if add_workdays(day, 3) < self.today
                    else None,
                )
            monday += datetime.timedelta(weeks=1)
        special = Meeting.objects.create(
            station=station,
            kind=Meeting.Kind.SPECIAL,
            held_on=self.today - datetime.timedelta(days=40),
            topic="企业集中反映检测周期长问题专题会议",
            convened_by=chief,
            minutes="研究缩短检测周期的措施，联系检测机构开通绿色通道。",
        )
        special.attendees.set(people)
        ActionItem.objects.create(
            meeting=special,
            description="与检测机构签订绿色通道协议",
            owner=chief,
            due_on=self.today - datetime.timedelta(days=10),
        )

    def _reports(self, station: Station, chief: User) -> None:
        monday = week_of(self.today) - datetime.timedelta(weeks=52)
        last = week_of(self.today) - datetime.timedelta(weeks=1)
        while monday <= last:
            report = weekly_report_draft(station, monday)
            roll = self.rng.random()
            if monday == last and roll < 0.5:
                monday += datetime.timedelta(weeks=1)
                continue  # last week's report not yet submitted
            due = report.due_at
            when = (
                due - datetime.timedelta(hours=5)
                if roll < 0.9
                else due + datetime.timedelta(days=2)
            )
            when = min(when, clock.now())  # last week's, late, may be due after now
            with clock.travel(when):
                report = weekly_report_submit(
                    actor=chief,
                    report=report,
                    work_done=f"本周登记企业需求 {report.figures['needs_new']} 项，办理完毕 {report.figures['needs_closed']} 项，走访企业 {report.figures['visits']} 次。",
                    next_week_plan="继续走访服务领域重点企业，跟踪到期需求办理，组织工作例会。",
                )
            if self.supervisor and self.rng.random() < 0.4:
                with clock.travel(min(when + datetime.timedelta(days=1), clock.now())):
                    weekly_report_comment(
                        actor=self.supervisor,
                        report=report,
                        comment="已阅。请继续做好需求跟踪和满意度回访。",
                    )
            monday += datetime.timedelta(weeks=1)
