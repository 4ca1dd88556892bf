"""Which needs a user may see, and in what capacity they stand to a given need."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from hqzt.accounts.models import Role, User
from hqzt.core import clock
from hqzt.core.text import as_id
from hqzt.needs.deadlines import warn_date
from hqzt.needs.models import ExtensionRequest, Need
from hqzt.needs.states import Actor, Status, transitions_from
from hqzt.stations.models import Station, StationMember
from hqzt.stations.selectors import station_membership, stations_led_by, stations_visible_to


def visible_station_ids(user: User) -> list[int] | None:
    """The stations whose needs the user sees, as ids; None where that is not decided by
    station (an admin sees every need, a section what was dispatched to it)."""
    if user.is_admin or user.is_handler:
        return None
    return list(stations_visible_to(user).values_list("pk", flat=True))


def needs_visible_to(user: User, *, station_ids: list[int] | None = None) -> QuerySet[Need]:
    """`station_ids`: visible_station_ids(user), where the caller read it already (a page that
    also narrows another search by the same stations reads them once)."""
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
    stations = station_ids if station_ids is not None else visible_station_ids(user)
    return needs.filter(station__in=stations)


@dataclass(frozen=True)
class Standing:
    """Where a user stands to a list of needs, read in a few queries for the whole list: the
    per-need checks below would otherwise ask the database the same questions for every row
    (issue 18: 326 queries for one page of the API's list). Only for reading a page — services
    deciding a transition check afresh, under the need's lock."""

    leads: dict[int, bool]  # station id → the user's active membership there is a lead one
    section_ids: frozenset[int]
    supervised_station_ids: frozenset[int]  # of the needs' stations, those the user oversees
    co_handled: frozenset[int]  # need ids a section of the user co-handles
    pending_extension: frozenset[int]  # need ids with an extension request awaiting decision


def standing_for(user: User, needs: Iterable[Need]) -> Standing:
    needs = list(needs)
    station_ids = {n.station_id for n in needs}
    need_ids = [n.pk for n in needs]
    leads = {}
    if user.is_station_staff:
        members = StationMember.objects.filter(
            user=user, is_active=True, station_id__in=station_ids
        )
        leads = {m.station_id: m.is_lead for m in members}
    sections = frozenset(user.sections.values_list("pk", flat=True)) if user.is_handler else None
    supervised = frozenset()
    if user.role == Role.SUPERVISOR:
        supervised = frozenset(
            stations_visible_to(user).filter(pk__in=station_ids).values_list("pk", flat=True)
        )
    co_handled = frozenset()
    if sections:
        co_handled = frozenset(
            Need.co_sections.through.objects.filter(
                need_id__in=need_ids, section_id__in=sections
            ).values_list("need_id", flat=True)
        )
    pending = frozenset()
    if any(leads.values()):  # only a station's chief or deputy decides an extension
        pending = frozenset(
            ExtensionRequest.objects.filter(
                need_id__in=need_ids, decision=ExtensionRequest.Decision.PENDING
            ).values_list("need_id", flat=True)
        )
    return Standing(leads, sections or frozenset(), supervised, co_handled, pending)


def actor_roles(user: User | None, need: Need, standing: Standing | None = None) -> set[Actor]:
    """The capacities in which `user` stands to `need` (see states.Actor); from `standing` when
    the caller read it for a whole list."""
    if user is None:
        return {Actor.ENTERPRISE}
    roles: set[Actor] = set()
    lead: bool | None = None
    if user.is_station_staff:
        if standing is not None:
            lead = standing.leads.get(need.station_id)
        elif (membership := station_membership(user, need.station_id)) is not None:
            lead = membership.is_lead
    if lead is not None:
        roles.add(Actor.STATION_STAFF)
        if lead:
            roles.add(Actor.STATION_LEAD)
        if need.first_contact_id == user.pk:
            roles.add(Actor.FIRST_CONTACT)
        if need.dispatched_by_id == user.pk:
            roles.add(Actor.DISPATCHER)
    if (
        user.is_handler
        and need.lead_section_id
        and (
            need.lead_section_id in standing.section_ids
            if standing is not None
            else user.sections.filter(pk=need.lead_section_id).exists()
        )
    ):
        roles.add(Actor.LEAD_SECTION)
    if user.role == Role.SUPERVISOR and need.escalated and oversees(user, need, standing):
        roles.add(Actor.SUPERVISOR)
    return roles


def oversees(user: User, need: Need, standing: Standing | None) -> bool:
    if standing is not None:
        return need.station_id in standing.supervised_station_ids
    return stations_visible_to(user).filter(pk=need.station_id).exists()


def co_handles(user: User, need: Need, standing: Standing | None = None) -> bool:
    """A section of the handler `user` co-handles `need` (共同办理)."""
    if not user.is_handler:
        return False
    if standing is not None:
        return need.pk in standing.co_handled
    return need.co_sections.filter(members=user).exists()


def actions_for(user: User, need: Need, standing: Standing | None = None) -> list[str]:
    """Actions this user may take on this need now, for showing only the right buttons."""
    roles = actor_roles(user, need, standing)
    return [t.action for t in transitions_from(need.status) if t.actors & roles]


def need_get_for_user(user: User, pk: int, *, visible: QuerySet[Need] | None = None) -> Need:
    """The need if the user may see it, else 404 (its existence is not revealed); `visible` is
    needs_visible_to(user) where the caller has it already."""
    need = (
        (needs_visible_to(user) if visible is None else visible)
        .select_related(
            "sheet",
            "station",
            "station__superior_unit",
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


def todo_for(user: User, visible: QuerySet[Need] | None = None) -> QuerySet[Need]:
    """What waits for this user, nearest deadline first (R-3 screens: 待办); `visible` is
    needs_visible_to(user) where the caller has it already (building it reads the stations)."""
    needs = needs_visible_to(user) if visible is None else visible
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


ROW_NUMBER_MAX = 32767  # Need.row_number is a PositiveSmallIntegerField


def station_need_by_label(label: str, station: Station | None) -> Need | None:
    """The station's need written as its sheet names it, "20250012-1" (row 1 when no row is
    given), or None — also for a row that is no row number ("²", 5,000 digits)."""
    number, _, row = label.partition("-")
    row_number = as_id(row) if row else 1
    if row_number is None or row_number > ROW_NUMBER_MAX:
        return None
    return Need.objects.filter(
        sheet__tracking_number=number, row_number=row_number, station=station
    ).first()
