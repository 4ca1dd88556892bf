"""Conformance self-check (R-10.2): each station against the checkable clauses of
DB 1405/T 060—2024, with the evidence and where to fix what is missing."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from hqzt.audit.models import AuditEvent
from hqzt.core import clock
from hqzt.core.retention import retention_date
from hqzt.needs.models import Need
from hqzt.needs.states import Status
from hqzt.operations.models import Meeting, WeeklyReport, WorkSuggestion
from hqzt.operations.reports import week_of
from hqzt.records.models import ClosedBook, GoodPractice
from hqzt.stations.models import LEAD_ROLES, Station, StationRole

WEEKS = 4  # recent weeks looked at for reports and meetings
LEDGER_MONTHS = 12


@dataclass(frozen=True)
class Check:
    clause: str
    title: str
    passed: bool
    evidence: str
    fix_url: str


def _weeks(today: datetime.date) -> list[datetime.date]:
    last = week_of(today) - datetime.timedelta(weeks=1)
    return [last - datetime.timedelta(weeks=i) for i in range(WEEKS)]


@dataclass(frozen=True)
class Retention:
    short: int  # archived needs of the station without a retention date of at least the minimum
    early: int  # the station's needs purged before their retention date
    purged: int

    @property
    def evidence(self) -> str:
        parts = []
        if self.short:
            parts.append(f"{self.short} 项已归档需求没有保存期限或短于规定年限")
        if self.early:
            parts.append(f"{self.early} 项需求在保存期满前被销毁")
        if not parts:
            parts.append("已归档需求均有保存期限")
        parts.append(f"保存期满后依规销毁 {self.purged - self.early} 项")
        return "；".join(parts)


def _retention(station: Station) -> Retention:
    """§6.6.4 from the station's own records: every archived need carries a retention date at
    least RETENTION_YEARS after archiving, and every purge (the `purge` audit rows written by
    records.retention.need_purge, which keep the station and the retention date) came after it."""
    archived = Need.objects.filter(station=station, status=Status.ARCHIVED)
    short = sum(
        1
        for archived_at, until in archived.values_list("archived_at", "retention_until")
        if until is None
        or archived_at is None
        or until < retention_date(timezone.localdate(archived_at))
    )
    purges = AuditEvent.objects.filter(
        object_type="needs.need", action="purge", changes__station=station.pk
    )
    early = purged = 0
    for at, changes in purges.values_list("at", "changes"):
        purged += 1
        until = changes.get("retention_until")
        if not until or timezone.localdate(at) <= datetime.date.fromisoformat(until):
            early += 1
    return Retention(short=short, early=early, purged=purged)


def _special_meetings_without_lead(station: Station, today: datetime.date) -> list[str]:
    """§5.5.3: the past year's special meetings whose convener is missing or was not the
    station's chief or deputy (by their membership, whether still active or not)."""
    leads = set(station.members.filter(role__in=LEAD_ROLES).values_list("user_id", flat=True))
    meetings = Meeting.objects.filter(
        station=station,
        kind=Meeting.Kind.SPECIAL,
        held_on__gte=today - datetime.timedelta(days=365),
    ).order_by("held_on")
    return [str(m) for m in meetings if m.convened_by_id not in leads]


def station_checks(station: Station, today: datetime.date | None = None) -> list[Check]:
    today = today or clock.today()
    edit = reverse("stations:edit", args=[station.pk])
    staff_url = reverse("operations:staff", args=[station.pk])
    members = list(station.members.filter(is_active=True).select_related("user"))
    chiefs = [m for m in members if m.role == StationRole.CHIEF]
    residents = [m for m in members if m.role == StationRole.RESIDENT_STAFF]
    untrained = [m.user.display_name for m in members if m.onboarding_trained_on is None]
    weeks = _weeks(today)
    reports = {
        r.week_start: r for r in WeeklyReport.objects.filter(station=station, week_start__in=weeks)
    }
    late = [w for w in weeks if w not in reports or reports[w].lateness]
    meeting_weeks = {
        week_of(d)
        for d in Meeting.objects.filter(
            station=station, kind=Meeting.Kind.REGULAR, held_on__gte=weeks[-1]
        )
        .exclude(minutes="")
        .values_list("held_on", flat=True)
    }
    no_meeting = [w for w in weeks if w not in meeting_weeks]
    unconvened = _special_meetings_without_lead(station, today)
    suggestions = WorkSuggestion.objects.filter(
        station=station, submitted_at__date__gte=today - datetime.timedelta(days=365)
    ).count()
    needs = Need.objects.filter(
        station=station, registered_on__gte=today - datetime.timedelta(days=30 * LEDGER_MONTHS)
    )
    incomplete = needs.filter(
        Q(contact_name="")
        | Q(contact_phone="")
        | Q(first_contact__isnull=True, recorded_first_contact="")
    ).exclude(status__in=[Status.PENDING_ACCEPTANCE, Status.REJECTED])
    unfilled = needs.filter(ended_at__isnull=False).filter(
        Q(result="") | Q(started_at__isnull=True)
    )
    stale = needs.filter(status=Status.AWAITING_EVALUATION, due_on__lt=today).count()
    retention = _retention(station)
    last_year = today.year - 1
    had_needs = Need.objects.filter(station=station, registered_on__year=last_year).exists()
    volumes = ClosedBook.objects.filter(station=station, year=last_year).count()
    since = today - datetime.timedelta(days=365)
    published_cases = (
        GoodPractice.objects.filter(station=station, published_at__date__gte=since).count()
        + Need.objects.filter(station=station, showcase_published_at__date__gte=since).count()
    )
    public_missing = [
        label
        for label, value in [
            ("服务内容", station.service_content),
            ("联系电话", station.contact_phones),
            ("监督投诉电话", station.supervision_phone),
        ]
        if not value.strip()
    ]
    return [
        Check(
            "5.1",
            "确定服务领域和站点名称",
            bool(station.name and station.domain_display),
            f"服务领域：{station.domain_display or '未填写'}",
            edit,
        ),
        Check(
            "5.2.2",
            "固定场所、标识和路线指引",
            bool(station.address and station.route_guidance.strip()),
            "地址和路线指引已填写" if station.route_guidance.strip() else "未填写路线指引",
            edit,
        ),
        Check(
            "5.2.4",
            "公示服务内容、流程、人员及电话、监督电话",
            not public_missing and any(m.onboarding_trained_on for m in members),
            "公示信息完整" if not public_missing else "缺少：" + "、".join(public_missing),
            edit,
        ),
        Check(
            "5.3 a",
            "结合走访、调研和企业需求向上级单位提出工作建议（近一年）",
            suggestions > 0,
            f"近一年提出工作建议 {suggestions} 项" if suggestions else "近一年没有提出工作建议",
            reverse("operations:suggestion_list"),
        ),
        Check(
            "5.4.1",
            "配备站长（在岗且唯一）",
            len(chiefs) == 1,
            f"在岗站长 {len(chiefs)} 名",
            staff_url,
        ),
        Check(
            "5.4.2",
            "配备长期驻站工作人员",
            bool(residents),
            f"在岗驻站工作人员 {len(residents)} 名"
            if residents
            else "没有在岗的驻站工作人员（站长、副站长之外须有负责日常工作的驻站人员）",
            staff_url,
        ),
        Check(
            "5.4.4",
            "工作人员熟悉业务流程后上岗",
            not untrained,
            "全部完成上岗培训" if not untrained else "未完成上岗培训：" + "、".join(untrained),
            staff_url,
        ),
        Check(
            "5.5.1",
            f"每周按时向上级单位汇报（近{WEEKS}周）",
            not late,
            "均按时报送" if not late else f"{len(late)} 周迟报或未报",
            reverse("operations:report_list"),
        ),
        Check(
            "5.5.2",
            f"每周召开工作例会并形成纪要（近{WEEKS}周）",
            not no_meeting,
            "每周均有例会纪要" if not no_meeting else f"{len(no_meeting)} 周没有例会纪要",
            reverse("operations:meeting_list"),
        ),
        Check(
            "5.5.3",
            "临时专题会议由站长（副站长）召集",
            not unconvened,
            "近一年的临时专题会议均由站长或副站长召集"
            if not unconvened
            else f"{len(unconvened)} 次临时专题会议没有记录召集人或召集人不是站长、副站长："
            + "、".join(unconvened[:5]),
            reverse("operations:meeting_list"),
        ),
        Check(
            "6.2 公示",
            "醒目位置公示小程序、即时通讯、客服电话等联系方式",
            bool(station.im_contact.strip() or station.im_link) and bool(station.contact_phones),
            "已公示小程序、即时通讯和客服电话"
            if station.im_contact.strip() or station.im_link
            else "未填写即时通讯联系方式（如微信群及其加入链接）",
            edit,
        ),
        Check(
            "6.2",
            "需求记录台账栏目完整",
            not incomplete.exists(),
            f"{incomplete.count()} 条台账缺少联系人、电话或首位工作人员",
            reverse("needs:ledger"),
        ),
        Check(
            "6.4.3",
            "事项办结后填写跟踪单",
            not unfilled.exists(),
            f"{unfilled.count()} 项已办结需求缺少处理过程及结果",
            reverse("needs:ledger"),
        ),
        Check(
            "6.5",
            "办结后征集满意度评价",
            stale == 0,
            f"{stale} 项已过评价期限仍未评价",
            f"{reverse('needs:ledger')}?status=awaiting_evaluation",
        ),
        Check(
            "6.6.2",
            f"{last_year} 年度档案册（一链一册、一镇一册、一企一册）已封存归档",
            volumes > 0 or not had_needs,
            f"已封存 {volumes} 册"
            if volumes
            else ("该年度没有需求记录" if not had_needs else "有需求记录但尚未封存任何档案册"),
            reverse("enterprises:list"),
        ),
        Check(
            "6.6.3",
            "总结工作经验、形成工作模式的，发布典型案例宣传推广（近一年）",
            published_cases > 0,
            f"近一年发布典型案例 {published_cases} 个"
            if published_cases
            else "近一年没有发布典型案例",
            reverse("records:practice_list"),
        ),
        Check(
            "6.6.4",
            f"资料保存不少于 {settings.RETENTION_YEARS} 年",
            not retention.short and not retention.early,
            retention.evidence,
            reverse("records:archive"),
        ),
    ]
