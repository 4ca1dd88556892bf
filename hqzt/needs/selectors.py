"""Which needs a user may see, and in what capacity they stand to a given need."""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from hqzt.accounts.models import Role, User
from hqzt.core import clock
from hqzt.needs.deadlines import warn_date
from hqzt.needs.models import Need
from hqzt.needs.states import Actor, Status, transitions_from
from hqzt.stations.selectors import station_membership, stations_led_by, stations_visible_to


def needs_visible_to(user: User) -> QuerySet[Need]:
    needs = Need.objects.all()
    if user.is_admin:
        return needs
    if user.is_handler:
        # A section sees what was dispatched to it (as lead or co-handler), wherever it came from.
        sections = user.sections.values("pk")
        co = Need.co_sections.through.objects.filter(
            need_id=OuterRef("pk"), section_id__in=sections
        )
        return needs.filter(Q(lead_section__in=sections) | Exists(co))
    # The stations as a list of ids, not a subquery: the planner guesses a subquery at one row
    # and plans a city supervisor's ledger as one station's; with the ids it knows how many
    # needs they hold and walks the right index newest first (issue 18, ADR 0003).
    stations = list(stations_visible_to(user).values_list("pk", flat=True))
    return needs.filter(station__in=stations)


def actor_roles(user: User | None, need: Need) -> set[Actor]:
    """The capacities in which `user` stands to `need` (see states.Actor)."""
    if user is None:
        return {Actor.ENTERPRISE}
    roles: set[Actor] = set()
    membership = station_membership(user, need.station_id) if user.is_station_staff else None
    if membership is not None:
        roles.add(Actor.STATION_STAFF)
        if membership.is_lead:
            roles.add(Actor.STATION_LEAD)
        if need.first_contact_id == user.pk:
            roles.add(Actor.FIRST_CONTACT)
        if need.dispatched_by_id == user.pk:
            roles.add(Actor.DISPATCHER)
    if (
        user.is_handler
        and need.lead_section_id
        and user.sections.filter(pk=need.lead_section_id).exists()
    ):
        roles.add(Actor.LEAD_SECTION)
    if (
        user.role == Role.SUPERVISOR
        and need.escalated
        and stations_visible_to(user).filter(pk=need.station_id).exists()
    ):
        roles.add(Actor.SUPERVISOR)
    return roles


def actions_for(user: User, need: Need) -> list[str]:
    """Actions this user may take on this need now, for showing only the right buttons."""
    roles = actor_roles(user, need)
    return [t.action for t in transitions_from(need.status) if t.actors & roles]


def need_get_for_user(user: User, pk: int) -> Need:
    """The need if the user may see it, else 404 (its existence is not revealed)."""
    need = (
        needs_visible_to(user)
        .select_related(
            "sheet",
            "station",
            "enterprise",
            "need_type",
            "channel",
            "first_contact",
            "dispatched_by",
            "lead_section",
            "responsible_person",
            "department",
            "archive_category",
        )
        .filter(pk=pk)
        .first()
    )
    if need is None:
        raise Http404("需求不存在或无权查看")
    return need


def deadline_flag(need: Need, *, warn_on: datetime.date | None = None) -> str:
    """'red' when a deadline has passed, 'yellow' when one is near, '' otherwise (R-3.7).

    A list passes `warn_on` (from `warn_date(clock.today())`, worked out once per page): it costs
    two queries, which per row made them most of a ledger page's time."""
    dates = [d for d in (need.due_on, need.answer_due_on) if d]
    if not dates or need.status not in _TIMED_STATES:
        return ""
    today = clock.today()
    if min(dates) < today:
        return "red"
    if min(dates) <= (warn_on or warn_date(today)):
        return "yellow"
    return ""


_TIMED_STATES = frozenset(Status) - {Status.REJECTED, Status.ARCHIVED, Status.AWAITING_ARCHIVE}


def todo_for(user: User) -> QuerySet[Need]:
    """What waits for this user, nearest deadline first (R-3 screens: 待办)."""
    needs = needs_visible_to(user)
    if user.is_handler:
        mine = Q(status__in=[Status.DISPATCHED, Status.IN_PROGRESS]) & Q(
            lead_section__in=user.sections.values("pk")
        )
    elif user.is_station_staff:
        mine = Q(first_contact=user) & Q(
            status__in=[
                Status.REGISTERED,
                Status.FIRST_CONTACT_HANDLING,
                Status.AWAITING_EVALUATION,
                Status.AWAITING_ARCHIVE,
            ]
        )
        mine |= Q(status=Status.PENDING_ACCEPTANCE)
        mine |= Q(dispatched_by=user, status=Status.AWAITING_VERIFICATION)
        mine |= Q(
            station__in=stations_led_by(user).values("pk"),
            status__in=[Status.AWAITING_DISPATCH, Status.LIAISING, Status.AWAITING_VERIFICATION],
        )
    elif user.is_supervisor:
        mine = Q(escalated=True, status=Status.AWAITING_VERIFICATION)
    else:
        return needs.none()
    return needs.filter(mine).order_by("due_on", "id")
