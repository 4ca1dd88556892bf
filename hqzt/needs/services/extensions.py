"""Extensions of the completion limit: the handler asks, the station's chief or deputy decides,
within deadlines.EXTENSION_CAP_DAYS working days in all."""

from django.db import transaction
from django.urls import reverse

from hqzt.accounts.models import User
from hqzt.audit.statemachine import transition
from hqzt.core import clock
from hqzt.core.workdays import add_workdays
from hqzt.needs import deadlines
from hqzt.needs.announcements import station_leads
from hqzt.needs.models import (
    ExtensionRequest,
    Need,
)
from hqzt.needs.selectors import actor_roles
from hqzt.needs.services.handling import lock_for_handler
from hqzt.needs.states import Actor
from hqzt.needs.workflow import TransitionRefused, lock_need, record_event
from hqzt.notifications.services import notify_users


@transaction.atomic
def extension_request(
    *, need: Need, actor: User, working_days: int, reason: str
) -> ExtensionRequest:
    locked = lock_for_handler(need, actor, "申请延期")
    if working_days < 1:
        raise TransitionRefused("延期天数至少为1个工作日。")
    if locked.extended_days + working_days > deadlines.EXTENSION_CAP_DAYS:
        left = deadlines.EXTENSION_CAP_DAYS - locked.extended_days
        raise TransitionRefused(
            f"延期累计不能超过{deadlines.EXTENSION_CAP_DAYS}个工作日，最多还可申请{left}个工作日。"
        )
    if not reason.strip():
        raise TransitionRefused("请填写延期理由。")
    if locked.extensions.filter(decision=ExtensionRequest.Decision.PENDING).exists():
        raise TransitionRefused("已有待审批的延期申请。")
    request = ExtensionRequest.objects.create(
        need=locked, requested_by=actor, working_days=working_days, reason=reason
    )
    record_event(
        need=locked,
        actor=actor,
        action="extension_request",
        note=f"申请延期{working_days}个工作日：{reason}",
        public=False,
    )
    notify_users(
        station_leads(locked.station_id),
        kind="extension",
        title=f"延期申请待审批：{locked.label}",
        body=reason,
        url=reverse("needs:detail", args=[locked.pk]),
    )
    return request


@transaction.atomic
def extension_decide(
    *, request: ExtensionRequest, actor: User, approve: bool, note: str = ""
) -> ExtensionRequest:
    locked = lock_need(request.need)

    def decide(r: ExtensionRequest) -> None:
        if Actor.STATION_LEAD not in actor_roles(actor, locked):
            raise TransitionRefused("只有本站站长或副站长可以审批延期。")

    request = transition(
        request,
        "extension_approve" if approve else "extension_reject",
        actor,
        apply=decide,
        decided_by=actor,
        decided_at=clock.now(),
        decision_note=note,
    )
    if approve:
        if locked.extended_days + request.working_days > deadlines.EXTENSION_CAP_DAYS:
            raise TransitionRefused("批准后将超过延期上限。")
        locked.extended_days += request.working_days
        base = locked.complete_due_on or clock.today()
        locked.complete_due_on = add_workdays(base, request.working_days)
        deadlines.apply_stage_deadline(locked)
        locked.save()
    record_event(
        need=locked,
        actor=actor,
        action="extension_approved" if approve else "extension_rejected",
        note=note,
        public=False,
    )
    notify_users(
        [request.requested_by],
        kind="extension",
        title=f"延期申请{'已批准' if approve else '未批准'}：{locked.label}",
        body=note,
        url=reverse("needs:detail", args=[locked.pk]),
    )
    return request
