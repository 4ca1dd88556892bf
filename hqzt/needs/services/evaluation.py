"""§6.5: the enterprise's evaluation (§6.5.1, invited by a one-time link) and, after a 不满意,
verification (§6.5.2): rehandled by the same hands, sent to another section or department, or
closed with the explanation recorded."""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.urls import reverse

from hqzt.accounts.models import User
from hqzt.core import clock, site
from hqzt.needs import deadlines, enterprise_sms, hooks
from hqzt.needs.models import (
    Complexity,
    Evaluation,
    EvaluationInvitation,
    EvaluationLevel,
    HandlingMode,
    Need,
    Scope,
)
from hqzt.needs.states import Status
from hqzt.needs.workflow import TransitionRefused, lock_need, need_transition, record_event
from hqzt.notifications.services import sms_send
from hqzt.org.models import Section

INVITATION_VALID_DAYS = 15
# §6.5.2: a 不满意 is verified and handled again; without the reason there is nothing to verify.
DISSATISFIED_REASON_REQUIRED = "评价为“不满意”时，请填写不满意的原因。"


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
    escalates to the supervisor; every 不满意 is queued for a callback (§7.1) by supervision, which
    hears of the evaluation through `hooks.evaluation_recorded`, in this transaction."""
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
        hooks.evaluation_recorded.announce(evaluation)  # supervision: the 不满意 callback
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
