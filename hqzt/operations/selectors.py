"""Reads for 站务 (§5.3–5.5): which stations' records a user sees and writes, and the lists of the
station records, all scoped to the stations the user may see."""

import datetime
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Model, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from hqzt.accounts.models import User
from hqzt.core import clock
from hqzt.operations.models import (
    AnnualPlan,
    DutyShift,
    Meeting,
    Training,
    Visit,
    WeeklyReport,
)
from hqzt.stations.models import Station
from hqzt.stations.selectors import stations_visible_to

M = TypeVar("M", bound=Model)
LIST_LIMIT = 300
HUB_LIMIT = 200


def writer_stations(user: User) -> QuerySet[Station]:
    """Stations whose records the user writes: their own, as station staff."""
    return stations_visible_to(user) if user.is_station_staff else Station.objects.none()


def writes_for(user: User, station_id: int) -> bool:
    return writer_stations(user).filter(pk=station_id).exists()


def writer_stations_or_403(user: User, refusal: str) -> QuerySet[Station]:
    """The stations the user records for, or 403 with `refusal` if none."""
    stations = writer_stations(user)
    if not stations.exists():
        raise PermissionDenied(refusal)
    return stations


def record_get_for_user(user: User, model: type[M], pk: int) -> M:
    """A station record (plan, report, meeting, visit) the user may see, else 404."""
    obj = get_object_or_404(model.objects.select_related("station"), pk=pk)
    if not stations_visible_to(user).filter(pk=obj.station_id).exists():
        raise Http404("记录不存在或无权查看")
    return obj


def hub_rows(user: User, last_week: datetime.date) -> list[dict]:
    """Each visible active station with last week's report and today's duty."""
    stations = stations_visible_to(user).filter(is_active=True).order_by("name")
    reports = {
        r.station_id: r
        for r in WeeklyReport.objects.filter(week_start=last_week, station__in=stations)
    }
    duty = {
        s.station_id: s.user
        for s in DutyShift.objects.filter(station__in=stations, date=clock.today()).select_related(
            "user"
        )
    }
    return [
        {"station": s, "report": reports.get(s.pk), "duty": duty.get(s.pk)}
        for s in stations[:HUB_LIMIT]
    ]


def plans_visible_to(user: User) -> QuerySet[AnnualPlan]:
    return (
        AnnualPlan.objects.filter(station__in=stations_visible_to(user))
        .select_related("station")
        .order_by("-year", "station__name")[:LIST_LIMIT]
    )


def reports_visible_to(user: User) -> QuerySet[WeeklyReport]:
    return (
        WeeklyReport.objects.filter(station__in=stations_visible_to(user))
        .select_related("station", "submitted_by")
        .order_by("-week_start", "station__name")[:LIST_LIMIT]
    )


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(station__in=stations_visible_to(user))
        .select_related("station")
        .annotate(open_items=Count("action_items", filter=Q(action_items__done_at__isnull=True)))
        .order_by("-held_on")[:LIST_LIMIT]
    )


def action_item_owners(stations: QuerySet[Station]) -> QuerySet[User]:
    return User.objects.filter(station_memberships__station__in=stations).distinct()


def trainings_visible_to(user: User) -> QuerySet[Training]:
    return (
        Training.objects.filter(station__in=stations_visible_to(user))
        .select_related("station")
        .annotate(enterprise_count=Count("enterprises"))
        .order_by("-held_on")[:LIST_LIMIT]
    )


def visits_visible_to(user: User) -> QuerySet[Visit]:
    return (
        Visit.objects.filter(station__in=stations_visible_to(user))
        .select_related("station", "enterprise", "sheet")
        .order_by("-planned_on")[:LIST_LIMIT]
    )


def shifts_ahead(station: Station, days: int = 28) -> QuerySet[DutyShift]:
    today = clock.today()
    return (
        DutyShift.objects.filter(
            station=station, date__gte=today, date__lt=today + datetime.timedelta(days=days)
        )
        .select_related("user")
        .order_by("date")
    )
