"""Which stations a user may see and change. Every station query in views, exports and the API
starts here, so scoping is decided in one place."""

from functools import reduce
from operator import or_

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from hqzt.accounts.models import Role, User
from hqzt.org.models import OrgUnit
from hqzt.stations.models import LEAD_ROLES, Station, StationMember


def org_paths_overseen_by(user: User) -> list[str]:
    """Materialised paths of the units whose subtrees a supervisor or section handler sees."""
    if user.is_supervisor:
        return [user.org_unit.path] if user.org_unit_id else []
    if user.is_handler:
        return list(
            OrgUnit.objects.filter(sections__members=user).values_list("path", flat=True).distinct()
        )
    return []


def stations_visible_to(user: User) -> QuerySet[Station]:
    stations = Station.objects.all()
    if user.is_admin:
        return stations
    if user.is_station_staff:
        # A subquery, not a join: a join on members would also filter the staff counts that
        # callers annotate onto these stations.
        return stations.filter(
            pk__in=StationMember.objects.filter(user=user, is_active=True).values("station_id")
        )
    paths = org_paths_overseen_by(user)
    if not paths:
        return stations.none()
    return stations.filter(reduce(or_, (Q(superior_unit__path__startswith=p) for p in paths)))


def stations_led_by(user: User) -> QuerySet[Station]:
    """Stations where the user is an active chief or deputy (§5.4.1): the role is the
    membership's, so leading one station gives nothing at another."""
    if not user.is_station_staff:
        return Station.objects.none()
    return Station.objects.filter(
        pk__in=StationMember.objects.filter(user=user, is_active=True, role__in=LEAD_ROLES).values(
            "station_id"
        )
    )


def leads_station(user: User, station_id: int) -> bool:
    return stations_led_by(user).filter(pk=station_id).exists()


def station_membership(user: User, station_id: int) -> StationMember | None:
    """The user's active membership of the station, or None."""
    return StationMember.objects.filter(user=user, station_id=station_id, is_active=True).first()


# DB1405 §5.4.4
def untrained_at(user: User, station_id: int) -> bool:
    """§5.4.4: an active member of the station — whatever their post — who has not completed
    onboarding training. Such a person may see the station's work but not act in it."""
    membership = station_membership(user, station_id)
    return membership is not None and membership.onboarding_trained_on is None


def station_can_create(user: User) -> bool:
    return user.is_admin or (user.is_supervisor and user.org_unit_id is not None)


def station_can_change(user: User, station: Station) -> bool:
    """Admins and supervisors (within their subtree) manage stations; a station's own chief and
    deputy keep its public information up to date. Visibility is checked by the caller."""
    return user.is_admin or user.is_supervisor or leads_station(user, station.pk)


def station_get_for_user(user: User, pk: int) -> tuple[Station, bool]:
    """The station and whether the user may change it; 404 when it is outside the user's scope,
    so that a station's existence is not revealed either."""
    station = (
        stations_visible_to(user)
        .select_related("domain_kind", "site_kind", "superior_unit", "chain", "town")
        .filter(pk=pk)
        .first()
    )
    if station is None:
        raise Http404("服务站不存在或无权查看")
    return station, station_can_change(user, station)


def superior_units_for(user: User) -> QuerySet[OrgUnit]:
    """Units a user may put a station under."""
    if user.is_admin:
        return OrgUnit.objects.all()
    if user.is_supervisor and user.org_unit_id:
        return user.org_unit.subtree()
    return OrgUnit.objects.none()


def station_list_annotated(stations: QuerySet[Station]) -> QuerySet[Station]:
    """Stations for overview tables, with their active staff counted by index on the member's
    station, station by station (a handful of rows each), and the 服务企业数 the station keeps
    (`enterprise_count`, stations/counts.py): counting a province's station–enterprise links
    on every view cost ~160 ms for 200 stations at 1M needs, growing with the register, and
    joining members and enterprises in one grouped query multiplied them (issue 18)."""
    staff = (
        StationMember.objects.filter(is_active=True, station_id=OuterRef("pk"))
        .order_by()
        .values("station_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    return stations.select_related("domain_kind", "site_kind", "superior_unit").annotate(
        staff_count=Coalesce(Subquery(staff, output_field=IntegerField()), 0)
    )


# DB1405 §5.4.4
def trained_members(station: Station) -> QuerySet[StationMember]:
    """§5.4.4: the station's active members who have completed onboarding training — the people
    who may take the duty, serve on the public notice and act as 首位工作人员."""
    return (
        StationMember.objects.filter(station=station, is_active=True)
        .exclude(onboarding_trained_on=None)
        .select_related("user")
    )


def trained_staff(station: Station) -> list[User]:
    """The trained active members as people, chief first, by name."""
    return [m.user for m in trained_members(station).order_by("role", "user__full_name")]


def supervisors_over(station: Station) -> list[User]:
    """Active supervisors whose unit's subtree holds the station (its superior unit)."""
    path = station.superior_unit.path
    return [
        u
        for u in User.objects.filter(role=Role.SUPERVISOR, is_active=True).select_related(
            "org_unit"
        )
        if u.org_unit_id and path.startswith(u.org_unit.path)
    ]
