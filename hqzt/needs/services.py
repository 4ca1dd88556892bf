"""The steps of §6 as services: intake, identification, dispatch, handling, completion,
evaluation, verification, archive, reminders and extensions.

Each validates what the step needs and then goes through workflow.need_transition (or, for steps
that do not change the state, locks the need and records a NeedEvent itself).
"""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.urls import reverse

from hqzt.accounts.models import User
from hqzt.audit.statemachine import transition
from hqzt.core import clock, site
from hqzt.core.workdays import add_workdays, workdays_between
from hqzt.enterprises.models import Enterprise
from hqzt.intake import services as intake
from hqzt.needs import deadlines, enterprise_sms
from hqzt.needs.announcements import announce_reminder, current_holders, station_leads
from hqzt.needs.history import handled_by
from hqzt.needs.models import (
    Channel,
    Complexity,
    Evaluation,
    EvaluationInvitation,
    EvaluationLevel,
    ExtensionRequest,
    HandlingMode,
    HandlingStep,
    Need,
    NeedType,
    Outcome,
    Scope,
    Source,
    TrackingSheet,
)
from hqzt.needs.numbering import next_serial, tracking_number
from hqzt.needs.selectors import Standing, actor_roles, co_handles
from hqzt.needs.states import HANDLING_STATES, Actor, Stage, Status
from hqzt.needs.workflow import TransitionRefused, lock_need, need_transition, record_event
from hqzt.notifications.services import notify_users, sms_send
from hqzt.org.models import Section
from hqzt.records.retention import retention_date
from hqzt.stations.models import UNTRAINED_MESSAGE, Station, StationMember
from hqzt.supervision.callbacks import callback_for_evaluation

INVITATION_VALID_DAYS = 15
# §6.5.2: a 不满意 is verified and handled again; without the reason there is nothing to verify.
DISSATISFIED_REASON_REQUIRED = "评价为“不满意”时，请填写不满意的原因。"


@dataclass(frozen=True)
class NeedItem:
    """One need of a tracking sheet as it is registered."""

    need_type: NeedType
    content: str


# DB1405 §5.4.4
def _require_trained_member(actor: User, station: Station) -> None:
    """§5.4.4 / R-1.4: only trained staff of the station act as 首位工作人员."""
    membership = StationMember.objects.filter(user=actor, station=station, is_active=True).first()
    if membership is None or not actor.is_station_staff:
        raise TransitionRefused("只有本站在岗工作人员可以登记或受理需求。")
    if membership.onboarding_trained_on is None:
        raise TransitionRefused(
            UNTRAINED_MESSAGE.format(who="您", what="作为首位工作人员登记或受理需求")
        )


def _create_sheet(
    *,
    station: Station,
    enterprise: Enterprise,
    items: list[NeedItem],
    status: Status,
    fields: dict,
    actor: User | None,
    action: str,
) -> TrackingSheet:
    """A new sheet numbered at its station, with the items as its rows. Callers are atomic, so
    a refusal from `_add_needs` also gives the serial back."""
    today = clock.today()
    serial = next_serial(station.pk, today.year)
    sheet = TrackingSheet.objects.create(
        tracking_number=tracking_number(today.year, serial),
        year=today.year,
        serial=serial,
        station=station,
        enterprise=enterprise,
    )
    _add_needs(sheet=sheet, items=items, status=status, fields=fields, actor=actor, action=action)
    return sheet


def _add_needs(
    *,
    sheet: TrackingSheet,
    items: list[NeedItem],
    status: Status,
    fields: dict,
    actor: User | None,
    action: str,
) -> list[Need]:
    """The items as the sheet's next rows. The caller holds the sheet (new, or locked)."""
    if not items:
        raise TransitionRefused("请至少填写一项企业需求。")
    today = clock.today()
    last_row = sheet.needs.aggregate(last=Max("row_number"))["last"] or 0
    needs = []
    for row, item in enumerate(items, start=last_row + 1):
        need = Need(
            sheet=sheet,
            row_number=row,
            station=sheet.station,
            enterprise=sheet.enterprise,
            registered_on=today,
            need_type=item.need_type,
            content=item.content,
            status=status,
            **fields,
        )
        if status == Status.REGISTERED:
            deadlines.start_clock(need)
        deadlines.apply_stage_deadline(need)
        need.save()
        record_event(need=need, actor=actor, action=action, from_status="")
        needs.append(need)
    return needs


# DB1405 §5.4.3 §6.2
@transaction.atomic
def need_register(
    *,
    actor: User,
    station: Station,
    enterprise: Enterprise,
    contact_name: str,
    contact_phone: str,
    source: Source,
    items: list[NeedItem],
    channel: Channel | None = None,
    visit_ref: str = "",
    attach_to: TrackingSheet | None = None,
) -> TrackingSheet:
    """A staff member records what an enterprise asked for (§6.2); they become its 首位工作人员.
    Several needs raised together share one tracking sheet (R-3.3). `attach_to`: the staff
    member saw a probable duplicate (intake.similar) and chose to add these needs to the
    enterprise's existing sheet at this station, so the enterprise follows one number."""
    _require_trained_member(actor, station)
    if source == Source.INBOUND and channel is None:
        raise TransitionRefused("企业“找上门”的需求请选择受理渠道。")
    fields = {
        "contact_name": contact_name,
        "contact_phone": contact_phone,
        "source": source,
        "channel": channel if source == Source.INBOUND else None,
        "visit_ref": visit_ref,
        "first_contact": actor,
    }
    if attach_to is None:
        sheet = _create_sheet(
            station=station,
            enterprise=enterprise,
            items=items,
            status=Status.REGISTERED,
            fields=fields,
            actor=actor,
            action="register",
        )
        needs = list(sheet.needs.order_by("row_number"))
    else:
        sheet = TrackingSheet.objects.select_for_update().get(pk=attach_to.pk)
        if sheet.station_id != station.pk or sheet.enterprise_id != enterprise.pk:
            raise TransitionRefused("只能加入本站为同一企业开具的跟踪单。")
        needs = _add_needs(
            sheet=sheet,
            items=items,
            status=Status.REGISTERED,
            fields=fields,
            actor=actor,
            action="register",
        )
    # Staff chose the enterprise among those they may see (a verified act, ADR 0006); a
    # submission's claim links nothing (enterprises.services.enterprise_for_claim).
    station.enterprises.add(enterprise)
    enterprise_sms.tell_registered(sheet, needs)
    return sheet


@transaction.atomic
def need_submit(
    *,
    station: Station,
    enterprise: Enterprise,
    contact_name: str,
    contact_phone: str,
    channel: Channel,
    items: list[NeedItem],
) -> TrackingSheet:
    """An enterprise submits its own needs (portal, API): numbered at once, waiting for a staff
    member to accept them. The enterprise gets the number by SMS at once."""
    sheet = _create_sheet(
        station=station,
        enterprise=enterprise,
        items=items,
        status=Status.PENDING_ACCEPTANCE,
        fields={
            "contact_name": contact_name,
            "contact_phone": contact_phone,
            "source": Source.INBOUND,
            "channel": channel,
        },
        actor=None,
        action="submit",
    )
    enterprise_sms.tell_submitted(sheet, sheet.needs.order_by("row_number").first())
    return sheet


@transaction.atomic
def need_accept_intake(*, need: Need, actor: User) -> Need:
    _require_trained_member(actor, need.station)

    def apply(n: Need) -> None:
        n.first_contact = actor
        n.registered_on = clock.today()
        deadlines.start_clock(n)

    accepted = need_transition(need=need, action="accept_intake", actor=actor, apply=apply)
    enterprise_sms.tell_accepted(accepted)
    return accepted


@transaction.atomic
def need_reject_intake(*, need: Need, actor: User, reason: str) -> Need:
    if not reason.strip():
        raise TransitionRefused("请填写不予受理的理由。")
    rejected = need_transition(need=need, action="reject_intake", actor=actor, note=reason)
    enterprise_sms.tell_rejected(rejected, reason)
    return rejected


# DB1405 §6.3.1 a
def need_identify(*, need: Need, actor: User, scope: str, complexity: str = "") -> Need:
    """§6.3.1: classify the need; this decides who handles it."""
    if scope == Scope.MARKET_REGULATION:
        if complexity not in Complexity.values:
            raise TransitionRefused("市场监管职能范围内的需求，请选择“简单易行”或“需要协调”。")
        action = "identify_simple" if complexity == Complexity.SIMPLE else "identify_coordinated"
    elif scope == Scope.OTHER_DEPARTMENT:
        action, complexity = "identify_other_department", ""
    else:
        raise TransitionRefused("请选择需求所属的职能范围。")

    def apply(n: Need) -> None:
        n.scope, n.complexity = scope, complexity
        if action == "identify_simple":
            n.dispatched_by = actor
            n.handling_mode = HandlingMode.INDEPENDENT
            n.started_at = clock.now()

    need = need_transition(need=need, action=action, actor=actor, apply=apply)
    intake.record_identification(need, actor)
    return need


# DB1405 §6.3.1 a §6.4.1
def need_dispatch(
    *,
    need: Need,
    actor: User,
    handling_mode: str,
    lead_section: Section,
    co_sections: list[Section] | None = None,
    note: str = "",
) -> Need:
    """The chief assigns a coordinated market-regulation need to a lead section (§6.3.1 a)."""
    co_sections = [s for s in (co_sections or []) if s.pk != lead_section.pk]
    if handling_mode not in HandlingMode.values:
        raise TransitionRefused("请选择办理方式。")
    if handling_mode == HandlingMode.JOINT and not co_sections:
        raise TransitionRefused("共同办理请至少选择一个协办科室。")
    if not lead_section.is_active:
        raise TransitionRefused("所选牵头科室已停用。")

    def apply(n: Need) -> None:
        if n.scope != Scope.MARKET_REGULATION:
            raise TransitionRefused("属于其他部门职能范围的需求，请使用“联络相关部门”。")
        n.handling_mode = handling_mode
        n.lead_section = lead_section
        n.responsible_person = None
        n.dispatched_by = actor
        n.co_sections.set(co_sections)

    need = need_transition(need=need, action="dispatch", actor=actor, apply=apply, note=note)
    intake.record_lead(need, actor, departments=False)
    return need


# DB1405 §6.3.1 b
def need_liaise(
    *, need: Need, actor: User, department: Section, department_contact: str, assistance: str
) -> Need:
    """§6.3.1 b: the chief liaises with the responsible department and helps the enterprise."""
    if not assistance.strip():
        raise TransitionRefused("请填写服务站协助企业的方式。")

    def apply(n: Need) -> None:
        if n.scope != Scope.OTHER_DEPARTMENT:
            raise TransitionRefused("市场监管职能范围内的需求，请分发给牵头科室。")
        n.department = department
        n.department_contact = department_contact
        n.assistance = assistance
        n.dispatched_by = actor
        n.handling_mode = HandlingMode.COORDINATED
        n.started_at = clock.now()

    need = need_transition(need=need, action="liaise", actor=actor, apply=apply)
    intake.record_lead(need, actor, departments=True)
    return need


def need_accept_task(*, need: Need, actor: User, responsible_person: User | None = None) -> Need:
    """签收: the lead section takes the task and names the responsible person."""
    person = responsible_person or actor
    if not person.sections.filter(pk=need.lead_section_id).exists():
        raise TransitionRefused("责任人须为牵头科室的人员。")

    def apply(n: Need) -> None:
        n.responsible_person = person
        n.started_at = n.started_at or clock.now()

    return need_transition(need=need, action="accept_task", actor=actor, apply=apply)


def need_return_task(*, need: Need, actor: User, reason: str) -> Need:
    """回退: a wrongly routed task goes back to the chief, with a reason, within the limit."""
    if not reason.strip():
        raise TransitionRefused("请填写回退理由。")
    if not deadlines.return_allowed(need):
        raise TransitionRefused(
            f"已超过回退时限（分发后{deadlines.working_days(Stage.RETURN)}个工作日），"
            "请继续办理，或与站长沟通协调。"
        )

    def apply(n: Need) -> None:
        n.lead_section = None
        n.responsible_person = None
        n.co_sections.clear()

    return need_transition(need=need, action="return_task", actor=actor, apply=apply, note=reason)


def handling_actor_ok(actor: User, need: Need, standing: Standing | None = None) -> bool:
    """Who records steps and asks for extensions: the lead (or co-handling) section while a
    section handles the need, else its first contact or the station's chief/deputy."""
    roles = actor_roles(actor, need, standing)
    if need.status == Status.IN_PROGRESS:
        return Actor.LEAD_SECTION in roles or co_handles(actor, need, standing)
    return bool(roles & {Actor.FIRST_CONTACT, Actor.STATION_LEAD})


def _lock_for_handler(need: Need, actor: User, doing: str) -> Need:
    """Lock a need that is being handled and check that `actor` is one of its handlers."""
    locked = lock_need(need)
    if locked.status not in HANDLING_STATES:
        raise TransitionRefused(f"只有办理中的需求可以{doing}。")
    if not handling_actor_ok(actor, locked):
        raise TransitionRefused(f"只有该需求的办理人员可以{doing}。")
    return locked


@transaction.atomic
def need_add_step(
    *, need: Need, actor: User, description: str, answered_enterprise: bool = False
) -> HandlingStep:
    """A step of 处理过程 on the tracking row; 'answered' starts the enterprise's clock."""
    locked = _lock_for_handler(need, actor, "记录处理过程")
    if not description.strip():
        raise TransitionRefused("请填写处理过程。")
    step = HandlingStep.objects.create(
        need=locked,
        actor=actor,
        description=description,
        answered_enterprise=answered_enterprise,
        round=locked.round,
    )
    if answered_enterprise and locked.first_answered_at is None:
        locked.first_answered_at = clock.now()
        locked.answer_due_on = None
        locked.save()
    record_event(need=locked, actor=actor, action="step", note=description, public=False)
    return step


# DB1405 §6.4.2 §6.4.3
@transaction.atomic
def need_complete(
    *,
    need: Need,
    actor: User,
    outcome: str,
    result: str,
    handling_opinion: str = "",
    remarks: str = "",
) -> Need:
    """§6.4.2: met → 办结; not met → the sections' handling opinion, told to the enterprise.
    Either way the handler reports back (§6.4.3) and evaluation is invited."""
    if outcome not in Outcome.values:
        raise TransitionRefused("请选择办理结果。")
    if not result.strip():
        raise TransitionRefused("请填写处理过程及结果。")
    if outcome == Outcome.UNMET and not handling_opinion.strip():
        raise TransitionRefused("需求未满足时，请填写分析研判后的处理意见。")

    def apply(n: Need) -> None:
        n.outcome, n.result, n.remarks = outcome, result, remarks
        n.handling_opinion = handling_opinion if outcome == Outcome.UNMET else ""
        n.ended_at = clock.now()
        n.handling_workdays = workdays_between(n.registered_on, clock.today())
        n.first_answered_at = n.first_answered_at or n.ended_at
        n.answer_due_on = None

    completed = need_transition(
        need=need,
        action="complete",
        actor=actor,
        apply=apply,
        data=lambda n: {
            "outcome": n.outcome,
            "result": n.result,
            "handling_opinion": n.handling_opinion,
            "handled_by": handled_by(n),
        },
    )
    need_invite_evaluation(need=completed, actor=actor, on_completion=True)
    return completed


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def need_invite_evaluation(*, need: Need, actor: User | None, on_completion: bool = False) -> str:
    """A one-time link for the enterprise, sent by SMS to the contact; returns the link. On
    completion the same SMS tells the outcome (and, if the need was not met, the handling
    opinion, §6.4.2); later invitations only ask again."""
    locked = lock_need(need)
    if locked.status != Status.AWAITING_EVALUATION:
        raise TransitionRefused("只有待评价的需求可以邀请企业评价。")
    token = secrets.token_urlsafe(24)
    now = clock.now()
    EvaluationInvitation.objects.filter(need=locked, used_at__isnull=True).update(expires_at=now)
    EvaluationInvitation.objects.create(
        need=locked,
        round=locked.round,
        token_hash=_token_hash(token),
        created_at=now,
        expires_at=now + datetime.timedelta(days=INVITATION_VALID_DAYS),
    )
    url = site.absolute(reverse("needs:evaluate_public", args=[token]))
    text = enterprise_sms.completion_text if on_completion else enterprise_sms.reinvitation_text
    sms_send(to=locked.contact_phone, body=text(locked, url))
    record_event(need=locked, actor=actor, action="invite_evaluation", public=False)
    return url


def invitation_for_token(token: str) -> EvaluationInvitation | None:
    """A valid (unused, unexpired) invitation, or None — callers do not learn which it was."""
    invitation = (
        EvaluationInvitation.objects.select_related("need", "need__sheet", "need__enterprise")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if invitation is None or invitation.used_at or invitation.expires_at <= clock.now():
        return None
    if invitation.need.status != Status.AWAITING_EVALUATION:
        return None
    return invitation


# DB1405 §6.5.1
def need_evaluate(
    *,
    need: Need,
    actor: User | None,
    level: str,
    comments: str = "",
    method: str = Evaluation.Method.PHONE,
    invitation: EvaluationInvitation | None = None,
) -> Need:
    """§6.5: record the evaluation. Positive → to be archived; 不满意 (always with its reason, on
    every path: staff, the enterprise's link, the API) → verification, and a second 不满意
    escalates to the supervisor; every 不满意 is queued for a callback (§7.1)."""
    if level not in EvaluationLevel.values:
        raise TransitionRefused("请选择评价结果。")
    if actor is None and (invitation is None or invitation.need_id != need.pk):
        raise TransitionRefused("评价链接无效或已过期。")
    dissatisfied = level == EvaluationLevel.DISSATISFIED
    if dissatisfied and not comments.strip():
        raise TransitionRefused(DISSATISFIED_REASON_REQUIRED)

    def apply(n: Need) -> None:
        evaluation = Evaluation.objects.create(
            need=n,
            round=n.round,
            level=level,
            comments=comments,
            method=Evaluation.Method.LINK if actor is None else method,
            collected_by=actor,
        )
        callback_for_evaluation(evaluation)
        n.evaluation = level
        if invitation is not None:
            EvaluationInvitation.objects.filter(pk=invitation.pk).update(used_at=clock.now())
        if dissatisfied and n.round >= 2:
            n.escalated = True

    action = "evaluate_dissatisfied" if dissatisfied else "evaluate_positive"
    return need_transition(need=need, action=action, actor=actor, apply=apply, note=comments)


def _start_new_round(n: Need) -> None:
    """A 不满意 sends the need round again (§6.5.2): a fresh round with its own handling and
    completion limit. The last round's result stays in its completion event and the history."""
    n.round += 1
    n.outcome = ""
    n.result = ""
    n.handling_opinion = ""
    n.ended_at = None
    deadlines.restart_completion(n)


def _require_verification_note(note: str) -> None:
    if not note.strip():
        raise TransitionRefused("请填写核实情况。")


# DB1405 §6.5.2
@transaction.atomic
def need_verify(*, need: Need, actor: User, rehandle: bool, note: str) -> Need:
    """§6.5.2: whoever dispatched the need finds out what went wrong, then either sends it back
    into handling by the same hands (a new round) or closes it with the explanation recorded.
    need_redispatch / need_reliaise send it to another section or department instead."""
    _require_verification_note(note)
    if not rehandle:
        closed = need_transition(
            need=need, action="close_after_verification", actor=actor, note=note
        )
        enterprise_sms.tell_verified(closed, rehandle=False)
        return closed
    if need.lead_section_id:
        target = Status.IN_PROGRESS
    elif need.scope == Scope.OTHER_DEPARTMENT:
        target = Status.LIAISING
    else:
        target = Status.FIRST_CONTACT_HANDLING
    again = need_transition(
        need=need, action="rehandle", actor=actor, target=target, apply=_start_new_round, note=note
    )
    enterprise_sms.tell_verified(again, rehandle=True)
    return again


# DB1405 §6.5.2
@transaction.atomic
def need_redispatch(
    *,
    need: Need,
    actor: User,
    note: str,
    lead_section: Section,
    handling_mode: str = HandlingMode.INDEPENDENT,
    co_sections: list[Section] | None = None,
) -> Need:
    """§6.5.2: after 核实, the next round goes to another bureau section, which must accept it
    (签收) like any dispatched task."""
    _require_verification_note(note)
    co_sections = [s for s in (co_sections or []) if s.pk != lead_section.pk]
    if handling_mode not in HandlingMode.values:
        raise TransitionRefused("请选择办理方式。")
    if handling_mode == HandlingMode.JOINT and not co_sections:
        raise TransitionRefused("共同办理请至少选择一个协办科室。")
    if lead_section.kind != Section.Kind.BUREAU_SECTION or not lead_section.is_active:
        raise TransitionRefused(
            "请选择在用的市场监管科室作为牵头科室；其他部门请选择“改由其他部门办理”。"
        )

    def apply(n: Need) -> None:
        if n.lead_section_id == lead_section.pk:
            raise TransitionRefused(
                f"该需求上一轮已由{lead_section.name}办理；仍由其办理请选择“由原办理人员重新办理”。"
            )
        _start_new_round(n)
        n.scope, n.complexity = Scope.MARKET_REGULATION, Complexity.COORDINATED
        n.handling_mode = handling_mode
        n.lead_section = lead_section
        n.responsible_person = None
        n.co_sections.set(co_sections)
        n.department, n.department_contact, n.assistance = None, "", ""
        n.dispatched_by = actor

    again = need_transition(need=need, action="redispatch", actor=actor, apply=apply, note=note)
    enterprise_sms.tell_verified(again, rehandle=True)
    return again


@transaction.atomic
def need_reliaise(
    *,
    need: Need,
    actor: User,
    note: str,
    department: Section,
    department_contact: str,
    assistance: str,
) -> Need:
    """§6.5.2 with §6.3.1 b: after 核实, the next round goes to another government department; the
    station liaises and helps the enterprise."""
    _require_verification_note(note)
    if department.kind != Section.Kind.OTHER_DEPARTMENT or not department.is_active:
        raise TransitionRefused("请选择在用的其他政府部门；市场监管科室请选择“改派其他科室”。")
    if not assistance.strip():
        raise TransitionRefused("请填写服务站协助企业的方式。")

    def apply(n: Need) -> None:
        if n.department_id == department.pk and not n.lead_section_id:
            raise TransitionRefused(
                f"该需求上一轮已由{department.name}办理；仍由其办理请选择“由原办理人员重新办理”。"
            )
        _start_new_round(n)
        n.scope, n.complexity = Scope.OTHER_DEPARTMENT, ""
        n.handling_mode = HandlingMode.COORDINATED
        n.lead_section, n.responsible_person = None, None
        n.co_sections.clear()
        n.department = department
        n.department_contact = department_contact
        n.assistance = assistance
        n.dispatched_by = actor

    again = need_transition(need=need, action="reliaise", actor=actor, apply=apply, note=note)
    enterprise_sms.tell_verified(again, rehandle=True)
    return again


# DB1405 §6.6.1
def need_archive(*, need: Need, actor: User, category: NeedType | None = None) -> Need:
    """§6.6.1: file the record by category (the need type unless another is chosen)."""

    def apply(n: Need) -> None:
        n.archive_category = category or n.need_type
        n.archived_at = clock.now()
        n.retention_until = retention_date(clock.today())

    return need_transition(need=need, action="archive", actor=actor, apply=apply)


@transaction.atomic
def need_remind(*, need: Need, actor: User, note: str = "") -> None:
    """催办 by the chief or a supervisor: the people holding the need are told to hurry."""
    locked = lock_need(need)
    if locked.status not in {
        Status.PENDING_ACCEPTANCE,
        Status.AWAITING_DISPATCH,
        Status.DISPATCHED,
        *HANDLING_STATES,
        Status.AWAITING_VERIFICATION,
    }:
        raise TransitionRefused("该需求当前无需催办。")
    if not (actor.is_supervisor or Actor.STATION_LEAD in actor_roles(actor, locked)):
        raise TransitionRefused("只有站长、副站长或上级单位可以催办。")
    announce_reminder(locked, current_holders(locked), overdue=False, note=note)
    record_event(need=locked, actor=actor, action="remind", note=note, public=False)


# --- Extensions ---------------------------------------------------------------------------------


@transaction.atomic
def extension_request(
    *, need: Need, actor: User, working_days: int, reason: str
) -> ExtensionRequest:
    locked = _lock_for_handler(need, actor, "申请延期")
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
