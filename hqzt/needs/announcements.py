"""Who hears of each hand-over (R-3.9): dispatch, return, completion report, dissatisfaction,
escalation, reminders and overdue work."""

from collections.abc import Iterable

from django.urls import reverse

from hqzt.accounts.models import Role, User
from hqzt.needs.models import Need, NeedEvent
from hqzt.needs.states import Status
from hqzt.notifications.services import notify_users


def station_leads(station_id: int) -> list[User]:
    """A station's active chief and deputies: who answers for the station (needs, 督办)."""
    return list(
        User.objects.filter(
            role__in=[Role.CHIEF, Role.DEPUTY_CHIEF],
            is_active=True,
            station_memberships__station_id=station_id,
            station_memberships__is_active=True,
        )
    )


def section_members(section_id: int | None) -> list[User]:
    if section_id is None:
        return []
    return list(User.objects.filter(sections__pk=section_id, is_active=True))


def supervisors_of(need: Need) -> list[User]:
    """Supervisors whose unit's subtree contains the need's station."""
    path = need.station.superior_unit.path
    return [
        u
        for u in User.objects.filter(role=Role.SUPERVISOR, is_active=True).select_related(
            "org_unit"
        )
        if u.org_unit_id and path.startswith(u.org_unit.path)
    ]


def dispatcher_and_first_contact(need: Need) -> list[User]:
    return [u for u in (need.dispatched_by, need.first_contact) if u is not None]


def _send(users: Iterable[User], need: Need, kind: str, title: str, body: str = "") -> None:
    notify_users(
        users,
        kind=kind,
        title=f"{title}：{need.label} {need.enterprise.name}",
        body=body or need.content[:200],
        url=reverse("needs:detail", args=[need.pk]),
    )


def announce(event: NeedEvent) -> None:
    need, action = event.need, event.action
    if action in ("identify_coordinated", "identify_other_department"):
        _send(station_leads(need.station_id), need, "awaiting_dispatch", "有需求待分发")
    elif action == "dispatch":
        recipients = section_members(need.lead_section_id)
        _send(recipients, need, "dispatch", "收到分发任务，请签收")
    elif action == "return_task":
        _send(
            [need.dispatched_by, *station_leads(need.station_id)],
            need,
            "return",
            "任务被回退",
            event.note,
        )
    elif action == "complete":
        _send(
            dispatcher_and_first_contact(need),
            need,
            "completed",
            "需求已办理完毕，请征集满意度评价",
            need.result or need.handling_opinion,
        )
    elif action == "evaluate_dissatisfied":
        recipients = [*dispatcher_and_first_contact(need), *station_leads(need.station_id)]
        if need.escalated:
            recipients += supervisors_of(need)
            _send(recipients, need, "escalated", "企业再次评价不满意，已上报上级单位")
        else:
            _send(recipients, need, "dissatisfied", "企业评价不满意，请核实")
    elif action == "rehandle" and need.lead_section_id:
        _send(section_members(need.lead_section_id), need, "rehandle", "需求重新办理", event.note)


def announce_reminder(need: Need, users: Iterable[User], *, overdue: bool, note: str = "") -> None:
    title = "需求已超期" if overdue else "需求即将到期，请抓紧办理"
    _send(users, need, "overdue" if overdue else "reminder", title, note)


def current_holders(need: Need) -> list[User]:
    """Whoever must act next on the need: the people a reminder goes to."""
    if need.status in (Status.DISPATCHED, Status.IN_PROGRESS):
        people = section_members(need.lead_section_id)
        return [need.responsible_person] if need.responsible_person else people
    if need.status in (Status.AWAITING_DISPATCH, Status.LIAISING, Status.PENDING_ACCEPTANCE):
        return station_leads(need.station_id)
    if need.status == Status.AWAITING_VERIFICATION:
        return [u for u in [need.dispatched_by, *station_leads(need.station_id)] if u]
    return [u for u in [need.first_contact] if u]
