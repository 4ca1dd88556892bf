"""The daily scan (R-3.7): reminders before deadlines, overdue notices, evaluation re-invitations.

Run by the queue's scheduler every morning and by `manage.py scan_deadlines`; safe to run twice,
since each deadline is reminded of and reported once.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Max, Q

from hqzt.core import clock
from hqzt.core.workdays import workdays_between
from hqzt.needs import deadlines
from hqzt.needs.announcements import announce_reminder, current_holders, station_leads
from hqzt.needs.models import Need
from hqzt.needs.services.evaluation import need_invite_evaluation
from hqzt.needs.states import Stage, Status
from hqzt.needs.workflow import lock_need, record_event

MAX_REINVITATIONS = 2
_CHUNK = 500


@dataclass
class ScanReport:
    reminded: int = 0
    overdue: int = 0
    reinvited: int = 0


def _due_needs():
    return Need.objects.filter(due_on__isnull=False).exclude(
        status__in=[Status.ARCHIVED, Status.REJECTED, Status.AWAITING_ARCHIVE]
    )


def deadline_scan(today: datetime.date | None = None) -> ScanReport:
    today = today or clock.today()
    report = ScanReport()
    warn = deadlines.warn_date(today)
    near = _due_needs().filter(due_on__gte=today, due_on__lte=warn).exclude(reminded_on=F("due_on"))
    for pk in near.values_list("pk", flat=True).iterator(chunk_size=_CHUNK):
        with transaction.atomic():
            need = lock_need(Need(pk=pk))
            if need.due_on is None or need.reminded_on == need.due_on:
                continue
            announce_reminder(need, current_holders(need), overdue=False)
            need.reminded_on = need.due_on
            need.save()
            record_event(need=need, actor=None, action="reminder", public=False)
            report.reminded += 1
    late = _due_needs().filter(due_on__lt=today).exclude(overdue_notified_on=F("due_on"))
    for pk in late.values_list("pk", flat=True).iterator(chunk_size=_CHUNK):
        with transaction.atomic():
            need = lock_need(Need(pk=pk))
            if need.due_on is None or need.overdue_notified_on == need.due_on:
                continue
            recipients = {
                u.pk: u for u in [*current_holders(need), *station_leads(need.station_id)]
            }
            announce_reminder(need, recipients.values(), overdue=True)
            need.overdue_notified_on = need.due_on
            need.save()
            record_event(
                need=need,
                actor=None,
                action="overdue",
                note=f"{need.get_due_stage_display()}期限{need.due_on:%Y-%m-%d}已过",
                public=False,
            )
            report.overdue += 1
    report.reinvited = _reinvite(today)
    return report


def _reinvite(today: datetime.date) -> int:
    """An enterprise that has not evaluated some working days after completion is asked again."""
    waiting = (
        Need.objects.filter(status=Status.AWAITING_EVALUATION)
        .annotate(last_invited=Max("invitations__created_at"))
        .filter(~Q(last_invited=None))
    )
    count = 0
    days = deadlines.working_days(Stage.EVALUATE)
    for need in waiting.iterator(chunk_size=_CHUNK):
        if workdays_between(clock.localdate(need.last_invited), today) < days:
            continue
        if need.invitations.filter(round=need.round).count() > MAX_REINVITATIONS:  # 1 + re-invites
            continue
        need_invite_evaluation(need=need, actor=None)
        count += 1
    return count
