"""Figures for each role's home page, from aggregate queries over what the user may see, and
the work that starts the day: what waits for the user, nearest deadline first, each row with its
next action one click away."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from hqzt.accounts.models import Role, User
from hqzt.core import clock
from hqzt.core.notices import admin_notices
from hqzt.core.pagination import bounded_count
from hqzt.core.workdays import calendar_gaps
from hqzt.enterprises.models import Chain, Town
from hqzt.enterprises.selectors import enterprise_count_for
from hqzt.needs.actions import ACTIONS, available_actions, workbench_actions
from hqzt.needs.deadlines import warn_date
from hqzt.needs.ledger import overdue_filter, with_related
from hqzt.needs.models import Need
from hqzt.needs.selectors import deadline_flag, needs_visible_to, standing_for, todo_for
from hqzt.notifications.models import Notification
from hqzt.stations.models import StationMember
from hqzt.stations.selectors import station_list_annotated, stations_led_by, stations_visible_to
from hqzt.supervision.access import orders_visible_to, supervision_todo_count
from hqzt.supervision.models import SupervisionOrder

# Rows of each table on a home page; the full list is one link away.
HOME_ROWS = 8
RECENT_MESSAGES = 5


def _overdue(visible) -> tuple[QuerySet[Need], QuerySet[Need]]:
    """The needs the ledger's 仅看超期 shows (the figure links there), as its two disjoint
    parts: past their step's deadline, past only their answer deadline. Each part reads its own
    partial index, for the count (bounded as the ledger's: at ten million needs a province has
    hundreds of thousands overdue, and the home page is opened all day) and for the rows."""
    _, parts = overdue_filter(visible, clock.today())
    return parts


def _first_overdue(past_step: QuerySet[Need], past_answer: QuerySet[Need]) -> list[Need]:
    """The first rows: longest past the step's deadline first, then those past only their
    answer deadline — each part in its index's order rather than sorting their union."""
    rows = list(with_related(past_step.order_by("due_on", "id"))[:HOME_ROWS])
    if len(rows) < HOME_ROWS:
        rest = with_related(past_answer.order_by("answer_due_on", "id"))
        rows += rest[: HOME_ROWS - len(rows)]
    return rows


@dataclass(frozen=True)
class WorkRow:
    """One need on a home page's table, with the action that moves it on (empty: open it)."""

    need: Need
    flag: str
    action: str = ""
    action_title: str = ""


def _work_rows(
    user: User, rows: list[Need], warn_on: datetime.date, *, actions: bool = True
) -> list[WorkRow]:
    """A home table's `rows`, each with the user's first main-line action on it; where the
    user stands to them is read once for all rows (needs.selectors.Standing). Without
    `actions` the rows only open the need (a supervisor's overdue needs are others' work).
    `warn_on` is worked out once per page: it costs two queries."""
    standing = standing_for(user, rows) if actions else None
    work = []
    for need in rows:
        if not actions:
            work.append(WorkRow(need, deadline_flag(need, warn_on=warn_on)))
            continue
        primary, _ = workbench_actions(available_actions(user, need, standing))
        action = primary[0] if primary else ""
        work.append(
            WorkRow(
                need,
                deadline_flag(need, warn_on=warn_on),
                action,
                ACTIONS[action].title if action else "",
            )
        )
    return work


def _orders_waiting(user: User):
    """督办 that wait for this user: to answer (a station's chief or deputy) or to review (a
    supervisor), nearest deadline first."""
    if user.is_supervisor:
        orders = orders_visible_to(user).filter(status=SupervisionOrder.Status.RESPONDED)
    elif user.is_station_staff:
        orders = orders_visible_to(user).filter(
            station__in=stations_led_by(user).values("pk"), status=SupervisionOrder.Status.ISSUED
        )
    else:
        return []
    return list(orders.select_related("station", "need").order_by("due_on", "id")[:HOME_ROWS])


def start_of_day(user: User) -> dict[str, Any]:
    """The figures and tables of a home page: what waits for the user (needs and supervision)
    and what is overdue in their scope, the first needs waiting for the user, 督办 waiting for
    them, for a supervisor the overdue needs of their stations, and the latest messages. Each
    queryset is built once: building one reads the user's stations."""
    visible = needs_visible_to(user)
    todo, overdue = todo_for(user, visible), _overdue(visible)
    warn_on = warn_date(clock.today())
    work: dict[str, Any] = {
        "todo": todo.count(),
        "overdue": bounded_count(overdue),
        "supervision": supervision_todo_count(user),
        "todo_rows": _work_rows(user, list(with_related(todo)[:HOME_ROWS]), warn_on),
        "order_rows": _orders_waiting(user),
        "messages_recent": list(
            Notification.objects.filter(recipient=user).order_by("-id")[:RECENT_MESSAGES]
        ),
        "may_register": user.is_station_staff,
    }
    if user.is_supervisor:
        overdue_rows = _first_overdue(*overdue)
        work["overdue_rows"] = _work_rows(user, overdue_rows, warn_on, actions=False)
    return work


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
        "enterprises": enterprise_count_for(user),
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
        "enterprises": enterprise_count_for(user),
        "station_rows": list(stations[:200]),
        **start_of_day(user),
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
        "stations": stations,
        "enterprises": enterprise_count_for(user),
        "untrained": sum(1 for m in members if m.onboarding_trained_on is None),
        **start_of_day(user),
    }


def home_handler(user: User) -> dict[str, Any]:
    return {
        **_station_counts(user),
        "sections": list(user.sections.select_related("org_unit")),
        "enterprises": enterprise_count_for(user),
        **start_of_day(user),
    }
