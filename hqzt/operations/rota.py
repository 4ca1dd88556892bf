"""轮换驻站值班 (§5.5.4): a rotation over the working days of some weeks, trained staff only."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from hqzt.accounts.models import User
from hqzt.audit.services import audit_record
from hqzt.core import clock
from hqzt.core.workdays import is_workday
from hqzt.operations.models import DutyShift
from hqzt.stations.models import UNTRAINED_MESSAGE, Station
from hqzt.stations.selectors import trained_staff, untrained_at


def _require_trained(station: Station, user: User) -> None:
    if untrained_at(user, station.pk):
        raise ValidationError(UNTRAINED_MESSAGE.format(who=user.display_name, what="安排值班"))
    if user not in trained_staff(station):
        raise ValidationError(f"{user.display_name}不是本站在岗人员，不能安排值班。")


# DB1405 §5.5.4
@transaction.atomic
def rota_generate(*, actor: User | None, station: Station, start: datetime.date, weeks: int) -> int:
    """Assign the working days from `start` for `weeks` weeks round-robin; returns days set."""
    people = trained_staff(station)
    if not people:
        raise ValidationError("本站没有已完成上岗培训的在岗人员，无法排班。")
    if not 1 <= weeks <= 26:
        raise ValidationError("一次可排 1 至 26 周。")
    end = start + datetime.timedelta(weeks=weeks)
    DutyShift.objects.filter(station=station, date__gte=start, date__lt=end).delete()
    day, turn, shifts = start, 0, []
    while day < end:
        if is_workday(day):
            shifts.append(DutyShift(station=station, date=day, user=people[turn % len(people)]))
            turn += 1
        day += datetime.timedelta(days=1)
    DutyShift.objects.bulk_create(shifts)
    audit_record(
        actor=actor,
        action="rota_generate",
        obj=station,
        context={"start": start.isoformat(), "weeks": weeks, "days": len(shifts)},
    )
    return len(shifts)


@transaction.atomic
def rota_set(*, actor: User | None, station: Station, date: datetime.date, user: User) -> DutyShift:
    """Change one day's duty."""
    _require_trained(station, user)
    before = DutyShift.objects.filter(station=station, date=date).select_related("user").first()
    shift, _ = DutyShift.objects.update_or_create(
        station=station, date=date, defaults={"user": user}
    )
    audit_record(
        actor=actor,
        action="rota_set",
        obj=shift,
        changes=[
            {
                "field": "user",
                "label": "值班人员",
                "before": before.user.display_name if before else "",
                "after": user.display_name,
            }
        ],
    )
    return shift


def duty_today(station: Station) -> User | None:
    shift = DutyShift.objects.filter(station=station, date=clock.today()).select_related("user")
    return shift.first().user if shift.exists() else None
