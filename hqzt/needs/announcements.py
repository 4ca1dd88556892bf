"""Who hears of each hand-over (R-3.9): dispatch, return, completion report, dissatisfaction,
escalation, reminders and overdue work."""

from collections.abc import Iterable

from django.urls import reverse

from hqzt.accounts.models import User
from hqzt.core.phones import phone_mask
from hqzt.needs.models import Need, NeedEvent
from hqzt.needs.states import Status
from hqzt.notifications.services import notify_users
from hqzt.stations.models import LEAD_ROLES
from hqzt.stations.selectors import supervisors_over


def station_leads(station_id: int) -> list[User]:
    """A station's active chief and deputies: who answers for the station (needs, 督办)."""
    return list(
        User.objects.filter(
            is_active=True,
            station_memberships__station_id=station_id,
            station_memberships__is_active=True,
            station_memberships__role__in=LEAD_ROLES,
        )
    )


def section_members(section_id: int | None) -> list[User]:
    if section_id is None:
        return []
    return list(User.objects.filter(sections__pk=section_id, is_active=True))


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
        # need_complete sends the enterprise its evaluation link by SMS in the same step: say
        # so, instead of asking for an evaluation the enterprise may already be giving. The
        # daily scan reminds only if none has come in by the evaluation deadline.
        _send(
            dispatcher_and_first_contact(need),
            need,
            "completed",
            "需求已办理完毕，评价链接已短信发送给企业",
            f"{need.result or need.handling_opinion}\n\n评价链接已短信发送至企业联系人"
            f"（{phone_mask(need.contact_phone)}）。企业评价后系统自动记录并通知您；"
            f"到评价期限{f'（{need.due_on:%Y-%m-%d}）' if need.due_on else ''}仍未评价时，"
            "系统会再次邀请企业并提醒您电话或上门征集。",
        )
    elif action == "evaluate_positive":
        evaluation = need.evaluations.order_by("-round").first()
        _send(
            dispatcher_and_first_contact(need),
            need,
            "evaluated",
            f"企业已评价：{evaluation.get_level_display()}，请分类归档",
            evaluation.comments,
        )
    elif action == "evaluate_dissatisfied":
        recipients = [*dispatcher_and_first_contact(need), *station_leads(need.station_id)]
        if need.escalated:
            recipients += supervisors_over(need.station)
            _send(recipients, need, "escalated", "企业再次评价不满意，已上报上级单位")
        else:
            _send(recipients, need, "dissatisfied", "企业评价不满意，请核实")
    elif action == "rehandle" and need.lead_section_id:
        _send(section_members(need.lead_section_id), need, "rehandle", "需求重新办理", event.note)
    elif action == "redispatch":
        _send(
            section_members(need.lead_section_id),
            need,
            "dispatch",
            f"企业评价不满意，核实后改派贵科室办理（第{need.round}轮），请签收",
            event.note,
        )


def announce_reminder(need: Need, users: Iterable[User], *, overdue: bool, note: str = "") -> None:
    if need.status == Status.AWAITING_EVALUATION:
        # Only needs whose enterprise has not answered the SMS link are still here.
        title = "企业尚未评价，已超过评价期限" if overdue else "企业尚未评价"
        note = note or "评价链接已短信发送给企业，尚未收到评价，请电话或上门征集满意度评价。"
    else:
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
