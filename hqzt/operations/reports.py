"""周报 (§5.5.1): each week's figures from the data, and the report's life (draft → submitted →
commented). A scheduled job drafts every station's report on Monday morning."""

import datetime
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from hqzt.accounts.models import User
from hqzt.audit.services import audit_record, model_snapshot, snapshot_diff
from hqzt.audit.statemachine import transition
from hqzt.core import clock
from hqzt.core.workdays import add_workdays
from hqzt.needs.models import Evaluation, Need
from hqzt.needs.states import Status
from hqzt.operations.models import Meeting, Training, Visit, WeeklyReport, WorkSuggestion
from hqzt.stations.models import Station
from hqzt.stations.selectors import leads_station, stations_visible_to

SUBMIT_HOUR = 18  # due by 18:00 on the first working day after the week


def week_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def report_due(week_start: datetime.date) -> datetime.datetime:
    sunday = week_start + datetime.timedelta(days=6)
    due_day = add_workdays(sunday, 1)
    return timezone.make_aware(datetime.datetime.combine(due_day, datetime.time(SUBMIT_HOUR)))


def report_figures(station: Station, week_start: datetime.date) -> dict:
    """This week's numbers for one station, all from aggregate queries."""
    week_end = week_start + datetime.timedelta(days=6)
    needs = Need.objects.filter(station=station)
    new = needs.filter(registered_on__range=(week_start, week_end))
    by_type = dict(
        new.values_list("need_type__name")
        .annotate(n=Count("pk"))
        .values_list("need_type__name", "n")
    )
    closed = needs.filter(ended_at__date__range=(week_start, week_end)).count()
    overdue = (
        needs.filter(due_on__lte=week_end)
        .exclude(status__in=[Status.ARCHIVED, Status.REJECTED, Status.AWAITING_ARCHIVE])
        .count()
    )
    levels = Counter(
        Evaluation.objects.filter(
            need__station=station, at__date__range=(week_start, week_end)
        ).values_list("level", flat=True)
    )
    suggestions = list(
        WorkSuggestion.objects.filter(
            station=station, submitted_at__date__range=(week_start, week_end)
        )
        .order_by("submitted_at")
        .values("id", "title", "source")
    )
    return {
        "needs_new": new.count(),
        "needs_new_by_type": by_type,
        "needs_closed": closed,
        "needs_overdue": overdue,
        "evaluations": dict(levels),
        "visits": Visit.objects.filter(
            station=station, visited_on__range=(week_start, week_end)
        ).count(),
        "trainings": Training.objects.filter(
            station=station, held_on__range=(week_start, week_end)
        ).count(),
        "meetings": Meeting.objects.filter(
            station=station, held_on__range=(week_start, week_end)
        ).count(),
        # §5.3 a: what the station proposed to its superior unit this week.
        "suggestions": len(suggestions),
        "suggestion_items": suggestions,
    }


# DB1405 §5.5.1
@transaction.atomic
def weekly_report_draft(
    station: Station, week_start: datetime.date, *, actor: User | None = None
) -> WeeklyReport:
    """Create the week's draft, or refresh its figures while it is still a draft; either leaves
    an audit row (`actor` None: Monday's scheduled job)."""
    report, created = WeeklyReport.objects.select_for_update().get_or_create(
        station=station,
        week_start=week_start,
        defaults={"figures": report_figures(station, week_start), "due_at": report_due(week_start)},
    )
    if created:
        audit_record(actor=actor, action="create", obj=report)
    elif report.status == WeeklyReport.Status.DRAFT:
        figures = report_figures(station, week_start)
        # Compared as dicts: PostgreSQL's jsonb gives the keys back in its own order, so the
        # audit snapshot's text would differ for the same figures.
        if figures != report.figures:
            _audited_update(actor, report, figures=figures)
    return report


def _audited_update(actor: User | None, report: WeeklyReport, **values: object) -> None:
    """Save `values` on the locked report and record what changed (nothing changed: no row)."""
    names = list(values)
    before = model_snapshot(report, names)
    for name, value in values.items():
        setattr(report, name, value)
    report.save(update_fields=[*names, "updated_at"])
    changes = snapshot_diff(WeeklyReport, before, model_snapshot(report, names))
    if changes:
        audit_record(actor=actor, action="update", obj=report, changes=changes)


def weekly_reports_draft_all(week_start: datetime.date) -> int:
    stations = Station.objects.filter(is_active=True)
    return sum(1 for station in stations if weekly_report_draft(station, week_start))


@transaction.atomic
def weekly_report_submit(
    *, actor: User, report: WeeklyReport, work_done: str, next_week_plan: str
) -> WeeklyReport:
    if not leads_station(actor, report.station_id):
        raise ValidationError("只有本站站长或副站长可以报送周报。")

    def complete(r: WeeklyReport) -> None:
        if not work_done.strip() or not next_week_plan.strip():
            raise ValidationError("请填写本周工作完成情况和下周工作计划。")
        r.figures = report_figures(r.station, r.week_start)
        r.work_done, r.next_week_plan = work_done, next_week_plan

    return transition(
        report, "report_submit", actor, apply=complete, submitted_at=clock.now(), submitted_by=actor
    )


@transaction.atomic
def weekly_report_save_draft(
    *, actor: User, report: WeeklyReport, work_done: str, next_week_plan: str
) -> WeeklyReport:
    report = WeeklyReport.objects.select_for_update().get(pk=report.pk)
    if not leads_station(actor, report.station_id) or report.status != WeeklyReport.Status.DRAFT:
        raise ValidationError("只有本站站长或副站长可以修改未报送的周报。")
    _audited_update(actor, report, work_done=work_done, next_week_plan=next_week_plan)
    return report


@transaction.atomic
def weekly_report_comment(*, actor: User, report: WeeklyReport, comment: str) -> WeeklyReport:
    report = WeeklyReport.objects.select_for_update().get(pk=report.pk)
    if not (
        actor.is_supervisor and stations_visible_to(actor).filter(pk=report.station_id).exists()
    ):
        raise ValidationError("只有上级单位可以批阅周报。")
    if report.status != WeeklyReport.Status.SUBMITTED:
        raise ValidationError("周报报送后才能批阅。")
    if not comment.strip():
        raise ValidationError("请填写批阅意见。")
    _audited_update(actor, report, comment=comment, commented_by=actor, commented_at=clock.now())
    return report
