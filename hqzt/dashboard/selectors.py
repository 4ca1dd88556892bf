"""Figures for each role's home page, from aggregate queries over what the user may see."""

from typing import Any

from django.db.models import Count, Q

from hqzt.accounts.models import Role, User
from hqzt.core import clock
from hqzt.core.notices import admin_notices
from hqzt.core.workdays import calendar_gaps
from hqzt.enterprises.models import Chain, Town
from hqzt.enterprises.selectors import enterprises_visible_to
from hqzt.needs.selectors import needs_visible_to, todo_for
from hqzt.needs.states import Status
from hqzt.stations.models import StationMember
from hqzt.stations.selectors import station_list_annotated, stations_visible_to
from hqzt.supervision.access import supervision_todo_count


def _work_counts(user: User) -> dict[str, int]:
    """What waits for the user (needs and supervision) and what is overdue in their scope."""
    today = clock.today()
    overdue = (
        needs_visible_to(user)
        .filter(due_on__lt=today)
        .exclude(status__in=[Status.ARCHIVED, Status.REJECTED, Status.AWAITING_ARCHIVE])
    )
    return {
        "todo": todo_for(user).count(),
        "overdue": overdue.count(),
        "supervision": supervision_todo_count(user),
    }


def _station_counts(user: User) -> dict[str, int]:
    return stations_visible_to(user).aggregate(
        stations=Count("pk"), active_stations=Count("pk", filter=Q(is_active=True))
    )


def home_admin(user: User) -> dict[str, Any]:
    users_by_role = dict(
        User.objects.filter(is_active=True)
        .values_list("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
    )
    return {
        **_station_counts(user),
        "enterprises": enterprises_visible_to(user).count(),
        "chains": Chain.objects.filter(is_active=True).count(),
        "towns": Town.objects.filter(is_active=True).count(),
        "users_by_role": [(label, users_by_role.get(value, 0)) for value, label in Role.choices],
        "calendar_gaps": calendar_gaps(clock.today()),
        "admin_notices": admin_notices(),
    }


def home_supervisor(user: User) -> dict[str, Any]:
    stations = station_list_annotated(stations_visible_to(user)).order_by(
        "superior_unit__path", "name"
    )
    return {
        **_station_counts(user),
        **_work_counts(user),
        "enterprises": enterprises_visible_to(user).count(),
        "station_rows": list(stations[:200]),
    }


def home_station(user: User) -> dict[str, Any]:
    stations = list(
        station_list_annotated(stations_visible_to(user)).select_related("chain", "town")
    )
    members = (
        StationMember.objects.filter(station__in=stations, is_active=True)
        .select_related("user")
        .order_by("station_id", "role", "user__full_name")
    )
    by_station: dict[int, list[StationMember]] = {}
    for member in members:
        by_station.setdefault(member.station_id, []).append(member)
    for station in stations:
        station.staff = by_station.get(station.pk, [])
    return {
        **_work_counts(user),
        "stations": stations,
        "enterprises": enterprises_visible_to(user).count(),
        "untrained": sum(1 for m in members if m.onboarding_trained_on is None),
    }


def home_handler(user: User) -> dict[str, Any]:
    return {
        **_station_counts(user),
        **_work_counts(user),
        "sections": list(user.sections.select_related("org_unit")),
        "enterprises": enterprises_visible_to(user).count(),
    }
