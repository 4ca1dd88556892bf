"""Which enterprises a user may see and change.

An enterprise is visible through the stations that serve it: the stations a user may see decide
the enterprises (and their contacts' personal data) the user may see.
"""

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from hqzt.accounts.models import User
from hqzt.accounts.phone_access import PhoneAccess, phone_access
from hqzt.core.fields import phone_match
from hqzt.core.pagination import bounded_count
from hqzt.enterprises.models import Enterprise, EnterpriseContact
from hqzt.enterprises.names import enterprise_name_key
from hqzt.stations.models import Station
from hqzt.stations.selectors import stations_visible_to


def enterprises_visible_to(user: User) -> QuerySet[Enterprise]:
    enterprises = Enterprise.objects.all()
    if user.is_admin:
        return enterprises
    # The linked ids as a set (IN), not a test per enterprise (EXISTS): PostgreSQL plans both
    # alike, but SQLite probed the (station, enterprise) index once per station for every
    # enterprise — 290 ms to count 10,000 of a supervisor's 60,000 (issue 18).
    links = Station.enterprises.through.objects.filter(station_id__in=_station_ids(user))
    return enterprises.filter(pk__in=links.values("enterprise_id"))


def enterprise_count_for(user: User) -> str:
    """The 服务企业 figure of the home pages, counted to a bound (issue 18). It reads the
    station–enterprise links of the user's stations, not the register: testing every enterprise
    for a link cost seconds at 300,000 enterprises, even for a station that serves a hundred."""
    if user.is_admin:
        return bounded_count(Enterprise.objects.order_by())
    links = Station.enterprises.through.objects.filter(station_id__in=_station_ids(user))
    # In enterprise order: over a city's 300,000 links PostgreSQL walks the enterprise index
    # and stops at the bound, where an unordered DISTINCT hashed every link first (~160 ms at 1M
    # needs); for a station's few links it still reads them by station and sorts them.
    return bounded_count(links.order_by("enterprise_id").values("enterprise_id").distinct())


def _station_ids(user: User) -> list[int]:
    """The user's stations as a list of ids, not a subquery, for the reason `needs_visible_to`
    gives: the planner guesses a subquery at one row."""
    return list(stations_visible_to(user).values_list("pk", flat=True))


# ADR 0006: a station serves an enterprise another station registered only once the 上级单位 adds
# the link. Said without naming that station or anything of the enterprise the user did not type.
SAME_NAME_AT_STATION = "所选服务站已登记同名企业，请在企业列表中查找该企业，不要重复登记。"


def enterprise_twin_exists(*, name: str, stations: list[Station], exclude_pk: int | None) -> bool:
    """Whether one of `stations` already serves another enterprise of this name, compared on
    the name's key (enterprises/names.py: spaces, width, case, trailing punctuation and
    有限责任公司/有限公司 make no difference). The same name
    twice at one station is almost always the same firm typed twice; only the given stations
    are looked at, so the answer names nothing outside the user's scope (ADR 0006)."""
    key = enterprise_name_key(name or "")
    if not key or not stations:
        return False
    same = Enterprise.objects.filter(name_key=key, stations__in=stations)
    return same.exclude(pk=exclude_pk).exists()


REGISTERED_ELSEWHERE = "该企业已由其他服务站登记，如需由本站服务，请联系上级单位添加服务关系。"


def enterprise_registered_elsewhere(
    stations: QuerySet[Station], *, name: str = "", credit_code: str = ""
) -> bool:
    """Whether an enterprise of this name (compared on its key) or credit code is registered
    but served by none of `stations`: the user cannot pick it, and registering its credit code
    again is refused (its name alone may be registered as the station's own record, ADR 0006)."""
    if credit_code:
        found = Enterprise.objects.filter(credit_code=credit_code)
    elif key := enterprise_name_key(name):
        found = Enterprise.objects.filter(name_key=key)
    else:
        return False
    served = found.filter(stations__in=stations)
    return found.exists() and not served.exists()


def enterprise_can_create(user: User) -> bool:
    return user.is_admin or user.is_supervisor or user.is_station_staff


def enterprise_can_change(user: User, enterprise: Enterprise) -> bool:
    """Visibility is checked by the caller; section handlers only read."""
    return enterprise_can_create(user)


def contact_phone_access(user: User) -> PhoneAccess:
    """How `user` sees the numbers of the contacts of an enterprise they may see, by the one
    rule (accounts/phone_access.py): station staff (the enterprises their stations serve, the
    scope of enterprises_visible_to) call them; supervisors and section handlers see them
    masked, without a reveal — their calls about a need go through its own number."""
    return phone_access(user, calls=user.is_station_staff)


def enterprise_may_see_full_phone(user: User) -> bool:
    """Contacts' numbers and the search by number, in full (contact_phone_access is FULL)."""
    return contact_phone_access(user) is PhoneAccess.FULL


def enterprise_get_for_user(user: User, pk: int) -> tuple[Enterprise, bool]:
    enterprise = enterprises_visible_to(user).select_related("town").filter(pk=pk).first()
    if enterprise is None:
        raise Http404("企业不存在或无权查看")
    return enterprise, enterprise_can_change(user, enterprise)


def contact_get_for_user(user: User, pk: int) -> EnterpriseContact:
    """A contact of an enterprise the user may see, else 404."""
    contact = (
        EnterpriseContact.objects.select_related("enterprise")
        .filter(pk=pk, enterprise__in=enterprises_visible_to(user))
        .first()
    )
    if contact is None:
        raise Http404("联系人不存在或无权查看")
    return contact


def enterprises_with_contact_phone(
    enterprises: QuerySet[Enterprise], raw: str
) -> QuerySet[Enterprise]:
    """Enterprises having a contact with this number (any formatting), by its keyed hash."""
    return enterprises.filter(
        Exists(
            EnterpriseContact.objects.filter(phone_match("phone", raw), enterprise=OuterRef("pk"))
        )
    )


def register_can_change(user: User) -> bool:
    """Chains and towns are city-wide registers, kept by admins and supervisors."""
    return user.is_admin or user.is_supervisor
